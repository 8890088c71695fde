import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { groupMembers, LocalRuntimeBackend, sleep } from '@bpane/runtime-backend';
import { afterAll, describe, expect, it } from 'vitest';
import { startHarness, type ApiClient, type Harness } from '../testing/gateway-harness';
import { RuntimeCoordinator } from './runtime-coordinator';

const repoRoot = resolve(import.meta.dirname, '../../../..');
const agentCommand = `${process.execPath} --import tsx ${join(repoRoot, 'services/host-agent/src/main.ts')}`;

type Session = {
  id: string;
  state: string;
  runtime_state: string;
  failure: { code: string; message: string } | null;
};

const withGateway = (command: string) => {
  const dataRoot = mkdtempSync(join(tmpdir(), 'bpane-runtime-idle-'));
  const ctx: { h?: Harness; api?: ApiClient } = {};
  const start = async (): Promise<{ h: Harness; api: ApiClient }> => {
    const h = await startHarness({
      BPANE_RUNTIME_BACKEND: 'local',
      BPANE_RUNTIME_DATA_ROOT: dataRoot,
      BPANE_RUNTIME_HOST_AGENT_COMMAND: command,
      BPANE_RUNTIME_AUDIO: 'false',
      BPANE_RUNTIME_START_TIMEOUT_MS: '20000',
    });
    ctx.h = h;
    ctx.api = h.client(await h.tokenFor('demo'));
    return { h, api: ctx.api };
  };
  const stop = async (): Promise<void> => {
    await ctx.h?.close();
    const backend = new LocalRuntimeBackend({ dataRoot });
    for (const r of await backend.list()) await backend.stop(r.runtimeId, { force: true });
    rmSync(dataRoot, { recursive: true, force: true });
  };
  return { start, stop };
};

const waitFor = async (api: ApiClient, id: string, states: string[]): Promise<Session> => {
  for (;;) {
    const s = (await api.get<Session>(`/api/v1/sessions/${id}`)).body;
    if (states.includes(s.state)) return s;
    await sleep(200);
  }
};

describe('runtime idle expiry', () => {
  const gw = withGateway(agentCommand);
  afterAll(() => gw.stop(), 60_000);

  it('marks an unattended session idle, active while an MCP owner holds it, then expires it', async () => {
    const { h, api } = await gw.start();
    const created = await api.post<Session>('/api/v1/sessions', { idle_timeout_sec: 30 });
    expect(created.status).toBe(201);
    const id = created.body.id;
    await waitFor(api, id, ['idle']);
    const pid = h.gateway.app.get(RuntimeCoordinator).runtimeOf(id)!.pid!;
    expect(groupMembers(pid).length).toBeGreaterThan(0);

    expect((await api.post(`/api/v1/sessions/${id}/mcp-owner`)).status).toBe(200);
    await waitFor(api, id, ['ready']);
    expect((await api.del(`/api/v1/sessions/${id}/mcp-owner`)).status).toBe(200);
    await waitFor(api, id, ['idle']);

    const expired = await waitFor(api, id, ['expired']);
    expect(expired.runtime_state).toBe('released');
    for (let i = 0; i < 100 && groupMembers(pid).length > 0; i++) await sleep(100);
    expect(groupMembers(pid)).toEqual([]);
    expect(h.contractViolations).toEqual([]);
  }, 120_000);
});

describe('runtime start failure', () => {
  const gw = withGateway(`${process.execPath} -e process.exit(3)`);
  afterAll(() => gw.stop(), 60_000);

  it('fails the session with the backend code and a readable reason', async () => {
    const { api } = await gw.start();
    const created = await api.post<Session>('/api/v1/sessions', {});
    const failed = await waitFor(api, created.body.id, ['failed']);
    expect(failed.failure?.code).toBe('runtime_start_failed');
    expect(failed.failure?.message).toMatch(/host agent ended during start \(exit code 3\)/);
  }, 60_000);
});
