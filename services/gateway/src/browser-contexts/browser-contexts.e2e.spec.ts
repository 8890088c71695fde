import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type ApiClient, type Harness } from '../testing/gateway-harness';

type Ctx = {
  id: string;
  name: string;
  labels: Record<string, string>;
  retention_sec: number | null;
  retention_expires_at: string | null;
  cloned_from: string | null;
  usage: { profile_storage_limit_exceeded: boolean };
  created_at: string;
};
type Problem = { code: string; errors?: { field: string }[] };

describe('browser contexts API', () => {
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

  it('creates a context with retention and lists it by label', async () => {
    const r = await alice.post<Ctx>('/api/v1/browser-contexts', {
      name: 'crm',
      labels: { team: 'sales' },
      retention_sec: 3600,
    });
    expect(r.status).toBe(201);
    expect(Date.parse(r.body.retention_expires_at!) - Date.parse(r.body.created_at)).toBe(3_600_000);
    const list = await alice.get<{ items: Ctx[] }>('/api/v1/browser-contexts?label.team=sales');
    expect(list.body.items.map((c) => c.id)).toEqual([r.body.id]);
  });

  it('clones settings, updates, and deletes', async () => {
    const { body: src } = await alice.post<Ctx>('/api/v1/browser-contexts', {
      name: 'src',
      labels: { k: 'v' },
      retention_sec: 600,
    });
    const clone = await alice.post<Ctx>(`/api/v1/browser-contexts/${src.id}/clone`, {});
    expect(clone.status).toBe(201);
    expect(clone.body).toMatchObject({
      name: 'src (copy)',
      labels: { k: 'v' },
      retention_sec: 600,
      cloned_from: src.id,
    });
    const upd = await alice.put<Ctx>(`/api/v1/browser-contexts/${clone.body.id}`, {
      name: 'renamed',
      retention_sec: null,
    });
    expect(upd.body).toMatchObject({ name: 'renamed', retention_sec: null, retention_expires_at: null });
    expect((await alice.del(`/api/v1/browser-contexts/${clone.body.id}`)).status).toBe(204);
    expect((await alice.get(`/api/v1/browser-contexts/${clone.body.id}`)).status).toBe(404);
    expect((await alice.del(`/api/v1/browser-contexts/${clone.body.id}`)).status).toBe(404);
  });

  it('validates limits naming the fields, and isolates owners', async () => {
    const bad = await alice.post<Problem>('/api/v1/browser-contexts', {
      name: 'x',
      retention_sec: 5,
      max_profile_storage_bytes: 1,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.map((e) => e.field).sort()).toEqual([
      'max_profile_storage_bytes',
      'retention_sec',
    ]);
    const { body: mine } = await alice.post<Ctx>('/api/v1/browser-contexts', { name: 'private' });
    expect((await bob.get(`/api/v1/browser-contexts/${mine.id}`)).status).toBe(404);
    expect((await bob.del(`/api/v1/browser-contexts/${mine.id}`)).status).toBe(404);
    expect((await bob.post(`/api/v1/browser-contexts/${mine.id}/clone`, {})).status).toBe(404);
    expect((await bob.get<{ items: unknown[] }>('/api/v1/browser-contexts')).body.items).toEqual([]);
  });

  it('every response matched the OpenAPI contract', () => {
    expect(h.contractViolations).toEqual([]);
  });
});
