import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type ApiClient, type Harness } from '../testing/gateway-harness';

type Sp = {
  id: string;
  client_id: string;
  state: string;
  display_name: string;
  description: string | null;
  disabled_at: string | null;
};
type Mapping = {
  id: string;
  subject: Record<string, string>;
  project_id: string;
  project_name: string | null;
  role: string;
  state: string;
};
type List<T> = { items: T[]; total: number };
type Problem = { code: string; errors?: { field: string }[] };
type Review = {
  principal: { username: string | null; principal_type: string };
  matched_mappings: Mapping[];
  unmapped_signals: { kind: string; name: string; value: string }[];
  service_principals: Sp[];
  identity_mappings: Mapping[];
  projects: { id: string; active_mappings: number }[];
  resource_counts: Record<string, number>;
};

describe('identity API: service principals, identity mappings, access review', () => {
  let h: Harness;
  let alice: ApiClient;
  let bob: ApiClient;
  let projectId: string;
  let otherProjectId: string;

  beforeAll(async () => {
    h = await startHarness();
    alice = h.client(await h.tokenFor('demo'));
    bob = h.client(await h.tokenFor('demo2'));
    projectId = (await alice.post<{ id: string }>('/api/v1/projects', { name: 'support' })).body.id;
    otherProjectId = (await alice.post<{ id: string }>('/api/v1/projects', { name: 'ops' })).body.id;
  });
  afterAll(async () => {
    await h?.close();
  });

  describe('service principals', () => {
    it('registers, lists, gets, updates, disables and re-enables', async () => {
      const created = await alice.post<Sp>('/api/v1/service-principals', {
        client_id: 'bpane-workflow-worker',
        display_name: 'Workflow worker',
        labels: { tier: 'batch' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        client_id: 'bpane-workflow-worker',
        state: 'active',
        disabled_at: null,
      });
      const list = await alice.get<List<Sp>>('/api/v1/service-principals');
      expect(list.body.items.map((s) => s.id)).toContain(created.body.id);
      const updated = await alice.put<Sp>(`/api/v1/service-principals/${created.body.id}`, {
        description: 'nightly runs',
      });
      expect(updated.body).toMatchObject({ description: 'nightly runs', display_name: 'Workflow worker' });
      const disabled = await alice.put<Sp>(`/api/v1/service-principals/${created.body.id}`, {
        state: 'disabled',
      });
      expect(disabled.body.state).toBe('disabled');
      expect(disabled.body.disabled_at).not.toBeNull();
      const onlyDisabled = await alice.get<List<Sp>>('/api/v1/service-principals?state=disabled');
      expect(onlyDisabled.body.items.map((s) => s.id)).toEqual([created.body.id]);
      const enabled = await alice.put<Sp>(`/api/v1/service-principals/${created.body.id}`, {
        state: 'active',
      });
      expect(enabled.body).toMatchObject({ state: 'active', disabled_at: null });
    });

    it('refuses a second registration of the same client id, and replays idempotent ones', async () => {
      const dup = await alice.post<Problem>('/api/v1/service-principals', {
        client_id: 'bpane-workflow-worker',
        display_name: 'again',
      });
      expect(dup.status).toBe(409);
      const a = await alice.post<Sp>('/api/v1/service-principals', {
        client_id: 'bpane-mcp-bridge',
        display_name: 'MCP bridge',
        client_request_id: 'sp-1',
      });
      const b = await alice.post<Sp>('/api/v1/service-principals', {
        client_id: 'bpane-mcp-bridge',
        display_name: 'MCP bridge',
        client_request_id: 'sp-1',
      });
      expect([a.status, b.status]).toEqual([201, 200]);
      expect(b.body.id).toBe(a.body.id);
    });

    it('names bad fields', async () => {
      const r = await alice.post<Problem>('/api/v1/service-principals', {
        client_id: 'has space',
        display_name: '',
      });
      expect(r.status).toBe(400);
      expect(r.body.errors?.map((e) => e.field).sort()).toEqual(['client_id', 'display_name']);
    });
  });

  describe('identity mappings', () => {
    it('maps users, groups, safe claims and service principals to own projects', async () => {
      const sp = (await alice.get<List<Sp>>('/api/v1/service-principals?client_id=bpane-mcp-bridge')).body
        .items[0]!;
      const subjects = [
        { kind: 'group', group: 'bpane-users' },
        { kind: 'user', subject: 'someone-else' },
        { kind: 'claim', claim: 'tenant', value: 'acme' },
        { kind: 'service_principal', service_principal_id: sp.id },
      ];
      for (const subject of subjects) {
        const r = await alice.post<Mapping>('/api/v1/identity-mappings', { subject, project_id: projectId });
        expect(r.status, JSON.stringify(subject)).toBe(201);
        expect(r.body).toMatchObject({
          subject,
          project_id: projectId,
          project_name: 'support',
          role: 'member',
          state: 'active',
        });
      }
      const list = await alice.get<List<Mapping>>(`/api/v1/identity-mappings?project_id=${projectId}`);
      expect(list.body.total).toBe(4);
    });

    it('refuses claims outside the safe set and projects or principals that are not the caller’s', async () => {
      const claim = await alice.post<Problem>('/api/v1/identity-mappings', {
        subject: { kind: 'claim', claim: 'email', value: 'x@y' },
        project_id: projectId,
      });
      expect(claim.status).toBe(400);
      const bobsProject = (await bob.post<{ id: string }>('/api/v1/projects', { name: 'bob' })).body.id;
      const foreign = await alice.post<Problem>('/api/v1/identity-mappings', {
        subject: { kind: 'group', group: 'x' },
        project_id: bobsProject,
      });
      expect(foreign.status).toBe(404);
    });

    it('moves a mapping, changes its role, disables it; other owners cannot see it', async () => {
      const m = (
        await alice.post<Mapping>('/api/v1/identity-mappings', {
          subject: { kind: 'group', group: 'ops' },
          project_id: projectId,
        })
      ).body;
      const moved = await alice.put<Mapping>(`/api/v1/identity-mappings/${m.id}`, {
        project_id: otherProjectId,
        role: 'viewer',
      });
      expect(moved.body).toMatchObject({ project_id: otherProjectId, project_name: 'ops', role: 'viewer' });
      const off = await alice.put<Mapping>(`/api/v1/identity-mappings/${m.id}`, { state: 'disabled' });
      expect(off.body.state).toBe('disabled');
      expect((await bob.get(`/api/v1/identity-mappings/${m.id}`)).status).toBe(404);
      expect((await bob.put(`/api/v1/identity-mappings/${m.id}`, { role: 'member' })).status).toBe(404);
      expect((await bob.get<List<Mapping>>('/api/v1/identity-mappings')).body.items).toEqual([]);
      expect((await bob.get<List<Sp>>('/api/v1/service-principals')).body.items).toEqual([]);
    });
  });

  describe('access review', () => {
    it('shows matched mappings and the caller’s unmapped groups, without raw claims', async () => {
      const r = await alice.get<Review>('/api/v1/identity/access-review');
      expect(r.status).toBe(200);
      expect(r.body.principal).toMatchObject({ username: 'demo', principal_type: 'user' });
      expect(r.body.matched_mappings.map((m) => m.subject)).toContainEqual({
        kind: 'group',
        group: 'bpane-users',
      });
      expect(r.body.unmapped_signals).toContainEqual({
        kind: 'group',
        name: 'groups',
        value: 'bpane-admins',
      });
      expect(r.body.unmapped_signals).not.toContainEqual({
        kind: 'group',
        name: 'groups',
        value: 'bpane-users',
      });
      expect(r.body.resource_counts).toMatchObject({ projects: 2, service_principals: 2 });
      expect(r.body.projects.find((p) => p.id === projectId)?.active_mappings).toBe(4);
      expect(JSON.stringify(r.body)).not.toMatch(/eyJ/);
    });

    it('matches a service principal by its registered client id', async () => {
      // The dev issuer's service token has its own subject; mappings of the owner apply only to the owner's view,
      // so the service principal reviews its own (empty) registrations and reports itself as unregistered.
      const svc = h.client(await h.serviceToken('bpane-recording-worker'));
      const r = await svc.get<Review>('/api/v1/identity/access-review');
      expect(r.body.principal.principal_type).toBe('service_principal');
      expect(r.body.unmapped_signals).toContainEqual({
        kind: 'service_principal',
        name: 'client_id',
        value: 'bpane-recording-worker',
      });
    });
  });

  it('refuses to delegate a session’s automation to a disabled service principal', async () => {
    const sp = (
      await alice.post<Sp>('/api/v1/service-principals', {
        client_id: 'bpane-recording-worker',
        display_name: 'Recorder',
      })
    ).body;
    const session = (await alice.post<{ id: string }>('/api/v1/sessions', {})).body;
    const ok = await alice.post<{ automation_owner: { client_id: string } | null }>(
      `/api/v1/sessions/${session.id}/automation-owner`,
      { client_id: 'bpane-recording-worker' },
    );
    expect(ok.status).toBe(200);
    expect(ok.body.automation_owner?.client_id).toBe('bpane-recording-worker');
    await alice.del(`/api/v1/sessions/${session.id}/automation-owner`);
    await alice.put(`/api/v1/service-principals/${sp.id}`, { state: 'disabled' });
    const refused = await alice.post<Problem>(`/api/v1/sessions/${session.id}/automation-owner`, {
      client_id: 'bpane-recording-worker',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('service_principal_disabled');
    const review = await alice.get<Review>('/api/v1/identity/access-review');
    expect(review.body.resource_counts['sessions']).toBeGreaterThanOrEqual(1);
  });

  it('every response matched the OpenAPI contract', () => {
    expect(h.contractViolations).toEqual([]);
  });
});
