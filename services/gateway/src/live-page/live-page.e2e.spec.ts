/**
 * The live page through the real gateway: the HTML with its security headers at /live/, the
 * bundled scripts next to it, typed problems for unknown files, and the page in headless Chromium
 * asking the API for a connect ticket with the bearer token from the URL fragment.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveSessionRegistry } from '../live/live-directory';
import { grabScreen, startHostAgent, type HostAgentProcess } from '../live/testing/host-agent-process';
import { startHarness, type Harness } from '../testing/gateway-harness';

const repo = fileURLToPath(new URL('../../../../', import.meta.url));

const subjectOf = (jwt: string): string =>
  (JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { sub: string }).sub;

const REMOTE_PAGE = `data:text/html;base64,${Buffer.from(
  '<!doctype html><body style="margin:0;background:#fff"><div style="display:flex;height:80px">' +
    '<div style="width:200px;background:#1a73e8"></div><div style="width:200px;background:#d93025"></div>' +
    '<div style="width:200px;background:#188038"></div></div><h1 style="font:28px DejaVu Sans;margin:12px">BrowserPane live page</h1></body>',
).toString('base64')}`;

describe('the live page', () => {
  let h: Harness;
  let browser: Browser | undefined;
  let agent: HostAgentProcess | undefined;
  const bundleDir = mkdtempSync(join(tmpdir(), 'bpane-live-page-'));
  const previous = process.env['BPANE_WEB_CLIENT_DIR'];

  beforeAll(async () => {
    const built = spawnSync(process.execPath, [join(repo, 'scripts/build-web-client.mjs'), bundleDir], {
      encoding: 'utf8',
    });
    if (built.status !== 0) throw new Error(`bundle failed: ${built.stderr}`);
    process.env['BPANE_WEB_CLIENT_DIR'] = bundleDir;
    h = await startHarness();
  });

  afterAll(async () => {
    await browser?.close();
    await h?.close();
    await agent?.stop();
    if (previous === undefined) delete process.env['BPANE_WEB_CLIENT_DIR'];
    else process.env['BPANE_WEB_CLIENT_DIR'] = previous;
    rmSync(bundleDir, { recursive: true, force: true });
  });

  it('serves the page without authentication, with a strict content security policy', async () => {
    const res = await fetch(`${h.gateway.url}/live?session=abc`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('<script type="module" src="/live/live.js"></script>');
  });

  it('serves the bundle next to the page and refuses other names', async () => {
    for (const file of ['live.js', 'render-worker.js', 'web-client.js']) {
      const res = await fetch(`${h.gateway.url}/live/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect((await res.text()).length).toBeGreaterThan(1000);
    }
    const missing = await fetch(`${h.gateway.url}/live/secrets.json`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
    const traversal = await fetch(`${h.gateway.url}/live/..%2Fpackage.json`);
    expect(traversal.status).toBe(404);
  });

  it('in a browser, takes the token from the fragment, asks for a ticket and shows the refusal', async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const page = await browser.newPage();
    const token = await h.tokenFor('demo');
    const requests: { url: string; auth: string | undefined }[] = [];
    page.on('request', (r) => requests.push({ url: r.url(), auth: r.headers()['authorization'] }));
    const session = randomUUID();
    await page.goto(`${h.gateway.url}/live?session=${session}#token=${token}`);
    // the fragment is gone from the address bar at once
    await page.waitForFunction(() => location.hash === '');
    await page.waitForFunction(() => (document.getElementById('message')?.textContent ?? '') !== '');
    const message = await page.textContent('#message');
    expect(message).toContain('the gateway refused a connect ticket (not_found');
    const ticketCall = requests.find((r) => r.url.endsWith(`/api/v1/sessions/${session}/access-tokens`));
    expect(ticketCall?.auth).toBe(`Bearer ${token}`);
    // no request carried the token in its URL
    expect(requests.some((r) => r.url.includes(token))).toBe(false);
  });

  it('through the real session hub: goes live as collaborator, shows RTT and the remote screen pixel-exactly', async () => {
    agent = await startHostAgent({ startUrl: REMOTE_PAGE, width: 1024, height: 600 });
    const token = await h.tokenFor('demo');
    const session = randomUUID();
    h.gateway.app.get(LiveSessionRegistry).register({
      sessionId: session,
      ownerId: subjectOf(token),
      ownerMode: 'collaborative',
      hostLinkUrl: agent.linkUrl,
      hostLinkSecret: agent.secret,
    });
    // the status bar takes 24 px: the element is 1024 × 600, the remote screen's size
    const page = await browser!.newPage({ viewport: { width: 1024, height: 624 }, deviceScaleFactor: 1 });
    await page.goto(`${h.gateway.url}/live?session=${session}#token=${token}`);
    await page.waitForFunction(
      () => document.getElementById('state')?.dataset['state'] === 'live',
      undefined,
      {
        timeout: 30_000,
      },
    );
    // collaborative mode: every interactive participant collaborates
    expect(await page.textContent('#role')).toBe('collaborator');
    await page.waitForFunction(
      () => document.getElementById('rtt')?.textContent?.endsWith(' ms') === true,
      undefined,
      {
        timeout: 10_000,
      },
    );
    const [w, h2] = [600, 80];
    let diff = -1;
    for (let i = 0; i < 60 && diff !== 0; i++) {
      const host = await grabScreen(agent.display, 0, 0, w, h2);
      const seen = await page.evaluate(
        async ([w, h]) => {
          const c = (
            window as unknown as {
              bpaneLive: { readPixels(...a: number[]): Promise<Uint8ClampedArray | null> };
            }
          ).bpaneLive;
          const px = await c.readPixels(0, 0, w!, h!);
          return px === null ? [] : Array.from(px);
        },
        [w, h2],
      );
      diff = 0;
      for (let p = 0; p < w * h2; p++) {
        const rgb = ((seen[p * 4] ?? -1) << 16) | ((seen[p * 4 + 1] ?? 0) << 8) | (seen[p * 4 + 2] ?? 0);
        if (rgb !== host[p]) diff++;
      }
      if (diff !== 0) await new Promise((r) => setTimeout(r, 250));
    }
    expect(diff).toBe(0);
  });
});
