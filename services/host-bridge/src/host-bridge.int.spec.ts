import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  acquireBrowser,
  acquireHostBrowser,
  HostBrowserBridgeError,
  readHostBridgeClientConfig,
  type HostBrowserLease,
} from '@bpane/host-bridge-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  killProcessesMentioning,
  runBridgeToExit,
  startBridge,
  startXvfb,
  type BridgeProcess,
} from './test-support/harness';
import { LOCK_FILE } from './profile-lock';

const PAGE = `<!doctype html><title>bridge test</title>
<button id="go" onclick="document.getElementById('out').textContent = 'clicked ' + (++window.n)">go</button>
<p id="out">idle</p><script>window.n = 0</script>`;

type Status = { status: number; body: string; upgraded: boolean };

/** One HTTP request or WebSocket upgrade with exactly the headers given. */
const probe = (
  port: number,
  path: string,
  headers: Record<string, string>,
  upgrade: boolean,
): Promise<Status> =>
  new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      headers: upgrade
        ? {
            ...headers,
            connection: 'Upgrade',
            upgrade: 'websocket',
            'sec-websocket-version': '13',
            'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
          }
        : headers,
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, body: '', upgraded: true });
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, upgraded: false }));
    });
    req.on('error', reject);
    req.end();
  });

describe('host browser bridge (Xvfb, Debian Chromium)', () => {
  let home: string;
  let env: Record<string, string>;
  let stopX: (() => Promise<void>) | undefined;
  let display = '';
  let pageServer: Server;
  let pageUrl = '';
  const bridges: BridgeProcess[] = [];
  let a: BridgeProcess;

  const clientEnv = (b: BridgeProcess, profile: string, token = b.token): Record<string, string> => ({
    BPANE_HOST_BROWSER_BRIDGE_URL: b.endpoint,
    BPANE_HOST_BROWSER_BRIDGE_TOKEN: token,
    BPANE_HOST_BROWSER_BRIDGE_PROFILE: profile,
  });
  const lease = async (b: BridgeProcess, profile: string, token = b.token): Promise<HostBrowserLease> => {
    const config = readHostBridgeClientConfig(clientEnv(b, profile, token));
    if (config === undefined) throw new Error('config expected');
    return acquireHostBrowser(config);
  };
  const start = async (args: string[]): Promise<BridgeProcess> => {
    const b = await startBridge(args, env);
    bridges.push(b);
    return b;
  };

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'bpane-host-bridge-'));
    const x = await startXvfb();
    stopX = x.stop;
    display = x.display;
    env = { HOME: home, DISPLAY: display };
    pageServer = createServer((_, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(PAGE);
    });
    await new Promise<void>((r) => pageServer.listen(0, '127.0.0.1', r));
    pageUrl = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}/`;
    a = await start(['--profile', 'alpha', '--log-file', join(home, 'logs', 'alpha.log')]);
  });

  afterAll(async () => {
    for (const b of bridges) await b.stop().catch(() => undefined);
    killProcessesMentioning(home);
    await new Promise<void>((r) => pageServer?.close(() => r()));
    await stopX?.();
    rmSync(home, { recursive: true, force: true });
  });

  it('a runtime attaches through the bridge, drives a page, and the window is on the bridge display', async () => {
    const acquired = await acquireBrowser(clientEnv(a, 'alpha'), () => {
      throw new Error('the isolated launcher must not be used when the bridge is configured');
    });
    expect(acquired.source).toBe('host_bridge');
    expect(acquired.posture).toEqual({
      source: 'host_bridge',
      posture: 'dedicated_profile',
      profile: 'alpha',
      nonDefault: false,
    });
    const page = await acquired.context.newPage();
    await page.goto(pageUrl);
    await page.click('#go');
    await page.click('#go');
    expect(await page.textContent('#out')).toBe('clicked 2');
    expect(await page.evaluate(() => navigator.webdriver)).toBe(false);

    // The persistent profile's headed window exists on the bridge's X display, showing our page.
    const windows = spawnSync('xwininfo', ['-display', display, '-root', '-tree'], {
      encoding: 'utf8',
    }).stdout;
    expect(windows).toContain(join(home, '.bpane', 'profiles', 'alpha'));
    expect(windows).toContain('"bridge test - Chromium"');

    await acquired.release();
    // The bridge closes the page this connection opened; the profile window stays up.
    await expect.poll(() => a.stderr()).toContain('closing 1 page(s) it opened');
    const again = await lease(a, 'alpha');
    expect(again.context.pages().map((p) => p.url())).not.toContain(pageUrl);
    await again.release();

    // Accepted connections are logged, to stderr and the log file; the token never is.
    const logFile = readFileSync(join(home, 'logs', 'alpha.log'), 'utf8');
    for (const log of [a.stderr(), logFile]) {
      expect(log).toMatch(/accepted connection #1 from 127\.0\.0\.1:\d+/);
      expect(log).not.toContain(a.token);
    }
    // The token is printed exactly once, on stdout.
    expect(a.stdout().split(a.token).length - 1).toBe(1);
  });

  it('answers 401 without a token or with a wrong one, on HTTP and on the WebSocket upgrade', async () => {
    const host = { host: `127.0.0.1:${a.port}` };
    for (const upgrade of [false, true]) {
      const path = upgrade ? '/bpane/v1/cdp' : '/bpane/v1/info';
      expect((await probe(a.port, path, host, upgrade)).status).toBe(401);
      const wrong = `${a.token.slice(0, -1)}${a.token.endsWith('A') ? 'B' : 'A'}`;
      expect((await probe(a.port, path, { ...host, authorization: `Bearer ${wrong}` }, upgrade)).status).toBe(
        401,
      );
      expect((await probe(a.port, path, { ...host, 'x-token': a.token }, upgrade)).status).toBe(401);
      const ok = await probe(a.port, path, { ...host, authorization: `Bearer ${a.token}` }, upgrade);
      expect(ok.status).toBe(upgrade ? 101 : 200);
      expect(ok.upgraded).toBe(upgrade);
    }
    // A wrong token through the runtime client is a typed, actionable failure.
    const failure = await lease(a, 'alpha', 'not-the-token').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(HostBrowserBridgeError);
    expect((failure as HostBrowserBridgeError).details.reason).toBe('unauthorized');
  });

  it('rejects Host headers outside the allow-list, even with the right token', async () => {
    const auth = { authorization: `Bearer ${a.token}` };
    for (const bad of [
      'evil.example',
      `evil.example:${a.port}`,
      `0.0.0.0:${a.port}`,
      `[::1]:${a.port}`,
      '10.0.0.1',
    ]) {
      for (const upgrade of [false, true]) {
        const res = await probe(
          a.port,
          upgrade ? '/bpane/v1/cdp' : '/bpane/v1/info',
          { ...auth, host: bad },
          upgrade,
        );
        expect(res.status, `${bad} upgrade=${upgrade}`).toBe(403);
      }
    }
    for (const good of [`localhost:${a.port}`, `host.docker.internal:${a.port}`, '127.0.0.1']) {
      expect((await probe(a.port, '/bpane/v1/info', { ...auth, host: good }, false)).status).toBe(200);
    }
  });

  it('a runtime cannot close the bridge-owned browser', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${a.port}/bpane/v1/cdp`, {
      headers: { authorization: `Bearer ${a.token}` },
    });
    const messages: string[] = [];
    ws.on('message', (d: Buffer) => messages.push(d.toString()));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.send(JSON.stringify({ id: 7, method: 'Browser.close' }));
    const code = await new Promise<number>((resolve) => ws.once('close', (c: number) => resolve(c)));
    expect(code).toBe(1000);
    expect(messages.map((m) => JSON.parse(m) as unknown)).toContainEqual({ id: 7, result: {} });
    expect(a.stderr()).toContain('Browser.close refused');
    const still = await lease(a, 'alpha');
    expect(still.isConnected()).toBe(true);
    await still.release();
  });

  it('daily Chrome: loud warning on the bridge; the runtime refuses it unless opted in, then warns and records it', async () => {
    const daily = await start(['--daily-chrome']).catch((e: unknown) => e);
    expect(String(daily)).toContain('BPANE_HOST_BROWSER_BRIDGE_DAILY_CHROME=1');
    const b = await startBridge(['--daily-chrome'], { ...env, BPANE_HOST_BROWSER_BRIDGE_DAILY_CHROME: '1' });
    bridges.push(b);
    expect(b.stderr()).toContain('WARNING: DAILY CHROME PROFILE');
    expect(b.stdout()).toContain(join(home, '.config', 'google-chrome'));
    const refused = await lease(b, 'daily-chrome').catch((e: unknown) => e);
    expect((refused as HostBrowserBridgeError).details.reason).toBe('daily_chrome_not_allowed');
    const warnings: string[] = [];
    const acquired = await acquireBrowser(
      { ...clientEnv(b, 'daily-chrome'), BPANE_HOST_BROWSER_BRIDGE_DAILY_CHROME: '1' },
      () => Promise.reject(new Error('not used')),
      { warn: (m) => warnings.push(m) },
    );
    expect(warnings.join()).toContain('DAILY Chrome profile');
    expect(acquired.posture).toMatchObject({ posture: 'daily_chrome', nonDefault: true });
    await acquired.release();
    await b.stop();
  });

  it('refuses a 0.0.0.0 bind without acknowledgement, before launching anything', async () => {
    const result = await runBridgeToExit(
      ['--profile', 'public', '--bind', '0.0.0.0', '--executable-path', '/usr/bin/chromium'],
      env,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('refusing to bind 0.0.0.0');
    expect(result.stderr).toContain('--allow-public-bind');
    expect(result.stdout).not.toContain('token:');

    // The same through `bpane host-bridge start`, which hands its arguments to the service.
    const viaCli = await runBridgeToExit(
      ['--profile', 'public', '--bind', '0.0.0.0', '--executable-path', '/usr/bin/chromium'],
      env,
      'bpane',
    );
    expect(viaCli.code).toBe(1);
    expect(viaCli.stderr).toContain('refusing to bind 0.0.0.0');
    expect(viaCli.stderr).toContain('bpane: host bridge exited with code 1');
  });

  it('same profile: a second writer fails at once with the single-writer error; a stale lock is taken over', async () => {
    const second = await runBridgeToExit(
      ['--profile', 'alpha', '--executable-path', '/usr/bin/chromium'],
      env,
    );
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('host_bridge_profile_in_use');
    expect(second.stderr).toContain(`in use by process ${a.proc.pid}`);
    expect(second.stdout).toBe('');

    // A lock left by a process that no longer exists does not block the next start.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
    });
    const betaDir = join(home, '.bpane', 'profiles', 'beta');
    mkdirSync(betaDir, { recursive: true });
    writeFileSync(join(betaDir, LOCK_FILE), JSON.stringify({ pid: Number(dead.stdout) }));
    const beta = await start(['--profile', 'beta']);
    expect(JSON.parse(readFileSync(join(betaDir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: beta.proc.pid });
  });

  it('different profiles run concurrently, each runtime gets its own profile', async () => {
    const beta =
      bridges.find((b) => b.stdout().includes('profile:  beta')) ?? (await start(['--profile', 'beta']));
    const [la, lb] = await Promise.all([lease(a, 'alpha'), lease(beta, 'beta')]);
    expect(la.info.profile).toBe('alpha');
    expect(lb.info.profile).toBe('beta');
    const [pa, pb] = await Promise.all([la.context.newPage(), lb.context.newPage()]);
    await Promise.all([pa.goto(`${pageUrl}?a`), pb.goto(`${pageUrl}?b`)]);
    await pa.evaluate(() => localStorage.setItem('who', 'alpha'));
    expect(await pb.evaluate(() => localStorage.getItem('who'))).toBeNull();
    // Asking one bridge for the other's profile is refused, not silently served.
    const mismatch = await lease(a, 'beta').catch((e: unknown) => e);
    expect((mismatch as HostBrowserBridgeError).details.reason).toBe('profile_mismatch');
    await Promise.all([la.release(), lb.release()]);
  });

  it('bridge restarted mid-run: the run fails cleanly and typed; a stopped bridge fails fast with the fix', async () => {
    const gamma = await start(['--profile', 'gamma']);
    const run = await lease(gamma, 'gamma');
    const page = await run.context.newPage();
    await page.goto(`${pageUrl}?run`);

    await gamma.stop();
    const lost = await run.lost;
    expect(lost.code).toBe('host_browser_bridge_unavailable');
    expect(lost.details.reason).toBe('disconnected');
    expect(run.isConnected()).toBe(false);
    const guarded = await run.guard(() => page.click('#go')).catch((e: unknown) => e);
    expect(guarded).toBe(lost);

    // Stopped: the next acquisition fails immediately with the copy-paste fix.
    const url = gamma.endpoint;
    const down = await lease(gamma, 'gamma').catch((e: unknown) => e);
    expect(down).toBeInstanceOf(HostBrowserBridgeError);
    const err = down as HostBrowserBridgeError;
    expect(err.code).toBe('host_browser_bridge_unavailable');
    expect(err.details).toMatchObject({
      category: 'deployment_configuration',
      reason: 'unreachable',
      url,
      fix_command: `bpane host-bridge start --profile gamma --port ${gamma.port}`,
    });
    expect(err.message).toContain(`bpane host-bridge start --profile gamma --port ${gamma.port}`);
    expect(err.message).toContain(url);
    expect(err.message).toContain('token');

    // Restarted: the old run's page is gone, not a zombie; the old token no longer works.
    const restarted = await start(['--profile', 'gamma']);
    expect(restarted.token).not.toBe(gamma.token);
    const stale = await lease(restarted, 'gamma', gamma.token).catch((e: unknown) => e);
    expect((stale as HostBrowserBridgeError).details.reason).toBe('unauthorized');
    const fresh = await lease(restarted, 'gamma');
    expect(fresh.context.pages().map((p) => p.url())).not.toContain(`${pageUrl}?run`);
    await fresh.release();
  });
});
