import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createPostgresEventStore } from '@bpane/event-store';
import { ProjectionPositions, ReadModelDatabase, readModelEntities } from '@bpane/read-models';
import { groupMembers, LocalRuntimeBackend, sleep } from '@bpane/runtime-backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayApp, type GatewayApp } from '../app';
import { loadGatewayConfig } from '../config';
import { LiveSessionRegistry } from '../live/live-directory';
import { makeClient, startHarness, type ApiClient, type Harness } from '../testing/gateway-harness';
import { RuntimeCoordinator } from './runtime-coordinator';

const repoRoot = resolve(import.meta.dirname, '../../../..');
const agentCommand = `${process.execPath} --import tsx ${join(repoRoot, 'services/host-agent/src/main.ts')}`;

type Session = {
  id: string;
  state: string;
  runtime: { runtime_id: string; backend: string } | null;
  failure: { code: string; message: string } | null;
};

describe('runtime lifecycle with the local backend', () => {
  const dataRoot = mkdtempSync(join(tmpdir(), 'bpane-runtime-e2e-'));
  let h: Harness;
  let gateway: GatewayApp | undefined;
  let api: ApiClient;
  let token: string;

  /** A gateway of its own on the harness database, driving real host agents (capacity 1). */
  const startGateway = async (): Promise<GatewayApp> => {
    const config = loadGatewayConfig({
      BPANE_GATEWAY_PORT: '0',
      BPANE_PG_URL: h.db.url,
      BPANE_OIDC_ISSUER: h.config.oidcIssuer,
      BPANE_OIDC_AUDIENCE: h.config.oidcAudience,
      BPANE_LOG_LEVEL: 'error',
      BPANE_RUNTIME_BACKEND: 'local',
      BPANE_RUNTIME_DATA_ROOT: dataRoot,
      BPANE_RUNTIME_HOST_AGENT_COMMAND: agentCommand,
      BPANE_MAX_ACTIVE_RUNTIMES: '1',
      BPANE_RUNTIME_AUDIO: 'false',
    });
    const app = await createGatewayApp(config, {
      infra: {
        store: await createPostgresEventStore({ connectionString: h.db.url }),
        readModels: await ReadModelDatabase.connect({ url: h.db.url, entities: readModelEntities }),
        positions: new ProjectionPositions({ url: h.db.url, pollIntervalMs: 200 }),
      },
      logLevels: ['fatal', 'error'],
    });
    api = makeClient(app.url, app.contract, h.contractViolations, token);
    await app.app.get(RuntimeCoordinator).ready;
    return app;
  };

  const coordinator = (): RuntimeCoordinator => gateway!.app.get(RuntimeCoordinator);
  const get = async (id: string): Promise<Session> => (await api.get<Session>(`/api/v1/sessions/${id}`)).body;
  const waitFor = async (id: string, states: string[]): Promise<Session> => {
    for (;;) {
      const s = await get(id);
      if (states.includes(s.state)) return s;
      if (s.state === 'failed') throw new Error(`session ${id} failed: ${s.failure?.message}`);
      await sleep(100);
    }
  };
  const create = async (): Promise<string> => {
    const res = await api.post<Session>('/api/v1/sessions', { viewport: { width: 800, height: 600 } });
    expect(res.status).toBe(201);
    return res.body.id;
  };

  beforeAll(async () => {
    h = await startHarness();
    token = await h.tokenFor('demo');
    gateway = await startGateway();
  }, 60_000);

  afterAll(async () => {
    await gateway?.close();
    const backend = new LocalRuntimeBackend({ dataRoot });
    for (const r of await backend.list()) await backend.stop(r.runtimeId, { force: true });
    rmSync(dataRoot, { recursive: true, force: true });
    await (h as Harness | undefined)?.close();
  }, 60_000);

  it('starts, queues, cancels, stops, re-adopts after a gateway restart, reaps orphans and kills', async () => {
    // A session reaches ready with a runtime whose browser answers.
    const a = await create();
    const readyA = await waitFor(a, ['ready', 'idle']);
    expect(readyA.runtime?.backend).toBe('local');
    const handleA = coordinator().runtimeOf(a)!;
    expect(handleA.runtimeId).toBe(readyA.runtime?.runtime_id);
    const version = (await (await fetch(`${handleA.cdp!.httpUrl}/json/version`)).json()) as {
      Browser: string;
    };
    expect(version.Browser).toMatch(/Chrom/);
    const target = await gateway!.app.get(LiveSessionRegistry).lookup(a);
    expect(target).toMatchObject({ sessionId: a, hostLinkUrl: handleA.hostLinkUrl });

    // Capacity 1: the next sessions wait, in order, with a position; a waiting one can be cancelled.
    const b = await create();
    const c = await create();
    await sleep(300);
    expect((await get(b)).state).toBe('pending');
    expect(coordinator().queuePosition(b)).toBe(1);
    expect(coordinator().queuePosition(c)).toBe(2);
    expect((await api.post<Session>(`/api/v1/sessions/${c}/cancel`)).status).toBe(200);
    await waitFor(c, ['stopped']);
    await sleep(300);
    expect(coordinator().queuePosition(c)).toBeNull();
    expect(coordinator().queuePosition(b)).toBe(1);

    // Stopping the first frees its runtime (the process tree is gone) and the queued one starts.
    expect((await api.post<Session>(`/api/v1/sessions/${a}/stop`)).status).toBe(200);
    await waitFor(a, ['stopped']);
    expect(groupMembers(handleA.pid!)).toEqual([]);
    const readyB = await waitFor(b, ['ready', 'idle']);
    expect((await get(c)).runtime).toBeNull();
    const handleB = coordinator().runtimeOf(b)!;
    expect(handleB.runtimeId).toBe(readyB.runtime?.runtime_id);

    // The gateway goes away while B runs; a runtime whose session does not exist appears meanwhile.
    await gateway!.close();
    gateway = undefined;
    const orphan = await new LocalRuntimeBackend({
      dataRoot,
      command: agentCommand.split(' '),
      audio: false,
    }).start({ sessionId: crypto.randomUUID(), viewport: { width: 640, height: 480 } });
    expect(groupMembers(orphan.pid!).length).toBeGreaterThan(0);

    // A new gateway on the same database re-adopts B's runtime (same process) and reaps the orphan.
    gateway = await startGateway();
    const adopted = coordinator().runtimeOf(b);
    expect(adopted?.runtimeId).toBe(handleB.runtimeId);
    expect(adopted?.pid).toBe(handleB.pid);
    expect(groupMembers(handleB.pid!).length).toBeGreaterThan(0);
    expect(groupMembers(orphan.pid!)).toEqual([]);
    const listed = await new LocalRuntimeBackend({ dataRoot }).list();
    expect(listed.map((r) => r.runtimeId)).toEqual([handleB.runtimeId]);
    expect(await gateway.app.get(LiveSessionRegistry).lookup(b)).toMatchObject({
      hostLinkUrl: handleB.hostLinkUrl,
    });

    // Kill ends the session and its runtime at once.
    expect((await api.post<Session>(`/api/v1/sessions/${b}/kill`)).status).toBe(200);
    for (let i = 0; i < 100 && groupMembers(handleB.pid!).length > 0; i++) await sleep(100);
    expect(groupMembers(handleB.pid!)).toEqual([]);
    expect(await new LocalRuntimeBackend({ dataRoot }).list()).toEqual([]);
    expect(h.contractViolations).toEqual([]);
  }, 180_000);
});
