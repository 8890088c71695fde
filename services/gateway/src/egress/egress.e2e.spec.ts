import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type ApiClient, type Harness } from '../testing/gateway-harness';

type Profile = {
  id: string;
  name: string;
  state: string;
  proxy: { url: string; bypass: string[]; credential_binding_id: string | null } | null;
  traffic_observation: { mode: string; sensitive_log_sink_ref: string | null };
  effective_status: { proxied: boolean; proxy_host: string | null; proxy_auth: string; warnings: string[] };
};
type Diagnostics = {
  evidence: string;
  last_probe: { outcome: string; latency_ms: number | null; detail: string } | null;
};
type Problem = { code: string; errors?: { field: string }[] };

/** A loopback HTTP proxy that answers every CONNECT with `status` and remembers what it was asked. */
const fakeProxy = async (status: number): Promise<{ server: Server; port: number; requests: string[] }> => {
  const requests: string[] = [];
  const server = createServer((socket) => {
    socket.once('data', (d) => {
      requests.push(d.toString('latin1').split('\r\n')[0] ?? '');
      socket.end(`HTTP/1.1 ${status} Whatever\r\nContent-Length: 0\r\n\r\n`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port, requests };
};

describe('egress profiles API', () => {
  let h: Harness;
  let alice: ApiClient;
  let bob: ApiClient;
  const servers: Server[] = [];

  beforeAll(async () => {
    h = await startHarness();
    alice = h.client(await h.tokenFor('demo'));
    bob = h.client(await h.tokenFor('demo2'));
  });
  afterAll(async () => {
    for (const s of servers) s.close();
    await h?.close();
  });

  it('creates a proxied profile with metadata_only observation and a sanitized effective status', async () => {
    const r = await alice.post<Profile>('/api/v1/egress-profiles', {
      name: 'corp',
      proxy: { url: 'http://proxy.internal:3128', bypass: ['.corp.example', '10.0.0.0/8'] },
      labels: { env: 'prod' },
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      name: 'corp',
      state: 'active',
      traffic_observation: { mode: 'metadata_only', sensitive_log_sink_ref: null },
      effective_status: { proxied: true, proxy_host: 'proxy.internal:3128', proxy_auth: 'none' },
    });
    const list = await alice.get<{ items: Profile[] }>('/api/v1/egress-profiles?label.env=prod');
    expect(list.body.items.map((p) => p.id)).toEqual([r.body.id]);
  });

  it('refuses credentials in the proxy URL and tls_intercept without proxy, CA and log sink', async () => {
    const creds = await alice.post<Problem>('/api/v1/egress-profiles', {
      name: 'x',
      proxy: { url: 'http://u:secret@p:3128' },
    });
    expect(creds.status).toBe(400);
    expect(creds.body.errors?.map((e) => e.field)).toEqual(['proxy.url']);
    expect(JSON.stringify(creds.body)).not.toContain('secret');
    const tls = await alice.post<Problem>('/api/v1/egress-profiles', {
      name: 'x',
      traffic_observation: { mode: 'tls_intercept' },
    });
    expect(tls.status).toBe(400);
    expect(tls.body.errors?.map((e) => e.field).sort()).toEqual([
      'custom_ca_ref',
      'proxy',
      'traffic_observation.sensitive_log_sink_ref',
    ]);
    const ok = await alice.post<Profile>('/api/v1/egress-profiles', {
      name: 'inspect',
      proxy: { url: 'http://proxy.internal:3128' },
      custom_ca_ref: 'file:///etc/bpane/ca.pem',
      traffic_observation: { mode: 'tls_intercept', sensitive_log_sink_ref: 'siem://soc/decrypted' },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.effective_status.warnings.join(' ')).toMatch(/TLS interception/);
  });

  it('probes through a real proxy: reachable, authentication required, unreachable', async () => {
    const good = await fakeProxy(200);
    const auth = await fakeProxy(407);
    servers.push(good.server, auth.server);
    const mk = async (port: number) =>
      (
        await alice.post<Profile>('/api/v1/egress-profiles', {
          name: `p${port}`,
          proxy: { url: `http://127.0.0.1:${port}` },
        })
      ).body.id;
    const before = await alice.get<Diagnostics>(`/api/v1/egress-profiles/${await mk(good.port)}/diagnostics`);
    expect(before.body).toMatchObject({ evidence: 'configuration_only', last_probe: null });

    const goodId = await mk(good.port);
    const probed = await alice.post<Diagnostics>(`/api/v1/egress-profiles/${goodId}/diagnostics/probe`, {
      target_host: 'example.org',
    });
    expect(probed.status).toBe(200);
    expect(probed.body).toMatchObject({ evidence: 'probe', last_probe: { outcome: 'reachable' } });
    expect(good.requests).toContain('CONNECT example.org:443 HTTP/1.1');
    expect(JSON.stringify(probed.body)).not.toContain('example.org');

    const authId = await mk(auth.port);
    const needAuth = await alice.post<Diagnostics>(`/api/v1/egress-profiles/${authId}/diagnostics/probe`, {});
    expect(needAuth.body.last_probe?.outcome).toBe('auth_required');

    const closed = await fakeProxy(200);
    closed.server.close();
    const deadId = await mk(closed.port);
    const dead = await alice.post<Diagnostics>(`/api/v1/egress-profiles/${deadId}/diagnostics/probe`, {});
    expect(dead.body.last_probe?.outcome).toBe('unreachable');
  });

  it('disables (probes refused), re-enables, and hides profiles from other owners', async () => {
    const { body: p } = await alice.post<Profile>('/api/v1/egress-profiles', { name: 'lifecycle' });
    const off = await alice.put<Profile>(`/api/v1/egress-profiles/${p.id}`, { state: 'disabled' });
    expect(off.body.state).toBe('disabled');
    expect((await alice.post<Problem>(`/api/v1/egress-profiles/${p.id}/diagnostics/probe`, {})).status).toBe(
      409,
    );
    const on = await alice.put<Profile>(`/api/v1/egress-profiles/${p.id}`, {
      state: 'active',
      description: 'back',
    });
    expect(on.body.state).toBe('active');
    for (const path of [`/api/v1/egress-profiles/${p.id}`, `/api/v1/egress-profiles/${p.id}/diagnostics`])
      expect((await bob.get(path)).status).toBe(404);
    expect((await bob.put(`/api/v1/egress-profiles/${p.id}`, { name: 'mine' })).status).toBe(404);
    expect((await bob.get<{ items: unknown[] }>('/api/v1/egress-profiles')).body.items).toEqual([]);
  });

  it('every response matched the OpenAPI contract', () => {
    expect(h.contractViolations).toEqual([]);
  });
});
