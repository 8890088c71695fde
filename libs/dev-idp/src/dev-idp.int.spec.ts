import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CookieJar,
  DEFAULT_DEV_USERS,
  DEV_SERVICE_CLIENT_SECRETS,
  DevIdpError,
  loginWithPassword,
  refreshTokens,
  serviceTokens,
  silentLogger,
  startDevIdp,
  userTokens,
  type DevIdp,
} from './index';

const form = (body: Record<string, string>): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(body),
});

/** Follows redirects with a cookie jar, like a browser, and submits the provider's auto-post pages. */
const browse = async (jar: CookieJar, start: string, init: RequestInit = {}) => {
  let url = start;
  let req = init;
  for (let hop = 0; hop < 12; hop++) {
    const res = await fetch(url, {
      ...req,
      redirect: 'manual',
      headers: { ...(req.headers as Record<string, string>), cookie: jar.header(url) },
    });
    jar.store(res);
    const location = res.headers.get('location');
    if (location !== null && res.status >= 300 && res.status < 400) {
      url = new URL(location, url).href;
      req = {};
      continue;
    }
    const text = await res.text();
    if (text.includes('<title>Submitting Callback</title>')) {
      const action = /<form method="post" action="([^"]+)"/.exec(text)![1]!;
      const inputs = Object.fromEntries(
        [...text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [
          m[1]!,
          m[2]!,
        ]),
      );
      url = new URL(action, url).href;
      req = form(inputs);
      continue;
    }
    return { status: res.status, url, text, headers: res.headers };
  }
  throw new Error('too many hops');
};

const verifyWith = async (idp: DevIdp, token: string, audience = 'bpane-api') => {
  const jwks = (await (await fetch(idp.endpoints.jwks)).json()) as { keys: JWK[] };
  return jwtVerify(token, createLocalJWKSet(jwks), {
    issuer: idp.issuer,
    audience,
    algorithms: ['ES256', 'RS256'],
  });
};

describe('dev-idp (oidc-provider) on an ephemeral port', () => {
  let idp: DevIdp;

  beforeAll(async () => {
    idp = await startDevIdp({
      port: 0,
      keysPath: null,
      logger: silentLogger,
      users: [...DEFAULT_DEV_USERS, { username: 'carol', password: 'carol-carol', groups: ['auditors'] }],
    });
  });
  afterAll(async () => idp.close());

  it('publishes discovery with the BrowserPane endpoints and grants', async () => {
    const res = await fetch(idp.endpoints.discovery);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Record<string, unknown>;
    expect(doc['issuer']).toBe(idp.issuer);
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(doc['jwks_uri']).toBe(idp.endpoints.jwks);
    expect(doc['token_endpoint']).toBe(idp.endpoints.token);
    expect(doc['device_authorization_endpoint']).toBe(idp.endpoints.deviceAuthorization);
    expect(doc['grant_types_supported']).toEqual(
      expect.arrayContaining([
        'authorization_code',
        'refresh_token',
        'client_credentials',
        'urn:ietf:params:oauth:grant-type:device_code',
      ]),
    );
    expect(doc['code_challenge_methods_supported']).toEqual(['S256']);
    expect(doc['response_types_supported']).toEqual(['code']);
  });

  it('publishes an ES256 and an RS256 public key, without private parts', async () => {
    const jwks = (await (await fetch(idp.endpoints.jwks)).json()) as { keys: JWK[] };
    expect(jwks.keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
    for (const k of jwks.keys) {
      expect(k.kid).toBeTruthy();
      expect(k.d).toBeUndefined();
      expect(k.p).toBeUndefined();
    }
  });

  it('issues client-credentials JWTs to each service client, marked as service principals', async () => {
    for (const clientId of ['bpane-mcp-bridge', 'bpane-workflow-worker', 'bpane-recording-worker'] as const) {
      const t = await serviceTokens(idp.issuer, clientId, DEV_SERVICE_CLIENT_SECRETS[clientId], 'bpane:api');
      expect(t.token_type).toBe('Bearer');
      expect(t.expires_in).toBe(900);
      expect(decodeProtectedHeader(t.access_token)).toMatchObject({ alg: 'ES256', typ: 'at+jwt' });
      const { payload } = await verifyWith(idp, t.access_token);
      expect(payload).toMatchObject({
        iss: idp.issuer,
        aud: 'bpane-api',
        sub: clientId,
        client_id: clientId,
        principal_type: 'service',
        scope: 'bpane:api',
      });
    }
  });

  it('refuses a wrong client secret and a public client at the client-credentials grant', async () => {
    await expect(
      serviceTokens(idp.issuer, 'bpane-mcp-bridge', 'not-the-secret-at-all'),
    ).rejects.toMatchObject({
      status: 401,
    });
    const res = await fetch(
      idp.endpoints.token,
      form({ grant_type: 'client_credentials', client_id: 'bpane-admin' }),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(
      /invalid_request|unauthorized_client|invalid_client/,
    );
  });

  it('signs demo in with authorization code + PKCE and issues JWT access, ID and refresh tokens', async () => {
    const t = await userTokens({ issuer: idp.issuer, username: 'demo', password: 'demo-demo' });
    expect(t.refresh_token).toBeTruthy();
    const { payload } = await verifyWith(idp, t.access_token);
    expect(payload).toMatchObject({
      sub: '5d0c3f3e-8f0a-4a52-9a40-6f1e4c0d0001',
      preferred_username: 'demo',
      email: 'demo@example.com',
      name: 'Demo User',
      groups: ['bpane-users', 'bpane-admins'],
      client_id: 'bpane-admin',
      aud: 'bpane-api',
    });
    expect(payload['principal_type']).toBeUndefined();
    const claims = Object.keys(payload).sort();
    expect(claims).toEqual(
      [
        'aud',
        'client_id',
        'email',
        'exp',
        'groups',
        'iat',
        'iss',
        'jti',
        'name',
        'preferred_username',
        'sub',
      ].sort(),
    );
    const id = decodeJwt(t.id_token!);
    expect(id).toMatchObject({ aud: 'bpane-admin', preferred_username: 'demo', email: 'demo@example.com' });
  });

  it('keeps two users apart and lets tests add users through config', async () => {
    const a = decodeJwt(
      (await userTokens({ issuer: idp.issuer, username: 'demo', password: 'demo-demo' })).access_token,
    );
    const b = decodeJwt(
      (await userTokens({ issuer: idp.issuer, username: 'demo2', password: 'demo2-demo2' })).access_token,
    );
    const c = decodeJwt(
      (await userTokens({ issuer: idp.issuer, username: 'carol', password: 'carol-carol' })).access_token,
    );
    expect(new Set([a.sub, b.sub, c.sub]).size).toBe(3);
    expect(b['groups']).toEqual(['bpane-users']);
    expect(c['groups']).toEqual(['auditors']);
    expect(c['email']).toBe('carol@example.com');
  });

  it('rotates refresh tokens: the new one works, the old one is spent', async () => {
    const t = await userTokens({ issuer: idp.issuer, username: 'demo', password: 'demo-demo' });
    const t2 = await refreshTokens(idp.issuer, t.refresh_token!);
    expect(t2.refresh_token).toBeTruthy();
    expect(t2.refresh_token).not.toBe(t.refresh_token);
    const { payload } = await verifyWith(idp, t2.access_token);
    expect(payload['sub']).toBe('5d0c3f3e-8f0a-4a52-9a40-6f1e4c0d0001');
    const t3 = await refreshTokens(idp.issuer, t2.refresh_token!);
    expect(t3.access_token).toBeTruthy();
  });

  it('treats the replay of a spent refresh token as theft and revokes the whole grant', async () => {
    const t = await userTokens({
      issuer: idp.issuer,
      username: 'demo2',
      password: 'demo2-demo2',
      clientId: 'bpane-cli',
      redirectUri: 'http://127.0.0.1:40000/callback',
    });
    const t2 = await refreshTokens(idp.issuer, t.refresh_token!, 'bpane-cli');
    await expect(refreshTokens(idp.issuer, t.refresh_token!, 'bpane-cli')).rejects.toMatchObject({
      status: 400,
    });
    await expect(refreshTokens(idp.issuer, t2.refresh_token!, 'bpane-cli')).rejects.toMatchObject({
      status: 400,
    });
  });

  it('answers a wrong password with the login form again (401) and no code', async () => {
    const r = await loginWithPassword({ issuer: idp.issuer, username: 'demo', password: 'wrong-password' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.status).toBe(401);
    expect(r.page).toContain('Invalid username or password.');
    expect(r.page).toContain('role="alert"');
    const unknown = await loginWithPassword({
      issuer: idp.issuer,
      username: 'mallory',
      password: 'demo-demo',
    });
    expect(unknown.ok).toBe(false);
  });

  it('rejects an authorization request without PKCE', async () => {
    const r = await loginWithPassword({
      issuer: idp.issuer,
      username: 'demo',
      password: 'demo-demo',
      pkce: false,
    });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const location = new URL(r.location!);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
  });

  it('rejects unregistered redirect URIs, but lets bpane-admin and bpane-cli use any loopback port', async () => {
    const admin = await loginWithPassword({
      issuer: idp.issuer,
      username: 'demo',
      password: 'demo-demo',
      redirectUri: 'http://localhost:5173/admin/',
    });
    expect(admin.ok).toBe(true);
    const cli = await loginWithPassword({
      issuer: idp.issuer,
      username: 'demo',
      password: 'demo-demo',
      clientId: 'bpane-cli',
      redirectUri: 'http://127.0.0.1:49152/callback',
    });
    expect(cli.ok).toBe(true);
    for (const redirectUri of ['http://localhost:5173/elsewhere/', 'https://evil.example/admin/']) {
      const bad = await loginWithPassword({
        issuer: idp.issuer,
        username: 'demo',
        password: 'demo-demo',
        redirectUri,
      });
      expect(bad.ok, redirectUri).toBe(false);
      if (!bad.ok) expect(bad.status).toBe(400);
    }
  });

  it('refuses an unknown resource indicator', async () => {
    const res = await fetch(idp.endpoints.token, {
      ...form({ grant_type: 'client_credentials', resource: 'urn:someone-else' }),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from(`bpane-mcp-bridge:${DEV_SERVICE_CLIENT_SECRETS['bpane-mcp-bridge']}`).toString('base64')}`,
      },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toBe('invalid_target');
  });

  it('runs the device authorization grant for the CLI through its pages', async () => {
    const da = (await (
      await fetch(
        idp.endpoints.deviceAuthorization,
        form({ client_id: 'bpane-cli', scope: 'openid profile' }),
      )
    ).json()) as Record<string, string>;
    expect(da['user_code']).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    const poll = () =>
      fetch(
        idp.endpoints.token,
        form({
          grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
          device_code: da['device_code']!,
          client_id: 'bpane-cli',
        }),
      );
    const pending = await poll();
    expect(((await pending.json()) as { error: string }).error).toBe('authorization_pending');

    const jar = new CookieJar();
    let page = await browse(jar, da['verification_uri']!);
    expect(page.text).toContain('<label for="user_code">Device code</label>');
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page.text)![1]!;
    page = await browse(jar, da['verification_uri']!, form({ xsrf, user_code: 'WRNG-CODE' }));
    expect(page.text).toContain('not valid');
    const xsrf2 = /name="xsrf" value="([^"]+)"/.exec(page.text)![1]!;
    page = await browse(
      jar,
      da['verification_uri']!,
      form({ xsrf: xsrf2, user_code: da['user_code']!.toLowerCase() }),
    );
    expect(page.text).toContain('Confirm the device');
    expect(page.text).toContain(da['user_code']);
    const xsrf3 = /name="xsrf" value="([^"]+)"/.exec(page.text)![1]!;
    page = await browse(
      jar,
      da['verification_uri']!,
      form({ xsrf: xsrf3, user_code: da['user_code']!, confirm: 'yes' }),
    );
    expect(page.text).toContain('Sign in to BrowserPane');
    const action = /action="([^"]+\/login)"/.exec(page.text)![1]!;
    page = await browse(
      jar,
      new URL(action, page.url).href,
      form({ username: 'demo2', password: 'demo2-demo2' }),
    );
    expect(page.text).toContain('Device connected');

    const res = await poll();
    expect(res.status).toBe(200);
    const t = (await res.json()) as { access_token: string; refresh_token?: string };
    const { payload } = await verifyWith(idp, t.access_token);
    expect(payload).toMatchObject({ preferred_username: 'demo2', client_id: 'bpane-cli', aud: 'bpane-api' });
    expect(t.refresh_token).toBeTruthy();
  });

  it('only lets a browser act on its own sign-in request', async () => {
    const start = new URL(idp.endpoints.authorization);
    start.search = new URLSearchParams({
      client_id: 'bpane-admin',
      redirect_uri: 'http://127.0.0.1:8080/admin/',
      response_type: 'code',
      scope: 'openid',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    }).toString();
    const mine = new CookieJar();
    const theirs = new CookieJar();
    const a = await browse(mine, start.href);
    const b = await browse(theirs, start.href);
    expect(a.url).not.toBe(b.url);
    // My cookies with their interaction URL: refused, and no login happens.
    const cross = await browse(mine, `${b.url}/login`, form({ username: 'demo', password: 'demo-demo' }));
    expect(cross.status).toBe(400);
    expect(cross.text).toContain('interaction_expired');
    // No cookies at all: refused too.
    expect((await fetch(b.url)).status).toBe(400);
  });

  it('serves its pages without scripts and with security headers', async () => {
    const jar = new CookieJar();
    const page = await browse(jar, `${idp.issuer}/device`);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.text).not.toContain('<script');
    expect((await fetch(`${idp.issuer}/healthz`)).status).toBe(200);
  });
});

describe('dev-idp key storage', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bpane-dev-idp-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('creates the key file 0600 and reuses it, so tokens survive a restart', async () => {
    const keysPath = join(dir, 'nested', 'keys.json');
    const first = await startDevIdp({ port: 0, keysPath, logger: silentLogger });
    const { port, issuer } = first;
    const token = (await serviceTokens(issuer, 'bpane-workflow-worker')).access_token;
    const kids = first.jwks.keys.map((k) => k.kid);
    await first.close();
    expect((await stat(keysPath)).mode & 0o777).toBe(0o600);

    const second = await startDevIdp({ port, keysPath, logger: silentLogger, accessTokenAlg: 'RS256' });
    try {
      expect(second.issuer).toBe(issuer);
      expect(second.jwks.keys.map((k) => k.kid)).toEqual(kids);
      const { payload } = await verifyWith(second, token);
      expect(payload['sub']).toBe('bpane-workflow-worker');
      const rs = (await serviceTokens(second.issuer, 'bpane-workflow-worker')).access_token;
      expect(decodeProtectedHeader(rs).alg).toBe('RS256');
      await verifyWith(second, rs);
    } finally {
      await second.close();
    }
  });

  it('refuses to start with an unusable key file instead of replacing it', async () => {
    const keysPath = join(dir, 'broken.json');
    await import('node:fs/promises').then((fs) => fs.writeFile(keysPath, '{"format":"other"}'));
    await expect(startDevIdp({ port: 0, keysPath, logger: silentLogger })).rejects.toBeInstanceOf(
      DevIdpError,
    );
    expect(await readFile(keysPath, 'utf8')).toBe('{"format":"other"}');
  });
});
