import { ProtocolSession, type Message, type PeerKind } from '@bpane/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CdpClient } from '../cdp/cdp-client';
import { dataUrl } from '../test-support/pages';
import { startRuntime, type RuntimeFixture } from '../test-support/runtime-fixture';
import { HostLinkServer } from './host-link-server';
import { LiveMedia } from './live-media';

const SECRET = 'link-secret-for-the-test-0123456789';
const page = dataUrl(`<!doctype html><body><input id="f" autofocus>
<script>window.log=[];addEventListener('keydown',e=>log.push('down:'+e.code));addEventListener('keyup',e=>log.push('up:'+e.code));</script></body>`);

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

type Link = { ws: WebSocket; session: ProtocolSession; messages: Message[]; closed: Promise<number> };

const openLink = (port: number, peer: PeerKind, secret = SECRET): Link => {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/link`, { headers: { authorization: `Bearer ${secret}` } });
  const messages: Message[] = [];
  const session = new ProtocolSession(
    {
      side: 'viewer',
      peer,
      agent: 'test',
      required: ['tilesLossless'],
      optional: ['tilesCache', 'cursorImage'],
    },
    { send: (f) => ws.send(f), message: (m) => messages.push(m), close: () => undefined },
  );
  ws.on('open', () => session.start());
  ws.on('message', (d: Buffer) => session.receiveBytes(d));
  ws.on('error', () => undefined);
  const closed = new Promise<number>((r) => ws.on('close', (code) => r(code)));
  return { ws, session, messages, closed };
};

describe('HostLinkServer on a real runtime', () => {
  let fx: RuntimeFixture;
  let media: LiveMedia;
  let server: HostLinkServer;
  let cdp: CdpClient;

  beforeAll(async () => {
    fx = await startRuntime();
    cdp = await CdpClient.connectToPage(fx.runtime.cdpPort);
    await cdp.navigate(page);
    media = await LiveMedia.start(fx.cfg, {
      display: fx.runtime.display,
      cdpPort: fx.runtime.cdpPort,
      resize: (s) => fx.runtime.resize(s),
    });
    server = new HostLinkServer({
      host: '127.0.0.1',
      port: 0,
      secret: SECRET,
      media,
      cdpPort: () => fx.runtime.cdpPort,
      clipboardMaxBytes: 1024 * 1024,
    });
    await server.listen();
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await media?.stop();
    cdp?.close();
    await fx?.dispose();
  });

  it('refuses a wrong secret on the link and on the DevTools proxy', async () => {
    const bad = openLink(server.port, 'gateway', 'not-the-secret-at-all-000');
    expect(await bad.closed).toBe(1006);
    const res = await fetch(`http://127.0.0.1:${server.port}/cdp/json/version`, {
      headers: { authorization: 'Bearer wrong' },
    });
    expect(res.status).toBe(401);
    const ok = await fetch(`http://127.0.0.1:${server.port}/cdp/json/version`, {
      headers: { authorization: `Bearer ${SECRET}` },
    });
    expect(((await ok.json()) as { webSocketDebuggerUrl: string }).webSocketDebuggerUrl).toMatch(/^ws:/);
  });

  it('takes only a gateway as peer', async () => {
    const web = openLink(server.port, 'webClient');
    expect(await web.closed).toBe(4110);
  });

  it('streams a snapshot to the gateway and releases held keys when the link goes', async () => {
    const link = openLink(server.port, 'gateway');
    await new Promise<void>((resolve, reject) => {
      const t = setInterval(() => {
        if (link.messages.some((m) => m.channel === 'tiles' && m.type === 'frameEnd')) {
          clearInterval(t);
          resolve();
        }
      }, 20);
      setTimeout(() => reject(new Error('no frame')), 10_000);
    });
    expect(link.messages[0]).toMatchObject({ channel: 'control', type: 'capabilities' });
    expect(link.messages.some((m) => m.channel === 'control' && m.type === 'displayConfig')).toBe(true);
    // a click gives the browser window the keyboard focus
    link.session.send({
      channel: 'input',
      type: 'pointerButton',
      x: 300,
      y: 300,
      button: 'left',
      down: true,
      modifiers: 0,
    });
    link.session.send({
      channel: 'input',
      type: 'pointerButton',
      x: 300,
      y: 300,
      button: 'left',
      down: false,
      modifiers: 0,
    });
    await sleep(300);
    await cdp.evaluate('document.getElementById("f").focus(); window.log = []');
    link.session.send({
      channel: 'input',
      type: 'key',
      code: 42,
      down: true,
      repeat: false,
      modifiers: 0,
      key: 'Shift',
      text: '',
    });
    for (let i = 0; i < 50 && !(await cdp.evaluate<string[]>('window.log')).includes('down:ShiftLeft'); i++)
      await sleep(20);
    link.ws.terminate();
    for (let i = 0; i < 100 && !(await cdp.evaluate<string[]>('window.log')).includes('up:ShiftLeft'); i++)
      await sleep(20);
    expect(await cdp.evaluate('window.log')).toEqual(['down:ShiftLeft', 'up:ShiftLeft']);
    expect(server.connected).toBe(false);
  });
});
