import { randomUUID } from 'node:crypto';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../testing/gateway-harness';
import { LiveAutomationAccess } from './live-automation-access';
import { LiveSessionRegistry, RecordingConnectionObserver } from './live-directory';
import { LiveHubs } from './live-hubs';
import { LiveTickets } from './live-tickets';
import { grabScreen, startHostAgent, type HostAgentProcess } from './testing/host-agent-process';
import { NodeViewer } from './testing/node-viewer';

const PAGE = `data:text/html,${encodeURIComponent(`<!doctype html><html><body style="margin:0;padding-top:140px;font:20px sans-serif;background:#f4f1ea">
<h1 style="margin:20px">BrowserPane live</h1><p style="margin:20px">The quick brown fox jumps over the lazy dog.</p>
<input id="f" style="position:absolute;left:20px;top:280px;width:300px;height:30px">
<div id="box" style="position:absolute;left:400px;top:260px;width:200px;height:100px;background:#3366cc"></div>
<canvas id="noise" width="1024" height="240" style="position:absolute;left:0;top:400px"></canvas>
<script>window.log=[];addEventListener('keydown',e=>log.push(e.code));
window.noise=(n)=>{const c=document.getElementById('noise').getContext('2d');let i=0;const t=setInterval(()=>{const d=c.createImageData(1024,240);for(let k=0;k<d.data.length;k+=65536)crypto.getRandomValues(d.data.subarray(k,k+65536));for(let k=3;k<d.data.length;k+=4)d.data[k]=255;c.putImageData(d,0,0);if(++i>=n)clearInterval(t)},30)};</script>
</body></html>`)}`;

/**
 * The band of the screen the tests compare (below the first two tile rows, above the noise canvas):
 * the host agent's capture of the top rows can lag Chromium's own drawing there right after start.
 */
const UI_TOP = 128;
const UI_H = 272;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const until = async (
  what: string,
  fn: () => boolean | Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn()) return;
    await sleep(50);
  }
  throw new Error(`timed out: ${what}`);
};

/** Resolves once no viewer has presented a frame for `quietMs`. */
const quiet = async (viewers: NodeViewer[], quietMs = 600): Promise<void> => {
  let last = viewers.map((v) => v.framesPresented).join();
  let since = Date.now();
  await until('the screen to settle', () => {
    const now = viewers.map((v) => v.framesPresented).join();
    if (now !== last) {
      last = now;
      since = Date.now();
    }
    return Date.now() - since >= quietMs;
  });
};

/** Differences between two regions of `w` columns: count and the first few positions (x,y:got/want). */
const diff = (got: Uint32Array, want: Uint32Array, w: number): { count: number; first: string[] } => {
  const first: string[] = [];
  let count = 0;
  for (let i = 0; i < want.length; i++)
    if (got[i] !== want[i]) {
      count++;
      if (first.length < 4)
        first.push(`${i % w},${Math.floor(i / w)}:${got[i]!.toString(16)}/${want[i]!.toString(16)}`);
    }
  return { count, first };
};
const NO_DIFF = { count: 0, first: [] };

const subjectOf = (jwt: string): string =>
  (JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')) as { sub: string }).sub;

describe('live sessions: host link, hub fan-out, tickets, roles and automation', () => {
  let h: Harness;
  let agent: HostAgentProcess;
  let token: string;
  let sessionId: string;
  let browser: Browser;
  let page: Page;
  const viewers: NodeViewer[] = [];

  const ticket = async (
    role: 'interactive' | 'viewer',
    session = sessionId,
  ): Promise<{ ticket: string; connect_url: string }> => {
    const r = await h
      .client(token)
      .post<{ ticket: string; connect_url: string }>(`/api/v1/sessions/${session}/access-tokens`, { role });
    expect(r.status).toBe(201);
    return r.body;
  };

  const connect = async (role: 'interactive' | 'viewer'): Promise<NodeViewer> => {
    const t = await ticket(role);
    const v = new NodeViewer({ url: t.connect_url, ticket: t.ticket });
    viewers.push(v);
    await v.opened;
    await until('a first snapshot', () => v.snapshots >= 1 && v.framesPresented >= 1);
    return v;
  };

  const hub = () => h.gateway.app.get(LiveHubs).existing(sessionId)!;

  beforeAll(async () => {
    h = await startHarness({ BPANE_LIVE_VIEWER_MAX_BUFFERED_BYTES: '262144' });
    // a high ROI bitrate so that the noise canvas (video) can outrun a viewer that stops reading
    agent = await startHostAgent({
      startUrl: PAGE,
      env: { BPANE_HOST_AGENT_ROI_BITRATE_KBPS: '60000', BPANE_HOST_AGENT_ROI_MAX_BITRATE_KBPS: '60000' },
    });
    token = await h.tokenFor('demo');
    sessionId = randomUUID();
    h.gateway.app.get(LiveSessionRegistry).register({
      sessionId,
      ownerId: subjectOf(token),
      ownerMode: 'collaborative',
      hostLinkUrl: agent.linkUrl,
      hostLinkSecret: agent.secret,
    });
  }, 90_000);

  afterAll(async () => {
    for (const v of viewers) v.close();
    await browser?.close().catch(() => undefined);
    await h?.close();
    await agent?.stop();
  }, 30_000);

  it('attaches Playwright over CDP through the gateway (discovery + WebSocket behind a token)', async () => {
    const anon = await fetch(`${h.gateway.url}/api/v1/sessions/${sessionId}/cdp/json/version/`);
    expect(anon.status).toBe(401);
    const access = await h.gateway.app
      .get(LiveAutomationAccess)
      .issue(subjectOf(token), subjectOf(token), sessionId, h.gateway.url);
    browser = await chromium.connectOverCDP(access.cdp_endpoint, {
      headers: { authorization: `Bearer ${access.token}` },
    });
    page = browser.contexts()[0]!.pages()[0]!;
    await until('the test page', async () => (await page.evaluate('typeof window.noise')) === 'function');
    expect(await page.evaluate('document.querySelector("h1").textContent')).toBe('BrowserPane live');
  });

  it('sends every viewer the same tiles, pixel-exact with the host screen', async () => {
    const a = await connect('interactive');
    const b = await connect('viewer');
    await quiet([a, b]);
    const region = { x: 0, y: UI_TOP, w: 1024, h: UI_H };
    const screen = await grabScreen(agent.display, region.x, region.y, region.w, region.h);
    expect(a.width).toBe(1024);
    const ra = a.region(region.x, region.y, region.w, region.h);
    const rb = b.region(region.x, region.y, region.w, region.h);
    expect(diff(ra, screen, region.w)).toEqual(NO_DIFF);
    expect(diff(rb, screen, region.w)).toEqual(NO_DIFF);
    // the UI is not blank: the blue box and the page background are both there
    expect(ra.includes(0x3366cc)).toBe(true);
    expect(ra.includes(0xf4f1ea)).toBe(true);
  });

  it('refuses input from a read-only viewer in the gateway and passes an interactive participant’s', async () => {
    const [a, b] = viewers as [NodeViewer, NodeViewer];
    expect(a.negotiated).toMatchObject({ role: 'collaborator' });
    expect(b.negotiated).toMatchObject({ role: 'viewer', permissions: 0x40 });
    await page.evaluate('window.log = []; document.getElementById("f").focus()');
    const key = (v: NodeViewer, code: number): void => {
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
    };
    const notice = b.next(
      (m) => m.channel === 'control' && m.type === 'sessionNotice' && m.message.startsWith('not_permitted'),
    );
    key(b, 30); // KeyA from the viewer: refused
    expect(await notice).toMatchObject({ kind: 'message' });
    b.send({ channel: 'control', type: 'resizeRequest', width: 800, height: 600, scale: 100 });
    key(a, 48); // KeyB from the interactive participant
    await until('KeyB in the page', async () =>
      (await page.evaluate<string[]>('window.log')).includes('KeyB'),
    );
    expect(await page.evaluate('window.log')).toEqual(['KeyB']);
    await page.evaluate('document.activeElement.blur()'); // no blinking caret from here on
    expect(a.width).toBe(1024); // the viewer's resize request never reached the host
    expect(hub().stats.refusals).toBeGreaterThanOrEqual(2);
  });

  it('gives a late joiner its own snapshot without a resync for the others', async () => {
    const [a, b] = viewers as [NodeViewer, NodeViewer];
    const before = [a.snapshots, b.snapshots];
    await page.evaluate('document.getElementById("box").style.background = "#cc3333"');
    const c = await connect('viewer');
    await page.evaluate('document.getElementById("box").style.left = "420px"');
    await quiet([a, b, c]);
    expect([a.snapshots, b.snapshots]).toEqual(before);
    expect(c.snapshots).toBe(1);
    const screen = await grabScreen(agent.display, 0, UI_TOP, 1024, UI_H);
    for (const v of [a, b, c]) expect(diff(v.region(0, UI_TOP, 1024, UI_H), screen, 1024)).toEqual(NO_DIFF);
  });

  it('drops a viewer that stops reading to a resync of its own while the others keep flowing', async () => {
    const [a] = viewers as [NodeViewer];
    const slow = await connect('viewer');
    const aSnapshots = a.snapshots;
    slow.pause();
    const aFrames = a.framesPresented;
    await page.evaluate('window.noise(200)');
    await until(
      'the slow viewer to be stalled',
      () =>
        hub()
          .connections()
          .some((c) => c.state === 'stalled'),
      30_000,
    ).catch((e: Error) => {
      throw new Error(`${e.message}: ${JSON.stringify(hub().connections())} ${JSON.stringify(hub().stats)}`);
    });
    expect(a.framesPresented).toBeGreaterThan(aFrames);
    const during = a.framesPresented;
    await until('the fast viewer to keep receiving', () => a.framesPresented > during + 3);
    slow.resume();
    await until('the slow viewer to get a snapshot again', () => slow.snapshots >= 2, 30_000);
    await page.evaluate('document.getElementById("noise").getContext("2d").clearRect(0,0,1024,240)');
    await quiet([a, slow], 1000);
    expect(a.snapshots).toBe(aSnapshots);
    const mine = hub()
      .connections()
      .find((c) => c.stalls > 0)!;
    expect(mine.resyncs).toBeGreaterThanOrEqual(1);
    expect(
      hub()
        .connections()
        .filter((c) => c.stalls > 0),
    ).toHaveLength(1);
    const screen = await grabScreen(agent.display, 0, UI_TOP, 1024, UI_H);
    expect(diff(slow.region(0, UI_TOP, 1024, UI_H), screen, 1024)).toEqual(NO_DIFF);
    expect(diff(a.region(0, UI_TOP, 1024, UI_H), screen, 1024)).toEqual(NO_DIFF);
  }, 90_000);

  it('keeps viewers connected when the host link drops, and reconnects', async () => {
    const [a, b] = viewers as [NodeViewer, NodeViewer];
    const opens = hub().stats.linkOpens;
    const lost = a.next(
      (m) => m.channel === 'control' && m.type === 'sessionNotice' && m.message.includes('link lost'),
    );
    hub().dropHostLink();
    await lost;
    await until('the link to come back', () => hub().stats.linkOpens === opens + 1 && hub().linkOpen);
    await page.evaluate('document.querySelector("h1").textContent = "Reconnected"');
    await sleep(300);
    await quiet([a, b]);
    expect(a.closed).toBeNull();
    expect(b.closed).toBeNull();
    const screen = await grabScreen(agent.display, 0, UI_TOP, 1024, UI_H);
    expect(diff(a.region(0, UI_TOP, 1024, UI_H), screen, 1024)).toEqual(NO_DIFF);
    expect(diff(b.region(0, UI_TOP, 1024, UI_H), screen, 1024)).toEqual(NO_DIFF);
  });

  it('accepts a ticket once, for its session and role only, and not after it expires', async () => {
    const t = await ticket('viewer');
    const first = new NodeViewer({ url: t.connect_url, ticket: t.ticket });
    viewers.push(first);
    expect((await first.opened).role).toBe('viewer');
    const again = new NodeViewer({ url: t.connect_url, ticket: t.ticket });
    expect(await again.done).toEqual({ code: 4110, reason: 'ticket_used' });
    expect(JSON.parse(again.texts[0]!)).toMatchObject({ op: 'error', code: 'ticket_used' });

    const tickets = h.gateway.app.get(LiveTickets);
    const old = await tickets.mint(
      'viewer',
      subjectOf(token),
      sessionId,
      'interactive',
      new Date(Date.now() - 120_000),
    );
    const late = new NodeViewer({ url: t.connect_url, ticket: old.token });
    expect(await late.done).toEqual({ code: 4110, reason: 'ticket_expired' });

    const other = await tickets.mint('viewer', subjectOf(token), randomUUID(), 'interactive');
    const foreign = new NodeViewer({ url: t.connect_url, ticket: other.token });
    expect(await foreign.done).toEqual({ code: 4110, reason: 'ticket_wrong_session' });

    const forged = new NodeViewer({ url: t.connect_url, ticket: `${old.token.slice(0, -4)}AAAA` });
    expect(await forged.done).toEqual({ code: 4110, reason: 'invalid_ticket' });

    const raw = new NodeViewer({ url: t.connect_url, ticket: 'nope' });
    expect((await raw.done).code).toBe(4110);

    // minting is owner-scoped and validated
    const token2 = await h.tokenFor('demo2');
    expect(
      (await h.client(token2).post(`/api/v1/sessions/${sessionId}/access-tokens`, { role: 'viewer' })).status,
    ).toBe(404);
    expect(
      (await h.client(token).post(`/api/v1/sessions/${sessionId}/access-tokens`, { role: 'admin' })).status,
    ).toBe(400);
    expect(
      (await h.client().post(`/api/v1/sessions/${sessionId}/access-tokens`, { role: 'viewer' })).status,
    ).toBe(401);
    expect((await h.client().get(`/api/v1/sessions/${sessionId}/live`)).status).toBe(426);
    expect(h.contractViolations).toEqual([]);
  });

  it('lists connections, records them for the sessions API and disconnects on request', async () => {
    const hubs = h.gateway.app.get(LiveHubs);
    const list = hubs.list(sessionId);
    expect(list.some((c) => c.role === 'automation')).toBe(true);
    const target = viewers[1]!;
    const id = list.find((c) => c.ticketRole === 'viewer' && c.state === 'live')!.connectionId;
    const events = h.gateway.app.get(RecordingConnectionObserver).events;
    expect(events.some((e) => e.type === 'opened' && e.connectionId === id)).toBe(true);
    expect(hubs.disconnect(sessionId, id, 'disconnected by the owner')).toBe(true);
    await until('the connection to close', () =>
      viewers.some((v) => v.closed?.code === 4000 && v.closed.reason === 'disconnected by the owner'),
    );
    await until('the close to be recorded', () =>
      events.some((e) => e.type === 'closed' && e.connectionId === id),
    );
    expect(hubs.list(sessionId).some((c) => c.connectionId === id)).toBe(false);
    void target;
  });
  it('exclusive_owner: one interactive owner, later ones view until the owner leaves', async () => {
    const hubs = h.gateway.app.get(LiveHubs);
    hubs.closeSession(sessionId, 'test switches sessions');
    const exclusive = randomUUID();
    h.gateway.app.get(LiveSessionRegistry).register({
      sessionId: exclusive,
      ownerId: subjectOf(token),
      ownerMode: 'exclusive_owner',
      hostLinkUrl: agent.linkUrl,
      hostLinkSecret: agent.secret,
    });
    const open = async (): Promise<NodeViewer> => {
      const t = await ticket('interactive', exclusive);
      const v = new NodeViewer({ url: t.connect_url, ticket: t.ticket });
      viewers.push(v);
      await v.opened;
      return v;
    };
    const first = await open();
    const second = await open();
    expect(first.negotiated).toMatchObject({ role: 'owner', permissions: 0x7f });
    expect(second.negotiated).toMatchObject({ role: 'viewer', permissions: 0x40 });
    const promoted = second.next((m) => m.channel === 'control' && m.type === 'roleChanged');
    first.close();
    expect(await promoted).toMatchObject({ role: 'owner', permissions: 0x7f });
    await until('the owner-change notice', () => second.notices.some((n) => n.startsWith('ownerChanged')));
  });
});
