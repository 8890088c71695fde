import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type ApiClient, type Harness } from '../testing/gateway-harness';

type Template = {
  id: string;
  name: string;
  description: string | null;
  labels: Record<string, string>;
  owner_mode: string | null;
  project_id: string | null;
  viewport: { width: number; height: number } | null;
  idle_timeout_sec: number | null;
  default_labels: Record<string, string>;
  integration_context: Record<string, string>;
  network_identity: Record<string, unknown>;
  recording: { mode: string; retention_days: number | null } | null;
  created_at: string;
  updated_at: string;
};
type Page = { items: Template[]; total: number; limit: number; offset: number };
type Problem = { code: string; status: number; errors?: { field: string }[] };

describe('session templates API (/api/v1/session-templates)', () => {
  let h: Harness;
  let demo: ApiClient;
  let demo2: ApiClient;
  const tag = `t${Date.now().toString(36)}`;

  beforeAll(async () => {
    h = await startHarness();
    demo = h.client(await h.tokenFor('demo'));
    demo2 = h.client(await h.tokenFor('demo2'));
  });
  afterAll(async () => {
    await h?.close();
  });

  it('creates a template with defaults and lists it in the very next request', async () => {
    const { body: project } = await demo.post<{ id: string }>('/api/v1/projects', { name: `${tag}-p` });
    const created = await demo.post<Template>('/api/v1/session-templates', {
      name: 'customer-debug-session',
      description: 'Support debug sessions',
      labels: { team: 'support', suite: tag },
      owner_mode: 'collaborative',
      project_id: project.id,
      viewport: { width: 1440, height: 900 },
      idle_timeout_sec: 1800,
      default_labels: { purpose: 'debug' },
      integration_context: { 'crm.case': 'C-1' },
      network_identity: {
        locale: 'de-CH',
        languages: ['de-CH', 'en'],
        timezone: 'Europe/Zurich',
        geolocation: { latitude: 47.37, longitude: 8.54 },
        egress_profile_id: '11111111-2222-4333-8444-555555555555',
      },
      recording: { mode: 'manual' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: 'customer-debug-session',
      owner_mode: 'collaborative',
      project_id: project.id,
      viewport: { width: 1440, height: 900 },
      idle_timeout_sec: 1800,
      default_labels: { purpose: 'debug' },
      network_identity: {
        locale: 'de-CH',
        languages: ['de-CH', 'en'],
        timezone: 'Europe/Zurich',
        geolocation: { latitude: 47.37, longitude: 8.54, accuracy_m: null },
        user_agent: null,
        egress_profile_id: '11111111-2222-4333-8444-555555555555',
      },
      recording: { mode: 'manual', retention_days: null },
    });
    const list = await demo.get<Page>(`/api/v1/session-templates?label.suite=${tag}`);
    expect(list.body.items.map((t) => t.id)).toEqual([created.body.id]);
    const one = await demo.get<Template>(`/api/v1/session-templates/${created.body.id}`);
    expect(one.body).toEqual(created.body);
  });

  it('leaves unset defaults null and updates partially (null clears)', async () => {
    const { body: t } = await demo.post<Template>('/api/v1/session-templates', { name: 'bare' });
    expect(t).toMatchObject({ owner_mode: null, idle_timeout_sec: null, viewport: null, recording: null });
    const u = await demo.put<Template>(`/api/v1/session-templates/${t.id}`, {
      idle_timeout_sec: 600,
      recording: { mode: 'always', retention_days: 7 },
    });
    expect(u.status).toBe(200);
    expect(u.body).toMatchObject({
      name: 'bare',
      idle_timeout_sec: 600,
      recording: { mode: 'always', retention_days: 7 },
    });
    const cleared = await demo.put<Template>(`/api/v1/session-templates/${t.id}`, {
      idle_timeout_sec: null,
      name: 'bare-2',
    });
    expect(cleared.body).toMatchObject({
      name: 'bare-2',
      idle_timeout_sec: null,
      recording: { mode: 'always' },
    });
    expect((await demo.get<Template>(`/api/v1/session-templates/${t.id}`)).body.name).toBe('bare-2');
  });

  it('paginates', async () => {
    for (const n of ['a', 'b', 'c'])
      await demo.post('/api/v1/session-templates', { name: n, labels: { page: tag } });
    const first = await demo.get<Page>(`/api/v1/session-templates?label.page=${tag}&limit=2`);
    expect([first.body.total, first.body.items.length]).toEqual([3, 2]);
    const rest = await demo.get<Page>(`/api/v1/session-templates?label.page=${tag}&limit=2&offset=2`);
    expect(rest.body.items).toHaveLength(1);
  });

  it('is idempotent by client_request_id and Idempotency-Key', async () => {
    const a = await demo.post<Template>('/api/v1/session-templates', {
      name: 'idem',
      client_request_id: `${tag}-1`,
    });
    const b = await demo.post<Template>('/api/v1/session-templates', {
      name: 'idem',
      client_request_id: `${tag}-1`,
    });
    expect([a.status, b.status]).toEqual([201, 200]);
    expect(b.body.id).toBe(a.body.id);
    const clash = await demo.post<Problem>('/api/v1/session-templates', {
      name: 'other',
      client_request_id: `${tag}-1`,
    });
    expect([clash.status, clash.body.code]).toEqual([409, 'idempotency_conflict']);
    const h1 = await demo.post<Template>(
      '/api/v1/session-templates',
      { name: 'hdr' },
      { 'idempotency-key': `${tag}-k` },
    );
    const h2 = await demo.post<Template>(
      '/api/v1/session-templates',
      { name: 'hdr' },
      { 'idempotency-key': `${tag}-k` },
    );
    expect([h1.status, h2.status, h2.body.id]).toEqual([201, 200, h1.body.id]);
  });

  it('hides templates from other owners (404, never listed, no changes)', async () => {
    const { body: secret } = await demo.post<Template>('/api/v1/session-templates', {
      name: 'secret',
      labels: { iso: tag },
    });
    expect((await demo2.get<Problem>(`/api/v1/session-templates/${secret.id}`)).status).toBe(404);
    const put = await demo2.put<Problem>(`/api/v1/session-templates/${secret.id}`, { name: 'stolen' });
    expect([put.status, put.body.code]).toEqual([404, 'not_found']);
    expect((await demo2.get<Page>(`/api/v1/session-templates?label.iso=${tag}`)).body.total).toBe(0);
    expect((await demo.get<Template>(`/api/v1/session-templates/${secret.id}`)).body.name).toBe('secret');
    // Nor can demo2 use demo's project as a template default.
    const { body: p } = await demo.post<{ id: string }>('/api/v1/projects', { name: `${tag}-iso` });
    const foreign = await demo2.post<Problem>('/api/v1/session-templates', { name: 'x', project_id: p.id });
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors?.map((e) => e.field)).toEqual(['project_id']);
  });

  it('answers bad input with 400 naming the field and writes nothing', async () => {
    const before = await h.store.headPosition();
    const cases: [unknown, string][] = [
      [{ name: '' }, 'name'],
      [{ name: 'x', owner_mode: 'solo' }, 'owner_mode'],
      [{ name: 'x', idle_timeout_sec: 5 }, 'idle_timeout_sec'],
      [{ name: 'x', viewport: { width: 10, height: 600 } }, 'viewport'],
      [{ name: 'x', recording: { mode: 'sometimes' } }, 'recording'],
      [{ name: 'x', network_identity: { timezone: 'not a zone' } }, 'network_identity.timezone'],
      [{ name: 'x', network_identity: { egress_profile_id: 'nope' } }, 'network_identity.egress_profile_id'],
      [{ name: 'x', colour: 'red' }, 'colour'],
    ];
    for (const [body, field] of cases) {
      const r = await demo.post<Problem>('/api/v1/session-templates', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.code).toBe('validation_failed');
      expect(
        r.body.errors?.some((e) => e.field.startsWith(field)),
        JSON.stringify(r.body),
      ).toBe(true);
    }
    const empty = await demo.put<Problem>(`/api/v1/session-templates/${crypto.randomUUID()}`, {});
    expect(empty.status).toBe(400);
    expect((await demo.get<Problem>('/api/v1/session-templates/not-a-uuid')).body.errors?.[0]?.field).toBe(
      'path.template_id',
    );
    expect(await h.store.headPosition()).toBe(before);
  });

  it('every response matched the OpenAPI contract', () => {
    expect(h.contractViolations).toEqual([]);
  });
});
