import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '@bpane/ddd';
import {
  sessionDecider,
  sessionStreamId,
  sessionUpcasters,
  type SessionCommand,
} from '@bpane/domain-sessions';
import { ProjectionPositions } from '@bpane/read-models';
import { startHarness, type ApiClient, type Harness } from '../testing/gateway-harness';

type Session = {
  id: string;
  state: string;
  runtime_state: string;
  presence_state: string;
  owner_mode: string;
  template_id: string | null;
  project_id: string | null;
  admission: {
    decision: string;
    reason: string;
    project_id: string | null;
    queue_position: number | null;
  } | null;
  viewport: { width: number; height: number };
  idle_timeout_sec: number;
  idle_since: string | null;
  idle_expires_at: string | null;
  labels: Record<string, string>;
  integration_context: Record<string, string>;
  network_identity: Record<string, unknown>;
  recording: { mode: string; retention_days: number | null };
  connection_counts: Record<string, number>;
  stop_eligibility: { allowed: boolean; blockers: { code: string; count?: number }[] };
  automation_owner: { client_id: string } | null;
  mcp_owner: { principal_type: string; client_id: string | null } | null;
  runtime: { runtime_id: string; released_at: string | null } | null;
  runtime_released_at: string | null;
  stop_reason: string | null;
  stopped_at: string | null;
  failure: { code: string; message: string } | null;
};
type Page = { items: Session[]; total: number; limit: number; offset: number };
type Status = {
  session_id: string;
  state: string;
  connections: { connection_id: string; role: string }[];
  connection_counts: Record<string, number>;
  stop_eligibility: Session['stop_eligibility'];
  admission: Session['admission'];
  project: { id: string; name: string; state: string } | null;
  network_identity: Record<string, unknown>;
  idle_since: string | null;
};
type Problem = {
  code: string;
  status: number;
  detail: string;
  state?: string;
  stop_eligibility?: Session['stop_eligibility'];
  errors?: { field: string }[];
};

const S = '/api/v1/sessions';

describe('sessions API (/api/v1/sessions)', () => {
  let h: Harness;
  let demo: ApiClient;
  let demo2: ApiClient;
  let bridge: ApiClient;
  let worker: ApiClient;
  let positions: ProjectionPositions;
  const tag = `s${Date.now().toString(36)}`;

  beforeAll(async () => {
    h = await startHarness();
    demo = h.client(await h.tokenFor('demo'));
    demo2 = h.client(await h.tokenFor('demo2'));
    bridge = h.client(await h.serviceToken('bpane-mcp-bridge'));
    worker = h.client(await h.serviceToken('bpane-workflow-worker'));
    positions = new ProjectionPositions({ url: h.db.url, pollIntervalMs: 20 });
  });
  afterAll(async () => {
    await positions?.close();
    await h?.close();
  });

  /** What a runtime backend will do: run a runtime command and wait for the read models. */
  const runtime = async (
    sessionId: string,
    command: (id: string) => Pick<SessionCommand, 'type' | 'data'>,
  ): Promise<void> => {
    const r = await handleCommand(h.store, {
      streamId: sessionStreamId(sessionId),
      decider: sessionDecider,
      upcasters: sessionUpcasters,
      command: {
        ...command(sessionId),
        metadata: {
          now: new Date().toISOString(),
          actor: { kind: 'system', id: 'runtime-test' },
          correlationId: crypto.randomUUID(),
        },
      } as SessionCommand,
    });
    if (r.position !== null) expect(await positions.waitForPosition(r.position, 10_000)).toBe(true);
  };

  const ready = async (labels: Record<string, string> = {}): Promise<Session> => {
    const { body } = await demo.post<Session>(S, { labels: { suite: tag, ...labels } });
    await runtime(body.id, (sessionId) => ({
      type: 'AssignRuntime',
      data: { sessionId, runtimeId: `rt-${sessionId.slice(0, 8)}`, backend: 'local' },
    }));
    await runtime(body.id, (sessionId) => ({ type: 'MarkSessionReady', data: { sessionId } }));
    return (await demo.get<Session>(`${S}/${body.id}`)).body;
  };

  const connect = (id: string, connectionId: string, role: 'viewer' | 'owner' = 'viewer') =>
    runtime(id, (sessionId) => ({
      type: 'OpenConnection',
      data: { sessionId, connectionId, role, principalKind: 'user', principalId: 'demo' },
    }));

  const eventually = async <T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const v = await read();
      if (ok(v) || Date.now() > deadline) return v;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  it('creates an owner-scoped session with documented defaults, visible to the very next request', async () => {
    const created = await demo.post<Session>(S, {
      labels: { suite: tag, case: 'INC-1' },
      integration_context: { 'crm.ticket': 'T-9' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      state: 'pending',
      runtime_state: 'none',
      presence_state: 'empty',
      owner_mode: 'collaborative',
      template_id: null,
      project_id: null,
      admission: { decision: 'owner_scoped', reason: 'owner_scoped', project_id: null, queue_position: null },
      viewport: { width: 1280, height: 720 },
      idle_timeout_sec: 300,
      idle_since: null,
      recording: { mode: 'disabled', retention_days: null },
      connection_counts: { owner: 0, collaborator: 0, viewer: 0, automation: 0, total: 0 },
      stop_eligibility: { allowed: true, blockers: [] },
      automation_owner: null,
      mcp_owner: null,
      runtime: null,
      stopped_at: null,
    });
    const list = await demo.get<Page>(`${S}?label.case=INC-1&label.suite=${tag}`);
    expect(list.body.items.map((s) => s.id)).toEqual([created.body.id]);
    expect((await demo.get<Session>(`${S}/${created.body.id}`)).body).toEqual(created.body);
    const status = await demo.get<Status>(`${S}/${created.body.id}/status`);
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({
      session_id: created.body.id,
      state: 'pending',
      connections: [],
      project: null,
      admission: { decision: 'owner_scoped' },
    });
  });

  it('merges template defaults; explicit fields win', async () => {
    const { body: project } = await demo.post<{ id: string }>('/api/v1/projects', { name: `${tag}-tpl` });
    const { body: t } = await demo.post<{ id: string }>('/api/v1/session-templates', {
      name: 'support',
      owner_mode: 'exclusive_owner',
      project_id: project.id,
      idle_timeout_sec: 1800,
      default_labels: { purpose: 'debug', team: 'support' },
      integration_context: { source: 'crm' },
      network_identity: { locale: 'de-CH', timezone: 'Europe/Zurich', user_agent: 'BP/1' },
      recording: { mode: 'manual', retention_days: 30 },
    });
    const s = await demo.post<Session>(S, {
      template_id: t.id,
      idle_timeout_sec: 600,
      labels: { team: 'qa', suite: tag },
      network_identity: { locale: 'fr-CH', egress_profile_id: '11111111-2222-4333-8444-555555555555' },
      recording: { mode: 'always' },
    });
    expect(s.status).toBe(201);
    expect(s.body).toMatchObject({
      template_id: t.id,
      project_id: project.id,
      owner_mode: 'exclusive_owner',
      idle_timeout_sec: 600,
      labels: { purpose: 'debug', team: 'qa', suite: tag },
      integration_context: { source: 'crm' },
      network_identity: {
        locale: 'fr-CH',
        timezone: 'Europe/Zurich',
        user_agent: 'BP/1',
        egress_profile_id: '11111111-2222-4333-8444-555555555555',
      },
      recording: { mode: 'always', retention_days: 30 },
      admission: { decision: 'admitted', reason: 'unlimited_quota', project_id: project.id },
    });
    const byTemplate = await demo.get<Page>(`${S}?template_id=${t.id}`);
    expect(byTemplate.body.items.map((x) => x.id)).toEqual([s.body.id]);
    // An explicit null project leaves the template's project out.
    const solo = await demo.post<Session>(S, { template_id: t.id, project_id: null });
    expect(solo.body).toMatchObject({ project_id: null, admission: { decision: 'owner_scoped' } });
  });

  it('filters by state, runtime state, project, label and integration context, and paginates', async () => {
    const r = await ready({ kind: 'filter' });
    await demo.post(S, { labels: { suite: tag, kind: 'filter' }, integration_context: { run: `${tag}-r1` } });
    const q = `${S}?label.suite=${tag}&label.kind=filter`;
    expect((await demo.get<Page>(q)).body.total).toBe(2);
    expect((await demo.get<Page>(`${q}&state=ready`)).body.items.map((s) => s.id)).toEqual([r.id]);
    expect((await demo.get<Page>(`${q}&runtime_state=running`)).body.items.map((s) => s.id)).toEqual([r.id]);
    expect((await demo.get<Page>(`${q}&runtime_state=none`)).body.total).toBe(1);
    expect((await demo.get<Page>(`${S}?integration.run=${tag}-r1`)).body.total).toBe(1);
    const page = await demo.get<Page>(`${q}&limit=1&offset=1`);
    expect(page.body).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(page.body.items).toHaveLength(1);
  });

  describe('idempotent creation', () => {
    it('replays the same request (200) and refuses a different one with the same key (409)', async () => {
      const key = `${tag}-idem`;
      const a = await demo.post<Session>(S, { labels: { suite: tag }, client_request_id: key });
      const b = await demo.post<Session>(S, { labels: { suite: tag }, client_request_id: key });
      expect([a.status, b.status]).toEqual([201, 200]);
      expect(b.body.id).toBe(a.body.id);
      const clash = await demo.post<Problem>(S, { labels: { other: 'x' }, client_request_id: key });
      expect([clash.status, clash.body.code]).toEqual([409, 'idempotency_conflict']);
      const h1 = await demo.post<Session>(S, {}, { 'idempotency-key': `${tag}-hdr` });
      const h2 = await demo.post<Session>(S, {}, { 'idempotency-key': `${tag}-hdr` });
      expect([h1.status, h2.status, h2.body.id]).toEqual([201, 200, h1.body.id]);
      const other = await demo2.post<Session>(S, {}, { 'idempotency-key': `${tag}-hdr` });
      expect(other.status).toBe(201);
      expect(other.body.id).not.toBe(h1.body.id);
    });
  });

  describe('project admission', () => {
    it('refuses sessions in an archived project (409) and writes nothing', async () => {
      const { body: p } = await demo.post<{ id: string }>('/api/v1/projects', { name: `${tag}-arch` });
      await demo.put(`/api/v1/projects/${p.id}`, { state: 'archived' });
      const before = await h.store.headPosition();
      const r = await demo.post<Problem>(S, { project_id: p.id });
      expect([r.status, r.body.code]).toEqual([409, 'project_archived']);
      expect(await h.store.headPosition()).toBe(before);
    });

    it('queues beyond max_active_sessions with a position and admits in order when a session stops', async () => {
      const { body: p } = await demo.post<{ id: string }>('/api/v1/projects', {
        name: `${tag}-quota`,
        quotas: { max_active_sessions: 1 },
      });
      const first = await demo.post<Session>(S, { project_id: p.id });
      expect(first.body.admission).toMatchObject({
        decision: 'admitted',
        reason: 'within_quota',
        queue_position: null,
      });
      const second = await demo.post<Session>(S, { project_id: p.id });
      const third = await demo.post<Session>(S, { project_id: p.id });
      expect([second.status, third.status]).toEqual([201, 201]);
      expect(second.body).toMatchObject({
        state: 'pending',
        admission: { decision: 'queued', reason: 'quota_exhausted', project_id: p.id, queue_position: 1 },
      });
      expect(third.body.admission).toMatchObject({ decision: 'queued', queue_position: 2 });
      const usage = await demo.get<{ active_sessions: number }>(`/api/v1/projects/${p.id}/usage`);
      expect(usage.body.active_sessions).toBe(1);
      const status = await demo.get<Status>(`${S}/${third.body.id}/status`);
      expect(status.body.project).toEqual({ id: p.id, name: `${tag}-quota`, state: 'active' });
      expect(status.body.admission).toMatchObject({ decision: 'queued', queue_position: 2 });
      // A queued session cannot be started by a runtime.
      await expect(
        runtime(second.body.id, (sessionId) => ({
          type: 'AssignRuntime',
          data: { sessionId, runtimeId: 'rt-x', backend: 'local' },
        })),
      ).rejects.toMatchObject({ code: 'illegal_state' });

      // A stop through the API hands the slot to the oldest queued session before it answers.
      const stopped = await demo.post<Session>(`${S}/${first.body.id}/stop`);
      expect(stopped.body).toMatchObject({ state: 'stopped', stop_reason: 'stop' });
      const admitted = await demo.get<Session>(`${S}/${second.body.id}`);
      expect(admitted.body.admission).toMatchObject({
        decision: 'admitted',
        reason: 'capacity_freed',
        queue_position: null,
      });
      const still = await demo.get<Session>(`${S}/${third.body.id}`);
      expect(still.body.admission).toMatchObject({ decision: 'queued', queue_position: 1 });
      expect(
        (await demo.get<{ active_sessions: number }>(`/api/v1/projects/${p.id}/usage`)).body.active_sessions,
      ).toBe(1);

      // A failure reported by the runtime (not through this API) frees the slot too.
      await runtime(second.body.id, (sessionId) => ({
        type: 'FailSession',
        data: { sessionId, code: 'runtime_crashed', message: 'the browser exited' },
      }));
      const third2 = await eventually(
        () => demo.get<Session>(`${S}/${third.body.id}`),
        (r) => r.body.admission?.decision === 'admitted',
      );
      expect(third2.body.admission).toMatchObject({ decision: 'admitted', reason: 'capacity_freed' });
      expect((await demo.get<Session>(`${S}/${second.body.id}`)).body).toMatchObject({
        state: 'failed',
        failure: { code: 'runtime_crashed' },
      });
      const byProject = await demo.get<Page>(`${S}?project_id=${p.id}&state=pending`);
      expect(byProject.body.items.map((s) => s.id)).toEqual([third.body.id]);
    });

    it('admits exactly up to the quota when requests race', async () => {
      const { body: p } = await demo.post<{ id: string }>('/api/v1/projects', {
        name: `${tag}-race`,
        quotas: { max_active_sessions: 1 },
      });
      const all = await Promise.all([1, 2, 3, 4].map(() => demo.post<Session>(S, { project_id: p.id })));
      expect(all.map((r) => r.status)).toEqual([201, 201, 201, 201]);
      expect(all.filter((r) => r.body.admission?.decision === 'admitted')).toHaveLength(1);
      const page = await demo.get<Page>(`${S}?project_id=${p.id}`);
      expect(page.body.items.map((s) => s.admission?.queue_position).sort()).toEqual([1, 2, 3, null]);
    });
  });

  describe('lifecycle', () => {
    it('runs pending → starting → ready ⇄ idle → expired, each step visible', async () => {
      const { body: s } = await demo.post<Session>(S, { labels: { suite: tag }, idle_timeout_sec: 60 });
      await runtime(s.id, (sessionId) => ({
        type: 'AssignRuntime',
        data: { sessionId, runtimeId: 'rt-life', backend: 'local' },
      }));
      expect((await demo.get<Session>(`${S}/${s.id}`)).body).toMatchObject({
        state: 'starting',
        runtime_state: 'starting',
        runtime: { runtime_id: 'rt-life', released_at: null },
      });
      await runtime(s.id, (sessionId) => ({ type: 'MarkSessionReady', data: { sessionId } }));
      await runtime(s.id, (sessionId) => ({ type: 'MarkSessionIdle', data: { sessionId } }));
      const idle = (await demo.get<Session>(`${S}/${s.id}`)).body;
      expect(idle).toMatchObject({ state: 'idle', runtime_state: 'running' });
      expect(Date.parse(idle.idle_expires_at!) - Date.parse(idle.idle_since!)).toBe(60_000);
      await connect(s.id, 'c-resume');
      expect((await demo.get<Session>(`${S}/${s.id}`)).body).toMatchObject({
        state: 'ready',
        idle_since: null,
        presence_state: 'connected',
      });
      await demo.post(`${S}/${s.id}/connections/disconnect-all`);
      await runtime(s.id, (sessionId) => ({ type: 'MarkSessionIdle', data: { sessionId } }));
      await runtime(s.id, (sessionId) => ({ type: 'ExpireSession', data: { sessionId } }));
      expect((await demo.get<Session>(`${S}/${s.id}`)).body).toMatchObject({
        state: 'expired',
        runtime_state: 'released',
      });
      const access = await demo.post<Problem>(`${S}/${s.id}/automation-access`);
      expect([access.status, access.body.code, access.body.state]).toEqual([409, 'illegal_state', 'expired']);
      const del = await demo.del(`${S}/${s.id}`);
      expect(del.status).toBe(204);
      expect((await demo.get(`${S}/${s.id}`)).status).toBe(404);
      expect(
        (await demo.get<Page>(`${S}?state=expired&label.suite=${tag}`)).body.items.map((x) => x.id),
      ).not.toContain(s.id);
    });

    it('blocks a safe stop while connections and owners remain, naming every blocker', async () => {
      const s = await ready();
      await connect(s.id, 'c-1');
      await connect(s.id, 'c-2', 'owner');
      const delegated = await demo.post<Session>(`${S}/${s.id}/automation-owner`, {
        client_id: 'bpane-mcp-bridge',
      });
      expect(delegated.body.automation_owner).toMatchObject({ client_id: 'bpane-mcp-bridge' });
      const blocked = await demo.post<Problem>(`${S}/${s.id}/stop`);
      expect(blocked.status).toBe(409);
      expect(blocked.body.code).toBe('illegal_state');
      expect(blocked.body.stop_eligibility?.blockers.map((b) => b.code)).toEqual([
        'active_connections',
        'automation_owner',
      ]);
      expect(blocked.body.stop_eligibility?.blockers[0]?.count).toBe(2);

      const status = await demo.get<Status>(`${S}/${s.id}/status`);
      expect(status.body.connections.map((c) => c.connection_id).sort()).toEqual(['c-1', 'c-2']);
      expect(status.body.connection_counts).toMatchObject({ viewer: 1, owner: 1, total: 2 });
      expect(status.body.stop_eligibility.allowed).toBe(false);

      const one = await demo.post<Session>(`${S}/${s.id}/connections/c-1/disconnect`);
      expect(one.body.connection_counts.total).toBe(1);
      const unknown = await demo.post<Problem>(`${S}/${s.id}/connections/nope/disconnect`);
      expect(unknown.status).toBe(404);
      const all = await demo.post<Session>(`${S}/${s.id}/connections/disconnect-all`);
      expect(all.body).toMatchObject({ connection_counts: { total: 0 }, state: 'ready' });

      // The delegated bridge may read the status and claim MCP ownership; nothing more.
      expect((await bridge.get<Status>(`${S}/${s.id}/status`)).status).toBe(200);
      expect((await bridge.get(`${S}/${s.id}`)).status).toBe(404);
      expect((await bridge.post(`${S}/${s.id}/stop`)).status).toBe(404);
      expect((await worker.get(`${S}/${s.id}/status`)).status).toBe(404);
      expect((await worker.post(`${S}/${s.id}/mcp-owner`)).status).toBe(404);
      const claimed = await bridge.post<Session>(`${S}/${s.id}/mcp-owner`);
      expect(claimed.status).toBe(200);
      expect(claimed.body.mcp_owner).toMatchObject({
        principal_type: 'service_principal',
        client_id: 'bpane-mcp-bridge',
      });
      expect(claimed.body.presence_state).toBe('automation');
      const taken = await demo.post<Problem>(`${S}/${s.id}/mcp-owner`);
      expect([taken.status, taken.body.code]).toEqual([409, 'illegal_state']);
      const twice = await demo.post<Problem>(`${S}/${s.id}/stop`);
      expect(twice.body.stop_eligibility?.blockers.map((b) => b.code)).toEqual([
        'automation_owner',
        'mcp_owner',
      ]);
      expect((await bridge.del<Session>(`${S}/${s.id}/mcp-owner`)).body.mcp_owner).toBeNull();
      expect((await demo.del<Session>(`${S}/${s.id}/automation-owner`)).body.automation_owner).toBeNull();
      expect((await bridge.get(`${S}/${s.id}/status`)).status).toBe(404);

      const access = await demo.post<Problem>(`${S}/${s.id}/automation-access`);
      expect([access.status, access.body.code]).toEqual([409, 'runtime_not_ready']);

      // With a runtime, a safe stop waits in `stopping` until the runtime confirms.
      const stopping = await demo.post<Session>(`${S}/${s.id}/stop`);
      expect(stopping.body).toMatchObject({ state: 'stopping', runtime_state: 'stopping' });
      const early = await demo.del<Problem>(`${S}/${s.id}`);
      expect(early.status).toBe(409);
      expect(early.body.stop_eligibility?.blockers.map((b) => b.code)).toEqual(['state']);
      await runtime(s.id, (sessionId) => ({ type: 'CompleteSessionStop', data: { sessionId } }));
      const done = await demo.get<Session>(`${S}/${s.id}`);
      expect(done.body).toMatchObject({ state: 'stopped', runtime_state: 'released', stop_reason: 'stop' });
      expect(done.body.stopped_at).not.toBeNull();
      expect(done.body.runtime_released_at).not.toBeNull();
      // A stopped session still answers its status.
      expect((await demo.get<Status>(`${S}/${s.id}/status`)).body.state).toBe('stopped');
      expect((await demo.del(`${S}/${s.id}`)).status).toBe(204);
    });

    it('release is refused while people are connected; kill always stops', async () => {
      const s = await ready();
      await connect(s.id, 'k-1');
      await demo.post(`${S}/${s.id}/automation-owner`, { client_id: 'bpane-mcp-bridge' });
      const refused = await demo.post<Problem>(`${S}/${s.id}/release`);
      expect(refused.status).toBe(409);
      expect(refused.body.stop_eligibility?.blockers.map((b) => b.code)).toEqual(['active_connections']);
      const killed = await demo.post<Session>(`${S}/${s.id}/kill`);
      expect(killed.body).toMatchObject({
        state: 'stopped',
        runtime_state: 'released',
        stop_reason: 'kill',
        connection_counts: { total: 0 },
        automation_owner: null,
      });
      const again = await demo.post<Problem>(`${S}/${s.id}/kill`);
      expect([again.status, again.body.code, again.body.state]).toEqual([409, 'illegal_state', 'stopped']);

      const r = await ready();
      await demo.post(`${S}/${r.id}/automation-owner`, { client_id: 'bpane-mcp-bridge' });
      const released = await demo.post<Session>(`${S}/${r.id}/release`);
      expect(released.body).toMatchObject({
        state: 'stopped',
        runtime_state: 'released',
        stop_reason: 'release',
      });
    });

    it('answers illegal transitions with 409 illegal_state and the state', async () => {
      const s = await ready();
      const cancel = await demo.post<Problem>(`${S}/${s.id}/cancel`);
      expect([cancel.status, cancel.body.code, cancel.body.state]).toEqual([409, 'illegal_state', 'ready']);
      const del = await demo.del<Problem>(`${S}/${s.id}`);
      expect(del.status).toBe(409);
      expect(del.body.stop_eligibility?.blockers.map((b) => b.code)).toEqual(['state']);
      const pending = await demo.post<Session>(S, {});
      expect((await demo.post<Problem>(`${S}/${pending.body.id}/release`)).body.code).toBe('illegal_state');
      await demo.post(`${S}/${pending.body.id}/cancel`);
      const stop = await demo.post<Problem>(`${S}/${pending.body.id}/stop`);
      expect([stop.status, stop.body.code]).toEqual([409, 'illegal_state']);
      expect(stop.body.stop_eligibility?.blockers.map((b) => b.code)).toEqual(['state']);
      const delegate = await demo.post<Problem>(`${S}/${pending.body.id}/automation-owner`, {
        client_id: 'x',
      });
      expect(delegate.status).toBe(409);
    });
  });

  describe('owner isolation', () => {
    it('demo2 can neither read, list, change nor learn of demo’s sessions, templates or projects', async () => {
      const { body: p } = await demo.post<{ id: string }>('/api/v1/projects', { name: `${tag}-iso` });
      const { body: t } = await demo.post<{ id: string }>('/api/v1/session-templates', { name: 'iso' });
      const { body: s } = await demo.post<Session>(S, {
        project_id: p.id,
        labels: { iso: tag },
        integration_context: { iso: tag },
      });
      const before = await h.store.headPosition();
      const reads = [`${S}/${s.id}`, `${S}/${s.id}/status`];
      for (const path of reads) expect((await demo2.get(path)).status, path).toBe(404);
      const posts: [string, unknown?][] = [
        [`${S}/${s.id}/stop`],
        [`${S}/${s.id}/release`],
        [`${S}/${s.id}/kill`],
        [`${S}/${s.id}/cancel`],
        [`${S}/${s.id}/connections/disconnect-all`],
        [`${S}/${s.id}/connections/c-1/disconnect`],
        [`${S}/${s.id}/automation-owner`, { client_id: 'bpane-mcp-bridge' }],
        [`${S}/${s.id}/mcp-owner`],
        [`${S}/${s.id}/automation-access`],
      ];
      for (const [path, body] of posts) {
        const r = await demo2.post<Problem>(path, body);
        expect([r.status, r.body.code], path).toEqual([404, 'not_found']);
      }
      for (const path of [`${S}/${s.id}`, `${S}/${s.id}/automation-owner`, `${S}/${s.id}/mcp-owner`])
        expect((await demo2.del(path)).status, path).toBe(404);
      for (const q of [
        `label.iso=${tag}`,
        `integration.iso=${tag}`,
        `project_id=${p.id}`,
        `template_id=${t.id}`,
      ])
        expect((await demo2.get<Page>(`${S}?${q}`)).body.total, q).toBe(0);
      const inProject = await demo2.post<Problem>(S, { project_id: p.id });
      expect([inProject.status, inProject.body.errors?.[0]?.field]).toEqual([400, 'project_id']);
      const fromTemplate = await demo2.post<Problem>(S, { template_id: t.id });
      expect([fromTemplate.status, fromTemplate.body.errors?.[0]?.field]).toEqual([400, 'template_id']);
      expect(await h.store.headPosition()).toBe(before);
      expect((await demo.get<Session>(`${S}/${s.id}`)).body.state).toBe('pending');
    });
  });

  describe('bad input', () => {
    it('answers 400 naming the field and writes nothing', async () => {
      const before = await h.store.headPosition();
      const cases: [unknown, string][] = [
        [{ owner_mode: 'solo' }, 'owner_mode'],
        [{ idle_timeout_sec: 1 }, 'idle_timeout_sec'],
        [{ viewport: { width: 100000, height: 600 } }, 'viewport.width'],
        [{ labels: { 'Bad Key': 'x' } }, 'labels'],
        [{ integration_context: { k: 5 } }, 'integration_context.k'],
        [{ network_identity: { locale: 'not a locale!' } }, 'network_identity.locale'],
        [
          { network_identity: { geolocation: { latitude: 100, longitude: 0 } } },
          'network_identity.geolocation',
        ],
        [{ network_identity: { egress_profile_id: 'nope' } }, 'network_identity.egress_profile_id'],
        [{ recording: { mode: 'sometimes' } }, 'recording.mode'],
        [{ template_id: 'x' }, 'template_id'],
        [{ project_id: crypto.randomUUID() }, 'project_id'],
        [{ template_id: crypto.randomUUID() }, 'template_id'],
        [{ colour: 'red' }, 'colour'],
      ];
      for (const [body, field] of cases) {
        const r = await demo.post<Problem>(S, body);
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(r.body.code).toBe('validation_failed');
        expect(
          r.body.errors?.some((e) => e.field.startsWith(field)),
          `${JSON.stringify(body)} → ${JSON.stringify(r.body.errors)}`,
        ).toBe(true);
      }
      const q = await demo.get<Problem>(`${S}?state=sleeping`);
      expect([q.status, q.body.errors?.[0]?.field]).toEqual([400, 'query.state']);
      expect((await demo.get<Problem>(`${S}?sort=x`)).status).toBe(400);
      expect((await demo.get<Problem>(`${S}/not-a-uuid`)).body.errors?.[0]?.field).toBe('path.session_id');
      const owner = await demo.post<Problem>(`${S}/${crypto.randomUUID()}/automation-owner`, {});
      expect([owner.status, owner.body.errors?.[0]?.field]).toEqual([400, 'client_id']);
      expect(await h.store.headPosition()).toBe(before);
    });
  });

  it('every response matched the OpenAPI contract', () => {
    expect(h.contractViolations).toEqual([]);
  });
});
