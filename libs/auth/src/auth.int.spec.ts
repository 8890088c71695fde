import 'reflect-metadata';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import {
  DEV_SERVICE_CLIENT_SECRETS,
  pkcePair,
  refreshTokens,
  serviceTokens,
  silentLogger,
  startDevIdp,
  userTokens,
  type DevIdp,
} from '@bpane/dev-idp';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthModule,
  CurrentPrincipal,
  IdentityProviderUnavailableError,
  Public,
  ServiceTokenError,
  UnauthenticatedError,
  createServiceTokenSource,
  createTokenVerifier,
  getServiceToken,
  type AuthFailureReason,
  type Principal,
  type TokenVerifier,
} from './index';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const reasonOf = async (p: Promise<unknown>): Promise<AuthFailureReason | 'accepted'> => {
  try {
    await p;
    return 'accepted';
  } catch (e) {
    if (e instanceof UnauthenticatedError) return e.reason;
    throw e;
  }
};

/** A loopback "application" that receives the authorization redirect. */
const startCallbackServer = async (): Promise<{ server: Server; base: string }> => {
  const server = createServer((req, res) => {
    res
      .writeHead(200, { 'content-type': 'text/html' })
      .end('<!doctype html><title>BrowserPane admin</title><p>signed in</p>');
    req.resume();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};

describe('libs/auth against the dev issuer', () => {
  let idp: DevIdp;
  let verifier: TokenVerifier;

  beforeAll(async () => {
    idp = await startDevIdp({ port: 0, keysPath: null, logger: silentLogger });
    verifier = createTokenVerifier({ issuer: idp.issuer, audience: idp.audience });
  });
  afterAll(async () => idp.close());

  it('(a) verifies a client-credentials token as the service principal', async () => {
    const token = await getServiceToken({
      issuer: idp.issuer,
      clientId: 'bpane-mcp-bridge',
      clientSecret: DEV_SERVICE_CLIENT_SECRETS['bpane-mcp-bridge'],
      audience: 'bpane-api',
    });
    const p = await verifier.verifyAuthorizationHeader(`Bearer ${token}`);
    expect(p).toEqual<Principal>({
      kind: 'service',
      subject: 'bpane-mcp-bridge',
      issuer: idp.issuer,
      groups: [],
      roles: [],
      scopes: [],
      clientId: 'bpane-mcp-bridge',
      attributes: {},
      expiresAt: expect.any(Number) as number,
    });
  });

  it('caches service tokens until near expiry and fails clearly on bad credentials', async () => {
    let clock = Date.now();
    const source = createServiceTokenSource({
      issuer: idp.issuer,
      clientId: 'bpane-recording-worker',
      clientSecret: DEV_SERVICE_CLIENT_SECRETS['bpane-recording-worker'],
      resource: idp.resourceIndicator,
      scope: 'bpane:api',
      now: () => clock,
    });
    const [t1, t1b] = await Promise.all([source.getToken(), source.getToken()]);
    expect(t1b).toBe(t1);
    clock += 800_000; // 900 s token: still more than 30 s left
    expect(await source.getToken()).toBe(t1);
    clock += 80_000; // 20 s left: replaced
    const t2 = await source.getToken();
    expect(t2).not.toBe(t1);
    expect((await verifier.verify(t2)).scopes).toEqual(['bpane:api']);
    source.invalidate();
    expect(await source.getToken()).not.toBe(t2);

    const same = {
      issuer: idp.issuer,
      clientId: 'bpane-workflow-worker',
      clientSecret: DEV_SERVICE_CLIENT_SECRETS['bpane-workflow-worker'],
    };
    expect(await getServiceToken(same)).toBe(await getServiceToken(same));

    const wrong = getServiceToken({ ...same, clientSecret: 'definitely-not-the-secret' });
    await expect(wrong).rejects.toBeInstanceOf(ServiceTokenError);
    await expect(wrong).rejects.toMatchObject({ details: { status: 401, error: 'invalid_client' } });
    await wrong.catch((e: Error) => expect(e.message).not.toContain('definitely-not-the-secret'));
    await expect(getServiceToken({ ...same, audience: 'another-api' })).rejects.toThrow(
      /not for audience another-api/,
    );
  });

  it('(c) a refreshed access token verifies as the same user', async () => {
    const t = await userTokens({ issuer: idp.issuer, username: 'demo', password: 'demo-demo' });
    const t2 = await refreshTokens(idp.issuer, t.refresh_token!);
    const [p1, p2] = await Promise.all([verifier.verify(t.access_token), verifier.verify(t2.access_token)]);
    expect(p2).toMatchObject({
      kind: 'user',
      subject: p1.subject,
      username: 'demo',
      email: 'demo@example.com',
    });
    expect(p2.groups).toEqual(['bpane-users', 'bpane-admins']);
  });

  it('(e) refuses tampered, expired, wrong-audience and wrong-issuer tokens with the right reason', async () => {
    const { access_token: token } = await serviceTokens(idp.issuer, 'bpane-mcp-bridge');
    const [h, p, s] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'bpane-admin' })).toString('base64url')}.${s}`;
    expect(await reasonOf(verifier.verify(tampered))).toBe('bad_signature');

    const later = createTokenVerifier({
      issuer: idp.issuer,
      audience: idp.audience,
      now: () => new Date(Date.now() + 3600_000),
    });
    expect(await reasonOf(later.verify(token))).toBe('expired');

    const otherAudience = createTokenVerifier({ issuer: idp.issuer, audience: 'another-api' });
    expect(await reasonOf(otherAudience.verify(token))).toBe('wrong_audience');

    const otherIssuer = createTokenVerifier({
      issuer: 'http://other.test',
      audience: idp.audience,
      jwksUri: idp.endpoints.jwks,
    });
    expect(await reasonOf(otherIssuer.verify(token))).toBe('wrong_issuer');

    // A token from another issuer entirely is signed by keys this issuer does not publish.
    const stranger = await startDevIdp({ port: 0, keysPath: null, logger: silentLogger });
    try {
      const foreign = (await serviceTokens(stranger.issuer, 'bpane-mcp-bridge')).access_token;
      expect(await reasonOf(verifier.verify(foreign))).toBe('bad_signature');
    } finally {
      await stranger.close();
    }

    const { id_token: idToken } = await userTokens({
      issuer: idp.issuer,
      username: 'demo',
      password: 'demo-demo',
    });
    expect(await reasonOf(verifier.verify(idToken!))).toBe('wrong_audience');
    expect(await reasonOf(verifier.verifyAuthorizationHeader(undefined))).toBe('missing');
    expect(await reasonOf(verifier.verifyAuthorizationHeader('Token abc'))).toBe('malformed');
  });

  it('reports an unreachable issuer as unavailable, not as a bad token', async () => {
    const { access_token: token } = await serviceTokens(idp.issuer, 'bpane-mcp-bridge');
    const down = createTokenVerifier({
      issuer: 'http://127.0.0.1:9',
      audience: idp.audience,
      fetchTimeoutMs: 1000,
    });
    await expect(down.verify(token)).rejects.toBeInstanceOf(IdentityProviderUnavailableError);
  });
});

describe('(b) authorization code + PKCE through headless Chromium', () => {
  let idp: DevIdp;
  let browser: Browser;
  let callback: { server: Server; base: string };

  beforeAll(async () => {
    idp = await startDevIdp({ port: 0, keysPath: null, logger: silentLogger });
    callback = await startCallbackServer();
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    });
  });
  afterAll(async () => {
    await browser?.close();
    callback?.server.close();
    await idp?.close();
  });

  it('signs demo in on the login page (wrong password first) and the token verifies', async () => {
    const redirectUri = `${callback.base}/admin/`;
    const { verifier: codeVerifier, challenge } = pkcePair();
    const auth = new URL(idp.endpoints.authorization);
    auth.search = new URLSearchParams({
      client_id: 'bpane-admin',
      redirect_uri: redirectUri,
      response_type: 'code',
      scope: 'openid profile email groups bpane:api',
      state: 'st-123',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();

    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(auth.href);
      await expect.poll(() => page.getByRole('heading', { name: 'Sign in to BrowserPane' }).count()).toBe(1);
      await page.getByLabel('Username').fill('demo');
      await page.getByLabel('Password').fill('not-the-password');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').waitFor();
      expect(await page.getByRole('alert').textContent()).toContain('Invalid username or password.');
      expect(await page.getByLabel('Username').inputValue()).toBe('demo');

      await page.getByLabel('Password').fill('demo-demo');
      await Promise.all([
        page.waitForURL((u) => u.href.startsWith(redirectUri)),
        page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
      const back = new URL(page.url());
      expect(back.searchParams.get('state')).toBe('st-123');
      expect(back.searchParams.get('iss')).toBe(idp.issuer);
      const code = back.searchParams.get('code')!;

      const res = await fetch(idp.endpoints.token, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          client_id: 'bpane-admin',
          code_verifier: codeVerifier,
        }),
      });
      expect(res.status).toBe(200);
      const tokens = (await res.json()) as { access_token: string; refresh_token: string };
      const principal = await createTokenVerifier({ issuer: idp.issuer, audience: 'bpane-api' }).verify(
        tokens.access_token,
      );
      expect(principal).toMatchObject({
        kind: 'user',
        subject: '5d0c3f3e-8f0a-4a52-9a40-6f1e4c0d0001',
        username: 'demo',
        name: 'Demo User',
        clientId: 'bpane-admin',
        scopes: ['bpane:api'],
      });

      // The same code cannot be redeemed twice.
      const again = await fetch(idp.endpoints.token, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: redirectUri,
          client_id: 'bpane-admin',
          code_verifier: codeVerifier,
        }),
      });
      expect(again.status).toBe(400);
    } finally {
      await context.close();
    }
  });

  it('connects the CLI with the device flow in the browser', async () => {
    const da = (await (
      await fetch(idp.endpoints.deviceAuthorization, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: 'bpane-cli', scope: 'openid profile' }),
      })
    ).json()) as { device_code: string; user_code: string; verification_uri_complete: string };
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(da.verification_uri_complete);
      await page.getByRole('heading', { name: 'Confirm the device' }).waitFor();
      expect(await page.locator('code.user-code').textContent()).toBe(da.user_code);
      await page.getByRole('button', { name: 'Confirm' }).click();
      await page.getByLabel('Username').fill('demo2');
      await page.getByLabel('Password').fill('demo2-demo2');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Device connected' }).waitFor();
    } finally {
      await context.close();
    }
    const res = await fetch(idp.endpoints.token, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
        device_code: da.device_code,
        client_id: 'bpane-cli',
      }),
    });
    expect(res.status).toBe(200);
    const { access_token } = (await res.json()) as { access_token: string };
    const p = await createTokenVerifier({ issuer: idp.issuer, audience: 'bpane-api' }).verify(access_token);
    expect(p).toMatchObject({ kind: 'user', username: 'demo2', clientId: 'bpane-cli' });
  });
});

describe('(f) signing keys survive an issuer restart', () => {
  it('verifies a token issued before the restart, with a fresh and with a warm verifier', async () => {
    const { mkdtemp, rm } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = await mkdtemp(join(tmpdir(), 'bpane-auth-'));
    const keysPath = join(dir, 'keys.json');
    try {
      const first = await startDevIdp({ port: 0, keysPath, logger: silentLogger });
      const before = (await userTokens({ issuer: first.issuer, username: 'demo', password: 'demo-demo' }))
        .access_token;
      const warm = createTokenVerifier({ issuer: first.issuer, audience: 'bpane-api' });
      expect((await warm.verify(before)).username).toBe('demo');
      const { port, issuer } = first;
      await first.close();

      const second = await startDevIdp({ port, keysPath, logger: silentLogger });
      try {
        expect(second.issuer).toBe(issuer);
        const fresh = createTokenVerifier({ issuer, audience: 'bpane-api' });
        expect((await fresh.verify(before)).username).toBe('demo');
        const after = (await serviceTokens(issuer, 'bpane-mcp-bridge')).access_token;
        expect((await warm.verify(after)).kind).toBe('service');
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

@Controller()
class ProbeController {
  @Public()
  @Get('healthz')
  health(): { status: string } {
    return { status: 'ok' };
  }

  @Get('me')
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('NestJS global guard (Fastify)', () => {
  let idp: DevIdp;
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    idp = await startDevIdp({ port: 0, keysPath: null, logger: silentLogger });
    @Module({ imports: [AuthModule.forRoot({ issuer: idp.issuer, audience: idp.audience }), ProbeModule] })
    class AppModule {}
    app = await NestFactory.create(AppModule, new FastifyAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    base = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    await app?.close();
    await idp?.close();
  });

  it('lets @Public() routes through without a token', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
  });

  it('answers 401 problem+json with a Bearer challenge when the token is missing or bad', async () => {
    const missing = await fetch(`${base}/me`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="bpane"');
    expect(await missing.json()).toMatchObject({ status: 401, code: 'unauthenticated', reason: 'missing' });

    const { access_token: token } = await serviceTokens(idp.issuer, 'bpane-mcp-bridge');
    const broken = `${token.slice(0, -6)}AAAAAA`;
    const bad = await fetch(`${base}/me`, { headers: { authorization: `Bearer ${broken}` } });
    expect(bad.status).toBe(401);
    expect(bad.headers.get('www-authenticate')).toContain('error="invalid_token"');
    const body = await bad.text();
    expect(JSON.parse(body)).toMatchObject({ code: 'unauthenticated', reason: 'bad_signature' });
    expect(body).not.toContain(broken);
  });

  it('hands the verified principal to the route; two users get two subjects', async () => {
    const me = async (token: string) =>
      (await (
        await fetch(`${base}/me`, { headers: { authorization: `Bearer ${token}` } })
      ).json()) as Principal;
    const demo = await me(
      (await userTokens({ issuer: idp.issuer, username: 'demo', password: 'demo-demo' })).access_token,
    );
    const demo2 = await me(
      (await userTokens({ issuer: idp.issuer, username: 'demo2', password: 'demo2-demo2' })).access_token,
    );
    const svc = await me((await serviceTokens(idp.issuer, 'bpane-workflow-worker')).access_token);
    expect(demo).toMatchObject({ kind: 'user', username: 'demo', issuer: idp.issuer });
    expect(demo2).toMatchObject({ kind: 'user', username: 'demo2', issuer: idp.issuer });
    expect(demo.subject).not.toBe(demo2.subject);
    expect(svc).toMatchObject({ kind: 'service', clientId: 'bpane-workflow-worker' });
  });
});
