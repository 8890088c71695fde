import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadHostAgentConfig } from '../config/host-agent-config';
import { isSameProcessAlive, killProcessGroup, sleep } from './proc';
import { reapStaleRuntimes, type ProcessRecord } from './process-record';
import { RuntimeSupervisor, type RuntimeEvent } from './runtime-supervisor';

const main = fileURLToPath(new URL('../main.ts', import.meta.url));
const repo = fileURLToPath(new URL('../../../../', import.meta.url));

const freePort = async (): Promise<number> =>
  await new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });

describe('host agent process: health endpoints, SIGKILL, and reaping by the next supervisor', () => {
  const rootDir = mkdtempSync(join(tmpdir(), 'bpane-ha-reap-'));
  const runtimeId = 'reap';
  let agent: ChildProcess | undefined;
  let next: RuntimeSupervisor | undefined;

  afterAll(async () => {
    if (agent?.pid) await killProcessGroup(agent.pid, 500);
    await next?.stop();
    await reapStaleRuntimes(rootDir);
    rmSync(rootDir, { recursive: true, force: true });
  });

  it('serves /healthz and /readyz, leaves a process record, and is reaped after SIGKILL', async () => {
    const port = await freePort();
    agent = spawn(process.execPath, ['--import', 'tsx', main], {
      cwd: repo,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        BPANE_HOST_AGENT_ROOT_DIR: rootDir,
        BPANE_HOST_AGENT_RUNTIME_ID: runtimeId,
        BPANE_HOST_AGENT_HEALTH_PORT: String(port),
        BPANE_HOST_AGENT_MAX_WIDTH: '1920',
        BPANE_HOST_AGENT_MAX_HEIGHT: '1080',
        BPANE_HOST_AGENT_AUDIO: 'true',
      },
    });
    let log = '';
    agent.stdout?.on('data', (d: Buffer) => (log += d.toString()));
    agent.stderr?.on('data', (d: Buffer) => (log += d.toString()));

    // readiness goes 503 → 200
    let ready: { status: number; body: unknown } = { status: 0, body: null };
    const deadline = Date.now() + 60_000;
    let exited = false;
    agent.once('exit', () => (exited = true));
    while (Date.now() < deadline && !exited) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/readyz`);
        ready = { status: r.status, body: await r.json() };
        if (r.status === 200) break;
      } catch {
        /* not listening yet */
      }
      await sleep(200);
    }
    expect(ready, log).toEqual({ status: 200, body: { ready: true } });
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { state: string }).state).toBe('ready');
    expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404);

    const recordPath = join(rootDir, runtimeId, 'processes.json');
    const record = JSON.parse(readFileSync(recordPath, 'utf8')) as ProcessRecord;
    expect(record.agentPid).toBe(agent.pid);
    expect(record.children.map((c) => c.name).sort()).toEqual(['chromium', 'openbox', 'pulseaudio', 'xvfb']);

    // SIGKILL the agent alone (not its children's groups): they are orphaned but alive.
    process.kill(agent.pid!, 'SIGKILL');
    await new Promise((r) => agent!.once('exit', r));
    await sleep(300);
    for (const c of record.children) expect(isSameProcessAlive(c.pid, c.startTime), c.name).toBe(true);

    // A new supervisor for the same root reaps them before it starts its own runtime.
    const cfg = loadHostAgentConfig(
      {},
      { rootDir, runtimeId, healthPort: 0, audio: false, maxWidth: 1920, maxHeight: 1080 },
    );
    next = new RuntimeSupervisor(cfg);
    const events: RuntimeEvent[] = [];
    next.events.subscribe((e) => events.push(e));
    await next.start();
    const reaped = events.find((e) => e.type === 'stale-reaped');
    expect(reaped).toBeDefined();
    expect(next.reaped.flatMap((r) => r.reaped.map((c) => c.name)).sort()).toEqual([
      'chromium',
      'openbox',
      'pulseaudio',
      'xvfb',
    ]);
    for (const c of record.children) expect(isSameProcessAlive(c.pid, c.startTime), c.name).toBe(false);
    expect(next.state).toBe('ready');
    await next.stop();
    expect(existsSync(recordPath)).toBe(false);
  });
});
