import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type ApiClient, type Harness } from '../testing/gateway-harness';

type Project = {
  id: string;
  name: string;
  description: string | null;
  labels: Record<string, string>;
  state: 'active' | 'archived';
  quotas: Record<string, number | null>;
  archived_at: string | null;
};
type Page = { items: Project[]; total: number; limit: number; offset: number };
type Problem = {
  code: string;
  status: number;
  detail: string;
  errors?: { field: string; message: string }[];
};

describe('projects API (/api/v1/projects)', () => {
  let h: Harness;
  let alice: ApiClient;
  let bob: ApiClient;

  beforeAll(async () => {
    h = await startHarness();
    alice = h.client(await h.tokenFor('demo'));
    bob = h.client(await h.tokenFor('demo2'));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('creates a project and lists it in the response to the very next request', async () => {
    const created = await alice.post<Project>('/api/v1/projects', {
      name: 'support-tenant',
      description: 'customer support',
      labels: { env: 'prod', team: 'support' },
      quotas: { max_active_sessions: 5 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'support-tenant',
      state: 'active',
      labels: { env: 'prod', team: 'support' },
      quotas: { max_active_sessions: 5, max_active_workflow_runs: null },
    });
    const list = await alice.get<Page>('/api/v1/projects');
    expect(list.status).toBe(200);
    expect(list.body.items.map((p) => p.id)).toContain(created.body.id);
    const one = await alice.get<Project>(`/api/v1/projects/${created.body.id}`);
    expect(one.body).toEqual(created.body);
  });

  it('filters by state and label, and paginates', async () => {
    for (const n of ['f-1', 'f-2', 'f-3'])
      expect((await alice.post('/api/v1/projects', { name: n, labels: { suite: 'filter' } })).status).toBe(
        201,
      );
    const page = await alice.get<Page>('/api/v1/projects?label.suite=filter&limit=2&offset=0');
    expect(page.body.total).toBe(3);
    expect(page.body.items).toHaveLength(2);
    const rest = await alice.get<Page>('/api/v1/projects?label.suite=filter&limit=2&offset=2');
    expect(rest.body.items).toHaveLength(1);
    const none = await alice.get<Page>('/api/v1/projects?label.suite=filter&state=archived');
    expect(none.body.total).toBe(0);
  });

  it('updates partially, archives and re-activates; an archived project refuses updates (409)', async () => {
    const { body: p } = await alice.post<Project>('/api/v1/projects', { name: 'lifecycle' });
    const renamed = await alice.put<Project>(`/api/v1/projects/${p.id}`, {
      name: 'lifecycle-2',
      quotas: { max_active_sessions: 1 },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'lifecycle-2', quotas: { max_active_sessions: 1 } });
    const archived = await alice.put<Project>(`/api/v1/projects/${p.id}`, { state: 'archived' });
    expect(archived.body.state).toBe('archived');
    expect(archived.body.archived_at).not.toBeNull();
    const refused = await alice.put<Problem>(`/api/v1/projects/${p.id}`, { name: 'nope' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('illegal_state');
    const listed = await alice.get<Page>('/api/v1/projects?state=archived');
    expect(listed.body.items.map((x) => x.id)).toContain(p.id);
    const back = await alice.put<Project>(`/api/v1/projects/${p.id}`, { state: 'active' });
    expect(back.body).toMatchObject({ state: 'active', archived_at: null });
  });

  it('reports usage against the quotas', async () => {
    const { body: p } = await alice.post<Project>('/api/v1/projects', {
      name: 'usage',
      quotas: { max_active_sessions: 2 },
    });
    const usage = await alice.get<{ project_id: string; quotas: Record<string, unknown> }>(
      `/api/v1/projects/${p.id}/usage`,
    );
    expect(usage.status).toBe(200);
    expect(usage.body).toMatchObject({ project_id: p.id, quotas: { max_active_sessions: 2 } });
  });

  describe('idempotent creation', () => {
    it('returns the same project for the same client_request_id (200) and 409 for a different request', async () => {
      const first = await alice.post<Project>('/api/v1/projects', {
        name: 'idem',
        client_request_id: 'req-1',
      });
      expect(first.status).toBe(201);
      const again = await alice.post<Project>('/api/v1/projects', {
        name: 'idem',
        client_request_id: 'req-1',
      });
      expect(again.status).toBe(200);
      expect(again.body.id).toBe(first.body.id);
      const clash = await alice.post<Problem>('/api/v1/projects', {
        name: 'other',
        client_request_id: 'req-1',
      });
      expect(clash.status).toBe(409);
      expect(clash.body.code).toBe('idempotency_conflict');
      const all = await alice.get<Page>('/api/v1/projects?limit=200');
      expect(all.body.items.filter((p) => p.name === 'idem')).toHaveLength(1);
    });

    it('accepts the Idempotency-Key header the same way, scoped per owner', async () => {
      const a = await alice.post<Project>('/api/v1/projects', { name: 'hdr' }, { 'idempotency-key': 'k-9' });
      const b = await alice.post<Project>('/api/v1/projects', { name: 'hdr' }, { 'idempotency-key': 'k-9' });
      expect([a.status, b.status]).toEqual([201, 200]);
      expect(b.body.id).toBe(a.body.id);
      const other = await bob.post<Project>(
        '/api/v1/projects',
        { name: 'hdr' },
        { 'idempotency-key': 'k-9' },
      );
      expect(other.status).toBe(201);
      expect(other.body.id).not.toBe(a.body.id);
    });
  });

  describe('owner isolation', () => {
    it('hides another owner’s project from get, list, update and usage (404, never 403)', async () => {
      const { body: secret } = await alice.post<Project>('/api/v1/projects', { name: 'alice-only' });
      expect((await bob.get<Problem>(`/api/v1/projects/${secret.id}`)).status).toBe(404);
      expect((await bob.get<Problem>(`/api/v1/projects/${secret.id}/usage`)).status).toBe(404);
      const put = await bob.put<Problem>(`/api/v1/projects/${secret.id}`, { name: 'stolen' });
      expect(put.status).toBe(404);
      expect(put.body.code).toBe('not_found');
      const bobs = await bob.get<Page>('/api/v1/projects?limit=200');
      expect(bobs.body.items.map((p) => p.id)).not.toContain(secret.id);
      const mine = await alice.get<Project>(`/api/v1/projects/${secret.id}`);
      expect(mine.body.name).toBe('alice-only');
    });
  });

  describe('bad input', () => {
    it('names the field for wrong types, unknown fields and out-of-range values', async () => {
      const r = await alice.post<Problem>('/api/v1/projects', {
        name: 42,
        colour: 'red',
        quotas: { max_active_sessions: -3 },
      });
      expect(r.status).toBe(400);
      expect(r.contentType).toMatch(/application\/problem\+json/);
      expect(r.body.code).toBe('validation_failed');
      expect(r.body.errors?.map((e) => e.field).sort()).toEqual([
        'colour',
        'name',
        'quotas.max_active_sessions',
      ]);
    });

    it('answers malformed JSON, a missing body and a wrong media type with 4xx problems', async () => {
      const bad = await alice.request<Problem>('POST', '/api/v1/projects', {
        rawBody: '{"name":',
        headers: { 'content-type': 'application/json' },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.code).toBe('invalid_json');
      const empty = await alice.request<Problem>('POST', '/api/v1/projects', {
        headers: { 'content-type': 'application/json' },
      });
      expect(empty.status).toBe(400);
      const text = await alice.request<Problem>('POST', '/api/v1/projects', {
        rawBody: 'name=x',
        headers: { 'content-type': 'text/plain' },
      });
      expect(text.status).toBe(415);
      expect(text.body.code).toBe('unsupported_media_type');
    });

    it('refuses bad ids and unknown query parameters', async () => {
      const id = await alice.get<Problem>('/api/v1/projects/not-a-uuid');
      expect(id.status).toBe(400);
      expect(id.body.errors?.[0]?.field).toBe('path.project_id');
      const q = await alice.get<Problem>('/api/v1/projects?sort=name');
      expect(q.status).toBe(400);
      expect(q.body.errors?.[0]?.field).toBe('query.sort');
    });

    it('writes no event for a rejected request', async () => {
      const before = await h.store.headPosition();
      await alice.post('/api/v1/projects', { name: '' });
      await alice.post('/api/v1/projects', { name: 'x', quotas: { max_active_sessions: 'many' } });
      expect(await h.store.headPosition()).toBe(before);
    });
  });

  describe('authentication', () => {
    it('refuses requests without a valid bearer token (401 problem)', async () => {
      const anon = h.client();
      const r = await anon.get<Problem>('/api/v1/projects');
      expect(r.status).toBe(401);
      expect(r.body.code).toBe('unauthenticated');
      const forged = h.client('eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln');
      expect((await forged.get('/api/v1/projects')).status).toBe(401);
    });

    it('returns the calling principal without the token', async () => {
      const me = await alice.get<Record<string, unknown>>('/api/v1/identity/me');
      expect(me.status).toBe(200);
      expect(me.body).toMatchObject({ principal_type: 'user', username: 'demo' });
      const svc = h.client(await h.serviceToken('bpane-workflow-worker'));
      const sme = await svc.get<Record<string, unknown>>('/api/v1/identity/me');
      expect(sme.body).toMatchObject({
        principal_type: 'service_principal',
        client_id: 'bpane-workflow-worker',
      });
      expect(JSON.stringify(me.body)).not.toMatch(/eyJ/);
    });
  });

  describe('audit log (/api/v1/events)', () => {
    it('shows the owner’s own events only, filterable by stream and type', async () => {
      const { body: p } = await alice.post<Project>('/api/v1/projects', { name: 'audited' });
      await alice.put(`/api/v1/projects/${p.id}`, { state: 'archived' });
      const stream = `project-${p.id}`;
      const mine = await alice.get<{ items: { type: string; stream_id: string }[] }>(
        `/api/v1/events?stream=${stream}&limit=50`,
      );
      expect(mine.body.items.map((e) => e.type)).toEqual(['ProjectCreated', 'ProjectArchived']);
      const theirs = await bob.get<{ items: unknown[] }>(`/api/v1/events?stream=${stream}`);
      expect(theirs.body.items).toEqual([]);
      const typed = await alice.get<{ items: { type: string }[] }>(
        '/api/v1/events?type=ProjectArchived&limit=200',
      );
      expect(typed.body.items.length).toBeGreaterThan(0);
      expect(new Set(typed.body.items.map((e) => e.type))).toEqual(new Set(['ProjectArchived']));
    });

    it('replays a project’s state as of any position, for its owner only', async () => {
      const { body: p } = await alice.post<Project>('/api/v1/projects', { name: 'replayed' });
      const created = await alice.get<{ items: { position: string }[] }>(
        `/api/v1/events?stream=project-${p.id}`,
      );
      await alice.put(`/api/v1/projects/${p.id}`, { name: 'renamed', state: 'archived' });
      const at = created.body.items[0]!.position;
      const then = await alice.get<{ state: { status: string; name: string }; event_count: number }>(
        `/api/v1/events/state?stream=project-${p.id}&at=${at}`,
      );
      expect(then.status).toBe(200);
      expect(then.body).toMatchObject({ event_count: 1, state: { status: 'active', name: 'replayed' } });
      const now = await alice.get<{ state: { status: string; name: string }; event_count: number }>(
        `/api/v1/events/state?stream=project-${p.id}`,
      );
      expect(now.body).toMatchObject({ event_count: 3, state: { status: 'archived', name: 'renamed' } });
      expect((await bob.get(`/api/v1/events/state?stream=project-${p.id}`)).status).toBe(404);
      expect(
        (await alice.get('/api/v1/events/state?stream=project-00000000-0000-4000-8000-000000000000')).status,
      ).toBe(404);
    });

    it('pages by position', async () => {
      const first = await alice.get<{ items: { position: string }[]; next_after: string }>(
        '/api/v1/events?limit=2',
      );
      expect(first.body.items).toHaveLength(2);
      const second = await alice.get<{ items: { position: string }[] }>(
        `/api/v1/events?limit=2&after=${first.body.next_after}`,
      );
      expect(BigInt(second.body.items[0]!.position)).toBeGreaterThan(BigInt(first.body.items[1]!.position));
    });
  });

  it('every response matched the OpenAPI contract', () => {
    expect(h.contractViolations).toEqual([]);
  });
});
