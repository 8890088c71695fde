/**
 * Live path benchmark (`npm run bench:live [-- --quick]`) → bench-results/live.json.
 *
 * A real host agent (Xvfb, Chromium, capture) behind a real gateway (startHarness). Measures:
 * - glass-to-glass: a viewer sends a key press (input.key) into a focused text field; time until
 *   the changed pixels are decoded and presented (frameEnd) at that viewer. The viewer is the Node
 *   viewer (services/gateway/src/live/testing/node-viewer.ts), not a browser.
 * - gateway CPU with 10 viewers vs 1 while the page animates (viewers run in a child process, so
 *   their decoding is not counted; the bench process also hosts the harness' projector and OpenID
 *   provider, idle during the window).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { LiveSessionRegistry } from '../src/live/live-directory';
import { LiveHubs } from '../src/live/live-hubs';
import { startHostAgent } from '../src/live/testing/host-agent-process';
import { NodeViewer } from '../src/live/testing/node-viewer';
import { startHarness } from '../src/testing/gateway-harness';

const quick = process.argv.includes('--quick');
const KEYS = quick ? 15 : 60;
const CPU_WINDOW_MS = quick ? 4000 : 10_000;

const PAGE = `data:text/html,${encodeURIComponent(`<!doctype html><body style="margin:0;font:28px monospace;background:#fff">
<input id="f" autofocus style="position:absolute;left:20px;top:40px;width:900px;height:44px;font:28px monospace">
<div id="clock" style="position:absolute;left:20px;top:160px;font:40px monospace"></div>
<script>document.getElementById('f').focus();
window.animate=(on)=>{clearInterval(window.t);if(on)window.t=setInterval(()=>{document.getElementById('clock').textContent=performance.now().toFixed(1)},33)};</script></body>`)}`;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const round = (n: number): number => Math.round(n * 10) / 10;

const h = await startHarness();
const agent = await startHostAgent({ startUrl: PAGE });
const children: ReturnType<typeof spawn>[] = [];
try {
  const token = await h.tokenFor('demo');
  const sub = (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { sub: string }).sub;
  const sessionId = randomUUID();
  h.gateway.app.get(LiveSessionRegistry).register({
    sessionId,
    ownerId: sub,
    ownerMode: 'collaborative',
    hostLinkUrl: agent.linkUrl,
    hostLinkSecret: agent.secret,
  });
  const ticket = async (role: 'interactive' | 'viewer'): Promise<{ ticket: string; connect_url: string }> => {
    const r = await h
      .client(token)
      .post<{ ticket: string; connect_url: string }>(`/api/v1/sessions/${sessionId}/access-tokens`, { role });
    if (r.status !== 201) throw new Error(`ticket: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };

  // ── glass to glass ──
  const t = await ticket('interactive');
  const v = new NodeViewer({ url: t.connect_url, ticket: t.ticket });
  await v.opened;
  while (v.snapshots < 1) await sleep(20);
  // a click gives the browser window the keyboard focus, then the field takes it
  v.send({
    channel: 'input',
    type: 'pointerButton',
    x: 400,
    y: 60,
    button: 'left',
    down: true,
    modifiers: 0,
  });
  v.send({
    channel: 'input',
    type: 'pointerButton',
    x: 400,
    y: 60,
    button: 'left',
    down: false,
    modifiers: 0,
  });
  await sleep(1500);
  const field = { x: 20, y: 40, w: 900, h: 44 };
  const latencies: number[] = [];
  for (let i = 0; i < KEYS; i++) {
    const before = Buffer.from(v.region(field.x, field.y, field.w, field.h).buffer);
    const changed = new Promise<number>((resolve) => {
      v.onPresent = (viewer) => {
        if (!Buffer.from(viewer.region(field.x, field.y, field.w, field.h).buffer).equals(before))
          resolve(performance.now());
      };
    });
    const code = i % 2 === 0 ? 30 : 48; // KeyA / KeyB
    const sent = performance.now();
    v.send({
      channel: 'input',
      type: 'key',
      code,
      down: true,
      repeat: false,
      modifiers: 0,
      key: '',
      text: '',
    });
    v.send({
      channel: 'input',
      type: 'key',
      code,
      down: false,
      repeat: false,
      modifiers: 0,
      key: '',
      text: '',
    });
    const at = await Promise.race([changed, sleep(3000).then(() => -1)]);
    v.onPresent = null;
    if (at > 0) latencies.push(at - sent);
    await sleep(120);
  }

  // ── gateway CPU, 1 viewer vs 10 ──
  const viewerProc = spawn(process.execPath, ['--import', 'tsx', 'services/gateway/bench/live-viewers.ts'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  children.push(viewerProc);
  let ready = 0;
  createInterface({ input: viewerProc.stdout }).on('line', (l) => {
    if (l.startsWith('ready')) ready++;
  });
  const addViewers = async (n: number): Promise<void> => {
    const target = ready + n;
    for (let i = 0; i < n; i++) viewerProc.stdin.write(`${JSON.stringify(await ticket('viewer'))}\n`);
    while (ready < target) await sleep(20);
    await sleep(1000);
  };
  const cdpAnimate = async (on: boolean): Promise<void> => {
    // drive the page through the viewer's keyboard-free path: evaluate via the host link's DevTools proxy
    const res = await fetch(`${agent.linkUrl}/cdp/json/version`, {
      headers: { authorization: `Bearer ${agent.secret}` },
    });
    const { webSocketDebuggerUrl } = (await res.json()) as { webSocketDebuggerUrl: string };
    const { chromium } = await import('playwright-core');
    const browser = await chromium.connectOverCDP(
      webSocketDebuggerUrl.replace(/^ws:\/\/[^/]+/, agent.linkUrl.replace('http', 'ws') + '/cdp'),
      { headers: { authorization: `Bearer ${agent.secret}` } },
    );
    const kind = await browser.contexts()[0]!.pages()[0]!.evaluate(`typeof window.animate`);
    if (kind !== 'function') throw new Error(`the benchmark page is not loaded (${String(kind)})`);
    await browser.contexts()[0]!.pages()[0]!.evaluate(`window.animate(${on})`);
    await browser.close();
  };
  const hub = h.gateway.app.get(LiveHubs).existing(sessionId)!;
  const measure = async (): Promise<{ cpuPct: number; bytesPerViewer: number }> => {
    const bytes0 = hub.connections().reduce((n, c) => n + c.bytesSent, 0);
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await sleep(CPU_WINDOW_MS);
    const c = process.cpuUsage(c0);
    const ms = performance.now() - t0;
    const conns = hub.connections();
    const bytes = conns.reduce((n, x) => n + x.bytesSent, 0) - bytes0;
    return { cpuPct: ((c.user + c.system) / 1000 / ms) * 100, bytesPerViewer: bytes / conns.length };
  };
  v.close();
  await sleep(500);
  await addViewers(1);
  await cdpAnimate(true);
  await sleep(500);
  const one = await measure();
  await addViewers(9);
  const ten = await measure();
  await cdpAnimate(false);

  const result = {
    generated_at: new Date().toISOString(),
    quick,
    glass_to_glass_p50_ms: round(pct(latencies, 50)),
    glass_to_glass_p95_ms: round(pct(latencies, 95)),
    glass_to_glass_samples: latencies.length,
    glass_to_glass_lost: KEYS - latencies.length,
    gateway_cpu_1_viewer_pct: round(one.cpuPct),
    gateway_cpu_10_viewers_pct: round(ten.cpuPct),
    viewers_10_extra_cpu_pct: round(ten.cpuPct - one.cpuPct),
    animated_bytes_per_viewer_per_s: Math.round(ten.bytesPerViewer / (CPU_WINDOW_MS / 1000)),
    hub_stats: hub.stats,
    notes:
      'Viewer = Node viewer (libs/protocol + ws, QOI/PNG decoded in JS), not the browser client (libs/web-client). ' +
      'Glass-to-glass = input.key sent by the viewer -> XTEST -> Chromium repaint -> damage capture -> tiles -> hub -> ' +
      'changed pixels presented at frameEnd in the same viewer; all on one 2-core machine shared with other work. ' +
      'CPU = the bench process (gateway + idle projector and OpenID provider) over the window, viewers in a child process; ' +
      'the page animates a text clock at 30 fps.',
  };
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/live.json', `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
} finally {
  for (const c of children) c.stdin?.end();
  await h.close();
  await agent.stop();
  for (const c of children) c.kill();
}
process.exit(0);
