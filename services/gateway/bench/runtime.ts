/**
 * Runtime start and stop latency of the local backend on this machine: real host agents (Xvfb,
 * openbox, Chromium, the gateway link), one at a time.
 *
 *   npm run bench:runtime [-- --quick] [--bundle] [--out bench-results/runtime.json]
 *
 * Measures (5 runs; 2 with --quick):
 *   time_to_ready_ms   backend start → `/readyz` 200 and the host link listening (what the
 *                      coordinator waits for before `MarkSessionReady`)
 *   stop_to_gone_ms    backend stop → the host agent's process group is empty
 *   api_time_to_ready_ms  POST /api/v1/sessions → GET shows `ready` or `idle` through a whole
 *                      gateway (harness: fresh database, projector), polled every 100 ms
 *                      (3 runs; 1 with --quick), each session killed afterwards
 * The host agent runs from the sources through tsx (`--bundle`: dist/services/host-agent/main.mjs).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { groupMembers, LocalRuntimeBackend, sleep } from '@bpane/runtime-backend';
import { startHarness } from '../src/testing/gateway-harness';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    bundle: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench-results/runtime.json' },
  },
});
const runs = values.quick ? 2 : 5;
const log = (t: string): void => void process.stderr.write(`[bench:runtime] ${t}\n`);
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const round = (n: number): number => Math.round(n);

const repoRoot = resolve(import.meta.dirname, '../../..');
const command = values.bundle
  ? [process.execPath, join(repoRoot, 'dist/services/host-agent/main.mjs')]
  : [process.execPath, '--import', 'tsx', join(repoRoot, 'services/host-agent/src/main.ts')];
const dataRoot = mkdtempSync(join(tmpdir(), 'bpane-bench-runtime-'));
const backend = new LocalRuntimeBackend({ dataRoot, command, cwd: repoRoot, audio: false });
const ready: number[] = [];
const gone: number[] = [];
try {
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const h = await backend.start({ sessionId: crypto.randomUUID(), viewport: { width: 1280, height: 720 } });
    ready.push(performance.now() - t0);
    const t1 = performance.now();
    await backend.stop(h.runtimeId);
    while (h.pid !== null && groupMembers(h.pid).length > 0) await sleep(10);
    gone.push(performance.now() - t1);
    log(`run ${i + 1}: ready ${round(ready.at(-1)!)} ms, gone ${round(gone.at(-1)!)} ms`);
  }
} finally {
  for (const r of await backend.list()) await backend.stop(r.runtimeId, { force: true });
  rmSync(dataRoot, { recursive: true, force: true });
}

const apiReady: number[] = [];
const apiRoot = mkdtempSync(join(tmpdir(), 'bpane-bench-runtime-api-'));
const h = await startHarness({
  BPANE_RUNTIME_BACKEND: 'local',
  BPANE_RUNTIME_DATA_ROOT: apiRoot,
  BPANE_RUNTIME_HOST_AGENT_COMMAND: command.join(' '),
  BPANE_RUNTIME_AUDIO: 'false',
  BPANE_MAX_ACTIVE_RUNTIMES: '1',
});
try {
  const api = h.client(await h.tokenFor('demo'));
  for (let i = 0; i < (values.quick ? 1 : 3); i++) {
    const t0 = performance.now();
    const { id } = (await api.post<{ id: string }>('/api/v1/sessions', {})).body;
    for (;;) {
      const s = (await api.get<{ state: string }>(`/api/v1/sessions/${id}`)).body;
      if (s.state === 'ready' || s.state === 'idle') break;
      if (s.state === 'failed') throw new Error(`session ${id} failed`);
      await sleep(100);
    }
    apiReady.push(performance.now() - t0);
    log(`api run ${i + 1}: ready ${round(apiReady.at(-1)!)} ms`);
    await api.post(`/api/v1/sessions/${id}/kill`);
    for (;;) {
      const s = (await api.get<{ runtime_state: string }>(`/api/v1/sessions/${id}`)).body;
      if (s.runtime_state === 'released') break;
      await sleep(100);
    }
    await sleep(500);
  }
} finally {
  await h.close();
  const b = new LocalRuntimeBackend({ dataRoot: apiRoot });
  for (const r of await b.list()) await b.stop(r.runtimeId, { force: true });
  rmSync(apiRoot, { recursive: true, force: true });
}

const result = {
  quick: values.quick,
  host_agent: values.bundle ? 'bundle' : 'tsx',
  runs,
  started_at: new Date().toISOString(),
  cpus: cpus().length,
  loadavg_1m: loadavg()[0],
  time_to_ready_ms: { p50: round(pct(ready, 50)), max: round(Math.max(...ready)), all: ready.map(round) },
  stop_to_gone_ms: { p50: round(pct(gone, 50)), max: round(Math.max(...gone)), all: gone.map(round) },
  api_time_to_ready_ms: {
    p50: round(pct(apiReady, 50)),
    max: round(Math.max(...apiReady)),
    all: apiReady.map(round),
  },
};
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
log(
  `time_to_ready p50 ${result.time_to_ready_ms.p50} ms (max ${result.time_to_ready_ms.max}); ` +
    `stop_to_gone p50 ${result.stop_to_gone_ms.p50} ms; ` +
    `api_time_to_ready p50 ${result.api_time_to_ready_ms.p50} ms → ${values.out}`,
);
