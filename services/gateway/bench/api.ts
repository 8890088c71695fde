/**
 * HTTP API latency and throughput of the gateway on the real stack (fresh database, embedded
 * OpenID provider, projector in-process, gateway on loopback).
 *
 *   npm run bench:api [-- --quick] [--out bench-results/api.json]
 *
 * Measures
 *   create_session_p50_ms / _p95_ms   POST /api/v1/sessions, one at a time (includes the wait for
 *                                     the read model: read-your-writes)
 *   list_sessions_p95_ms              GET /api/v1/sessions (limit 50) with `seeded_sessions` in the
 *                                     read model (10,000; 1,000 with --quick)
 *   rps_mixed                         bounded loopback load: 16 connections for 20 s (5 s with
 *                                     --quick), 80 % reads (list/get sessions and projects), 20 %
 *                                     creates
 *   errors                            responses that were not 2xx during the whole run (target 0)
 * Targets: create p95 ≤ 30 ms, list p95 ≤ 20 ms. Writes JSON and prints a summary.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { startHarness } from '../src/testing/gateway-harness';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench-results/api.json' },
  },
});
const quick = values.quick;
const plan = quick
  ? { creates: 100, seed: 1_000, lists: 100, mixedMs: 5_000 }
  : { creates: 500, seed: 10_000, lists: 500, mixedMs: 20_000 };
const CONNECTIONS = 16;
const TARGETS = { create_session_p95_ms: 30, list_sessions_p95_ms: 20 } as const;

const log = (t: string): void => void process.stderr.write(`[bench:api] ${t}\n`);
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const round = (n: number): number => Math.round(n * 10) / 10;

const result: Record<string, unknown> = { quick, started_at: new Date().toISOString(), cpus: cpus().length };
let errors = 0;
const h = await startHarness();
try {
  const token = await h.tokenFor('demo');
  const base = h.gateway.url;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const call = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; ms: number; json: unknown }> => {
    const t0 = performance.now();
    const res = await fetch(`${base}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json: unknown = await res.json().catch(() => null);
    const ms = performance.now() - t0;
    if (res.status < 200 || res.status >= 300) errors++;
    return { status: res.status, ms, json };
  };

  log(`warming up`);
  for (let i = 0; i < 10; i++) await call('POST', '/api/v1/sessions', { labels: { bench: 'warmup' } });

  log(`create latency: ${plan.creates} sequential creates`);
  const createMs: number[] = [];
  for (let i = 0; i < plan.creates; i++)
    createMs.push((await call('POST', '/api/v1/sessions', { labels: { bench: 'create' } })).ms);
  result['create_session_p50_ms'] = round(pct(createMs, 50));
  result['create_session_p95_ms'] = round(pct(createMs, 95));

  const seedTotal = plan.seed;
  let have = plan.creates + 10;
  log(`seeding the read model to ${seedTotal} sessions (8 concurrent writers)`);
  const t0 = Date.now();
  let next = have;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < seedTotal) {
        next++;
        await call('POST', '/api/v1/sessions', { labels: { bench: 'seed' } });
        have++;
        if (have % 1000 === 0)
          log(`  ${have}/${seedTotal} (${Math.round(have / ((Date.now() - t0) / 1000))}/s)`);
      }
    }),
  );
  result['seeded_sessions'] = seedTotal;

  log(`list latency: ${plan.lists} lists over ${seedTotal} sessions`);
  const listMs: number[] = [];
  let listedTotal = 0;
  for (let i = 0; i < plan.lists; i++) {
    const r = await call('GET', `/api/v1/sessions?limit=50&offset=${(i * 50) % 1000}`);
    listMs.push(r.ms);
    listedTotal = (r.json as { total?: number } | null)?.total ?? listedTotal;
  }
  result['list_sessions_total_seen'] = listedTotal;
  result['list_sessions_p50_ms'] = round(pct(listMs, 50));
  result['list_sessions_p95_ms'] = round(pct(listMs, 95));

  log(`mixed load: ${CONNECTIONS} connections for ${plan.mixedMs / 1000} s`);
  const project = (await call('POST', '/api/v1/projects', { name: 'bench' })).json as { id: string };
  const someSession = (await call('POST', '/api/v1/sessions', {})).json as { id: string };
  const deadline = Date.now() + plan.mixedMs;
  let done = 0;
  const mixedMs: number[] = [];
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async (_, c) => {
      let i = c;
      while (Date.now() < deadline) {
        const k = i++ % 10;
        const r =
          k < 4
            ? await call('GET', '/api/v1/sessions?limit=20')
            : k < 6
              ? await call('GET', `/api/v1/sessions/${someSession.id}`)
              : k < 8
                ? await call('GET', `/api/v1/projects/${project.id}`)
                : await call('POST', '/api/v1/sessions', { labels: { bench: 'mixed' } });
        mixedMs.push(r.ms);
        done++;
      }
    }),
  );
  result['rps_mixed'] = round(done / (plan.mixedMs / 1000));
  result['mixed_p95_ms'] = round(pct(mixedMs, 95));
  result['errors'] = errors;
  result['loadavg_1m'] = round(loadavg()[0] ?? 0);
  result['targets'] = TARGETS;
  result['meets'] = {
    create_session_p95_ms: (result['create_session_p95_ms'] as number) <= TARGETS.create_session_p95_ms,
    list_sessions_p95_ms: (result['list_sessions_p95_ms'] as number) <= TARGETS.list_sessions_p95_ms,
    errors: errors === 0,
  };
} catch (e) {
  result['failure'] = e instanceof Error ? e.message : String(e);
  process.exitCode = 1;
} finally {
  result['errors'] = errors;
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, `${JSON.stringify(result, null, 2)}\n`);
  await h.close().catch(() => undefined);
}
const show = (k: string, unit = ''): string => `${k.padEnd(24)} ${JSON.stringify(result[k] ?? '-')}${unit}`;
console.log(
  [
    `bench:api ${quick ? '(quick)' : ''} → ${values.out}`,
    show('create_session_p50_ms', ' ms'),
    show('create_session_p95_ms', ` ms (target ≤ ${TARGETS.create_session_p95_ms})`),
    show(
      'list_sessions_p95_ms',
      ` ms over ${JSON.stringify(result['seeded_sessions'] ?? '?')} sessions (target ≤ ${TARGETS.list_sessions_p95_ms})`,
    ),
    show('rps_mixed', ' req/s'),
    show('errors'),
    show('loadavg_1m'),
  ].join('\n'),
);
