/**
 * The bundled web client in real headless Chromium against a real host agent (Xvfb + Chromium +
 * capture pipeline) through a small relay in the gateway's place: the remote page appears
 * pixel-exactly, typing and clicks reach the remote page, a read-only viewer's input does not,
 * the remote screen follows the element's size, and a dropped connection comes back with a picture.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { screenshotRgba, startHostAgent, type HostAgentProcess } from './test-support/host-agent-process';
import { LiveRelay } from './test-support/live-relay';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
const WIDTH = 1024;
const HEIGHT = 640;

const REMOTE_PAGE = `<!doctype html><html><body style="margin:0;background:#fff;font:20px 'DejaVu Sans',sans-serif;color:#202124">
<div style="display:flex;height:64px"><div style="width:160px;background:#1a73e8"></div><div style="width:160px;background:#d93025"></div><div style="width:160px;background:#188038"></div><div style="width:100px;background:repeating-linear-gradient(45deg,#000 0 3px,#fff 3px 7px)"></div></div>
<h1 style="margin:12px;font-size:28px">BrowserPane web client</h1>
<input id="field" style="position:absolute;left:40px;top:200px;width:360px;height:32px;font:18px monospace">
<script>window.clicks = []; addEventListener('mousedown', (e) => clicks.push([e.clientX, e.clientY, e.button]));</script>
</body></html>`;

const VIEWER_PAGE = `<!doctype html><html><head><style>html,body{margin:0;height:100%;overflow:hidden}#screen{position:absolute;inset:0}</style></head>
<body><div id="screen"></div><script type="module">
import * as bpane from '/web-client.js';
window.bpane = bpane;
window.start = (grant) => {
  const events = { status: [], role: [], display: [], frames: 0, rejected: [], stats: null };
  const client = bpane.connect(document.getElementById('screen'), {
    url: location.origin.replace('http', 'ws') + '/live',
    ticket: () => fetch('/ticket?grant=' + grant).then((r) => r.text()),
    reconnect: { initialMs: 100, maxMs: 1000 },
    resizeDebounceMs: 100,
  });
  client.on('status', (s) => events.status.push(s));
  client.on('role', (r) => events.role.push(r));
  client.on('display', (d) => events.display.push(d));
  client.on('frame', () => events.frames++);
  client.on('stats', (s) => (events.stats = s));
  client.on('error', (e) => (events.errors = [...(events.errors ?? []), e.message].slice(-5)));
  client.on('rejected', (r) => events.rejected.push(r));
  window.client = client;
  window.events = events;
};
window.ready = true;
</script></body></html>`;

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Evaluates an expression in the remote Chromium's page (DevTools on the host agent's loopback port). */
const remoteEval = async (cdpPort: number, expression: string): Promise<unknown> => {
  const targets = (await (await fetch(`http://127.0.0.1:${cdpPort}/json/list`)).json()) as {
    type: string;
    webSocketDebuggerUrl: string;
  }[];
  const target = targets.find((t) => t.type === 'page');
  if (target === undefined) throw new Error('no page in the remote browser');
  const ws = new WebSocket(target.webSocketDebuggerUrl);
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  try {
    return await new Promise((resolve, reject) => {
      ws.on('message', (data: Buffer) => {
        const m = JSON.parse(data.toString()) as {
          id?: number;
          result?: { result?: { value?: unknown } };
          error?: unknown;
        };
        if (m.id !== 1) return;
        if (m.error !== undefined) reject(new Error(JSON.stringify(m.error)));
        else resolve(m.result?.result?.value);
      });
      ws.send(
        JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression, returnByValue: true } }),
      );
    });
  } finally {
    ws.close();
  }
};

const waitFor = async <T>(
  what: string,
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 20_000,
): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
};

type Events = {
  stats: { videoFramesDecoded: number; framesDropped: number; rttMs: number | null } | null;
  status: { state: string }[];
  role: { readOnly: boolean; role: string }[];
  display: { width: number; height: number }[];
  frames: number;
};

const events = (page: Page): Promise<Events> =>
  page.evaluate(() => (window as unknown as { events: Events }).events);

/** Reads the viewer's rendered pixels of a region (RGBA). */
const viewerPixels = async (page: Page, x: number, y: number, w: number, h: number): Promise<Uint8Array> =>
  new Uint8Array(
    await page.evaluate(
      async ([x, y, w, h]) => {
        const c = (
          window as unknown as { client: { readPixels(...a: number[]): Promise<Uint8ClampedArray | null> } }
        ).client;
        const px = await c.readPixels(x!, y!, w!, h!);
        return px === null ? [] : Array.from(px);
      },
      [x, y, w, h],
    ),
  );

const region = (rgba: Uint8Array, stride: number, x: number, y: number, w: number, h: number): Uint8Array => {
  const out = new Uint8Array(w * h * 4);
  for (let row = 0; row < h; row++)
    out.set(rgba.subarray(((y + row) * stride + x) * 4, ((y + row) * stride + x + w) * 4), row * w * 4);
  return out;
};

const differing = (a: Uint8Array, b: Uint8Array): number => {
  if (a.length !== b.length) return Math.max(a.length, b.length);
  let n = 0;
  for (let i = 0; i < a.length; i += 4)
    if (a[i] !== b[i] || a[i + 1] !== b[i + 1] || a[i + 2] !== b[i + 2]) n++;
  return n;
};

describe('the web client against a real host agent', () => {
  let agent: HostAgentProcess | undefined;
  let relay: LiveRelay | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const bundleDir = mkdtempSync(join(tmpdir(), 'bpane-web-client-bundle-'));

  beforeAll(async () => {
    const built = spawnSync(process.execPath, [join(repo, 'scripts/build-web-client.mjs'), bundleDir], {
      encoding: 'utf8',
    });
    if (built.status !== 0) throw new Error(`bundle failed: ${built.stderr}`);
    agent = await startHostAgent({
      startUrl: `data:text/html;base64,${Buffer.from(REMOTE_PAGE).toString('base64')}`,
      width: WIDTH,
      height: HEIGHT,
    });
    relay = await LiveRelay.start({
      linkUrl: agent.linkUrl,
      secret: agent.secret,
      staticDir: bundleDir,
      pageHtml: VIEWER_PAGE,
    });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT }, deviceScaleFactor: 1 });
    await page.goto(relay.origin);
    await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
    // the remote page is loaded and laid out before anything is compared
    await waitFor(
      'the remote page',
      async () => (await remoteEval(agent!.cdpPort, 'document.readyState')) === 'complete',
    );
  });

  afterAll(async () => {
    await browser?.close();
    await relay?.close();
    await agent?.stop();
    rmSync(bundleDir, { recursive: true, force: true });
  });

  it('goes live as owner and shows the remote screen pixel-exactly', async () => {
    await page.evaluate(() => (window as unknown as { start(g: string): void }).start('interactive'));
    await waitFor('live', async () => (await events(page)).status.some((s) => s.state === 'live'));
    const ev = await events(page);
    expect(ev.status[0]?.state).toBe('connecting');
    expect(ev.role.at(-1)).toMatchObject({ role: 'owner', readOnly: false });
    await waitFor('a frame', async () => (await events(page)).frames > 0);
    // the top of the screen: colour blocks, a hatched block and anti-aliased heading text
    const [x, y, w, h] = [0, 0, 700, 120];
    let diff = -1;
    await waitFor(
      'the viewer to match the host screen',
      async () => {
        const host = region(await screenshotRgba(agent!.display, WIDTH, HEIGHT), WIDTH, x, y, w, h);
        const seen = await viewerPixels(page, x, y, w, h);
        diff = differing(host, seen);
        return diff === 0;
      },
      20_000,
    ).catch(() => undefined);
    expect(diff).toBe(0);
  });

  it('sends clicks and typing to the remote page', async () => {
    const rect = (await remoteEval(
      agent!.cdpPort,
      'JSON.stringify(document.getElementById("field").getBoundingClientRect())',
    )) as string;
    const r = JSON.parse(rect) as { x: number; y: number; width: number; height: number };
    // where the page starts on the remote screen (below Chromium's toolbar)
    const [offX, offY] = (await remoteEval(
      agent!.cdpPort,
      '[screenX + outerWidth - innerWidth, screenY + outerHeight - innerHeight]',
    )) as [number, number];
    await page.mouse.click(Math.round(offX + r.x + 20), Math.round(offY + r.y + r.height / 2));
    await waitFor(
      'the click',
      async () => ((await remoteEval(agent!.cdpPort, 'clicks.length')) as number) > 0,
    );
    const clicks = (await remoteEval(agent!.cdpPort, 'clicks')) as number[][];
    expect(clicks[0]).toEqual([Math.round(r.x + 20), Math.round(r.y + r.height / 2), 0]);
    await waitFor(
      'focus',
      async () => (await remoteEval(agent!.cdpPort, 'document.activeElement.id')) === 'field',
    );
    // physical keys, as a person types them: Shift is a key of its own
    await page.keyboard.down('Shift');
    await page.keyboard.press('KeyH');
    await page.keyboard.up('Shift');
    await page.keyboard.type('ello, pane 42');
    await page.keyboard.press('Shift+Digit1');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Shift+Digit1');
    const value = await waitFor('the typed text', async () => {
      const v = (await remoteEval(agent!.cdpPort, 'document.getElementById("field").value')) as string;
      return v === 'Hello, pane 42!' ? v : undefined;
    });
    expect(value).toBe('Hello, pane 42!');
  });

  it('a read-only viewer sees the screen but its input never leaves the browser', async () => {
    const second = await browser!.newPage({ viewport: { width: 800, height: 500 }, deviceScaleFactor: 1 });
    try {
      await second.goto(relay!.origin);
      await second.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
      const before = relay!.viewers.length;
      await second.evaluate(() => (window as unknown as { start(g: string): void }).start('viewer'));
      await waitFor('live', async () => (await events(second)).status.some((s) => s.state === 'live'));
      expect((await events(second)).role.at(-1)).toMatchObject({ role: 'viewer', readOnly: true });
      await waitFor('a frame', async () => (await events(second)).frames > 0);
      const valueBefore = await remoteEval(agent!.cdpPort, 'document.getElementById("field").value');
      const clicksBefore = await remoteEval(agent!.cdpPort, 'clicks.length');
      await second.mouse.click(100, 100);
      await second.keyboard.type('nope');
      await second.mouse.wheel(0, 300);
      // the interactive viewer's later input proves the path is live while the read-only one stays silent
      await page.keyboard.type('x');
      await waitFor(
        'the owner key',
        async () =>
          (await remoteEval(agent!.cdpPort, 'document.getElementById("field").value')) ===
          `${String(valueBefore)}x`,
      );
      expect(await remoteEval(agent!.cdpPort, 'clicks.length')).toBe(clicksBefore);
      const record = relay!.viewers[before]!;
      expect(record.grant).toBe('viewer');
      const sentInput = [...record.sent.keys()].filter(
        (k) => k.startsWith('input.') || k === 'control.resizeRequest',
      );
      expect(sentInput).toEqual([]);
      expect(record.sent.get('feedback.report') ?? 0).toBeGreaterThanOrEqual(0);
    } finally {
      await second.evaluate(() => (window as unknown as { client: { close(): void } }).client.close());
      await second.close();
    }
  });

  it('surfaces a typed refusal and does not retry it', async () => {
    const third = await browser!.newPage();
    try {
      await third.goto(relay!.origin);
      await third.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true);
      const status = await third.evaluate(
        () =>
          new Promise((resolve) => {
            const w = window as unknown as {
              bpane: {
                connect(
                  e: HTMLElement,
                  o: unknown,
                ): { on(n: string, l: (s: { state: string }) => void): void };
              };
            };
            const c = w.bpane.connect(document.getElementById('screen')!, {
              url: location.origin.replace('http', 'ws') + '/live',
              ticket: () => Promise.resolve('not-a-ticket'),
              reconnect: { initialMs: 50, maxMs: 50 },
            });
            c.on('status', (s) => {
              if (s.state === 'closed' || s.state === 'reconnecting') resolve(s);
            });
          }),
      );
      expect(status).toMatchObject({
        state: 'closed',
        code: 4110,
        refusal: 'ticket_invalid',
        reason: 'unknown or used ticket',
      });
    } finally {
      await third.close();
    }
  });

  it('resizes the remote screen to follow the element', async () => {
    await page.setViewportSize({ width: 900, height: 560 });
    await waitFor('the new display size', async () => {
      const d = (await events(page)).display.at(-1);
      return d?.width === 900 && d.height === 560;
    });
    const inner = await waitFor('the remote window size', async () => {
      const v = (await remoteEval(agent!.cdpPort, '[screen.width, screen.height].join("x")')) as string;
      return v === '900x560' ? v : undefined;
    });
    expect(inner).toBe('900x560');
  });

  it('reconnects after the transport drops and shows the picture again', async () => {
    const framesBefore = (await events(page)).frames;
    const statusBefore = (await events(page)).status.length;
    relay!.dropViewers();
    await waitFor('reconnecting', async () =>
      (await events(page)).status.slice(statusBefore).some((s) => s.state === 'reconnecting'),
    );
    await waitFor('live again', async () =>
      (await events(page)).status.slice(statusBefore).some((s) => s.state === 'live'),
    );
    await waitFor('new frames', async () => (await events(page)).frames > framesBefore);
    const size = await waitFor('display', async () => (await events(page)).display.at(-1));
    const [x, y, w, h] = [0, 0, 600, 120];
    let diff = -1;
    await waitFor(
      'the picture after the reconnect',
      async () => {
        const host = region(
          await screenshotRgba(agent!.display, size.width, size.height),
          size.width,
          x,
          y,
          w,
          h,
        );
        diff = differing(host, await viewerPixels(page, x, y, w, h));
        return diff === 0;
      },
      20_000,
    ).catch(() => undefined);
    expect(diff).toBe(0);
  });

  it('decodes a moving region as ROI video with WebCodecs and keeps reporting feedback', async () => {
    // a canvas animation appears in the remote page (data: navigations from the page are blocked)
    await remoteEval(
      agent!.cdpPort,
      `(() => {
        const c = document.createElement('canvas'); c.width = 480; c.height = 320;
        c.style.cssText = 'position:absolute;left:420px;top:160px';
        document.body.append(c);
        const g = c.getContext('2d'); let t = 0;
        (function f() {
          t++; g.fillStyle = 'hsl(' + (t * 5 % 360) + ',70%,50%)'; g.fillRect(0, 0, 480, 320);
          for (let i = 0; i < 8; i++) { g.fillStyle = '#fff'; g.fillRect(200 + Math.cos(t / 9 + i) * 180, 140 + Math.sin(t / 7 + i) * 120, 30, 30); }
          requestAnimationFrame(f);
        })();
        return true;
      })()`,
    );
    const stats = await waitFor(
      'decoded video frames',
      async () => {
        const s = (await events(page)).stats;
        return s !== null && s.videoFramesDecoded > 10 ? s : undefined;
      },
      40_000,
    ).catch(async (e: unknown) => {
      console.log(
        'DEBUG',
        JSON.stringify(await events(page)).slice(-1500),
        await page.evaluate(() => typeof VideoDecoder),
      );
      throw e;
    });
    expect(stats.videoFramesDecoded).toBeGreaterThan(10);
    expect(stats.rttMs).not.toBeNull();
  });
});
