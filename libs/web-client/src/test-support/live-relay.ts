/**
 * Test fixture: the viewer side of the gateway in miniature, for exercising the web client against
 * a real host agent. It serves the built web client, checks the ticket preamble, runs the protocol
 * as host side towards the browser and as `gateway` towards the host agent's `/link`, forwards
 * messages both ways, drops what the viewer's role does not permit (as the gateway does) and counts
 * what each viewer sent.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { LIVE_CLOSE, parsePreamble } from '@bpane/live-transport';
import {
  Capability,
  isPermitted,
  Permissions,
  PermissionsMask,
  ProtocolSession,
  type CapabilityName,
  type Message,
} from '@bpane/protocol';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

export type TicketGrant = 'interactive' | 'viewer';

export type ViewerRecord = {
  readonly grant: TicketGrant;
  /** `channel.type` → count of messages the viewer sent after the handshake. */
  readonly sent: Map<string, number>;
  readonly ws: WebSocket;
};

const ALL_CAPABILITIES = Object.keys(Capability) as CapabilityName[];

const VIEWER_PERMISSIONS = Permissions.audio;

export class LiveRelay {
  readonly viewers: ViewerRecord[] = [];
  readonly #tickets = new Map<string, TicketGrant>();
  readonly #server: Server;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #upstreams = new Set<WebSocket>();
  readonly #open = new Set<ProtocolSession>();
  readonly #streams = new Map<number, Message>();
  #host: Promise<ProtocolSession> | null = null;
  #display: Message | null = null;
  #seq = 0;

  private constructor(
    private readonly opts: { linkUrl: string; secret: string; staticDir: string; pageHtml: string },
  ) {
    this.#server = createServer((req, res) => {
      const path = new URL(req.url ?? '/', 'http://relay.invalid').pathname;
      if (path === '/ticket') {
        const grant =
          new URL(req.url ?? '/', 'http://relay.invalid').searchParams.get('grant') === 'viewer'
            ? 'viewer'
            : 'interactive';
        res.writeHead(200, { 'content-type': 'text/plain' }).end(this.ticket(grant));
        return;
      }
      if (path === '/') {
        res.writeHead(200, { 'content-type': 'text/html' }).end(opts.pageHtml);
        return;
      }
      const file = /^\/([a-z-]+\.js)$/.exec(path)?.[1];
      if (file === undefined) {
        res.writeHead(404).end();
        return;
      }
      try {
        res
          .writeHead(200, { 'content-type': 'text/javascript' })
          .end(readFileSync(join(opts.staticDir, file)));
      } catch {
        res.writeHead(404).end();
      }
    });
    this.#server.on('upgrade', (req, socket, head) =>
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#viewer(ws)),
    );
  }

  static async start(opts: {
    linkUrl: string;
    secret: string;
    staticDir: string;
    pageHtml: string;
  }): Promise<LiveRelay> {
    const relay = new LiveRelay(opts);
    await new Promise<void>((resolve) => relay.#server.listen(0, '127.0.0.1', () => resolve()));
    return relay;
  }

  get origin(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  get liveUrl(): string {
    return `ws://127.0.0.1:${(this.#server.address() as AddressInfo).port}/live`;
  }

  /** A single-use ticket. */
  ticket(grant: TicketGrant): string {
    const t = `t${++this.#seq}-${grant}`;
    this.#tickets.set(t, grant);
    return t;
  }

  /** Drops every viewer connection without a close handshake (a network failure). */
  dropViewers(): void {
    for (const v of this.viewers) v.ws.terminate();
  }

  async close(): Promise<void> {
    for (const ws of this.#wss.clients) ws.terminate();
    for (const ws of this.#upstreams) ws.terminate();
    this.#host?.catch(() => undefined);
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #viewer(ws: WebSocket): void {
    ws.once('message', (raw: RawData, isBinary: boolean) => {
      const preamble = isBinary
        ? { error: 'binary preamble' }
        : parsePreamble(Buffer.isBuffer(raw) ? raw.toString('utf8') : '');
      const grant = 'error' in preamble ? undefined : this.#tickets.get(preamble.ticket);
      if (grant === undefined || 'error' in preamble) {
        ws.send(JSON.stringify({ op: 'error', code: 'ticket_invalid', message: 'unknown or used ticket' }));
        ws.close(LIVE_CLOSE.unauthorized, 'ticket_invalid');
        return;
      }
      this.#tickets.delete(preamble.ticket);
      this.#bridge(ws, grant);
    });
    ws.on('error', () => undefined);
  }

  /** The one link to the host agent (it accepts one gateway link at a time), shared by every viewer. */
  #link(): Promise<ProtocolSession> {
    if (this.#host !== null) return this.#host;
    this.#host = new Promise((resolve, reject) => {
      const up = new WebSocket(`${this.opts.linkUrl.replace(/^http/, 'ws')}/link`, {
        headers: { authorization: `Bearer ${this.opts.secret}` },
      });
      this.#upstreams.add(up);
      const host: ProtocolSession = new ProtocolSession(
        {
          side: 'viewer',
          peer: 'gateway',
          agent: 'web-client-test-relay',
          required: ['tilesLossless'],
          optional: ALL_CAPABILITIES,
        },
        {
          send: (frame) => up.readyState === WebSocket.OPEN && up.send(frame),
          open: () => resolve(host),
          message: (m) => this.#fromHost(m),
          close: (code, reason) => {
            if (up.readyState === WebSocket.OPEN) up.close(code, reason);
          },
        },
      );
      up.on('open', () => host.start());
      up.on('message', (data: Buffer) => host.receiveBytes(data));
      up.on('close', () => {
        this.#upstreams.delete(up);
        host.transportClosed();
        reject(new Error('the host link closed'));
      });
      up.on('error', () => undefined);
    });
    return this.#host;
  }

  #fromHost(m: Message): void {
    if (m.channel === 'control' && (m.type === 'ping' || m.type === 'pong')) return;
    if (m.channel === 'control' && m.type === 'displayConfig') this.#display = m;
    if (m.channel === 'control' && m.type === 'capabilities') return;
    if (m.channel === 'video' && m.type === 'streamConfig') this.#streams.set(m.streamId, m);
    if (m.channel === 'video' && m.type === 'streamEnd') this.#streams.delete(m.streamId);
    for (const v of this.#open) this.#forward(v, m);
  }

  #bridge(ws: WebSocket, grant: TicketGrant): void {
    const record: ViewerRecord = { grant, sent: new Map(), ws };
    this.viewers.push(record);
    const permissions = grant === 'viewer' ? VIEWER_PERMISSIONS : PermissionsMask;
    const early: Buffer[] = [];
    let viewer: ProtocolSession | null = null;
    ws.on('message', (data: Buffer) => (viewer === null ? early.push(data) : viewer.receiveBytes(data)));
    void this.#link().then(
      (host) => {
        const session: ProtocolSession = new ProtocolSession(
          {
            side: 'host',
            peer: 'gateway',
            agent: 'web-client-test-relay',
            optional: [...(host.negotiated?.capabilities ?? [])],
            authorize: () => ({ role: grant === 'viewer' ? 'viewer' : 'owner', permissions }),
          },
          {
            send: (frame) => ws.readyState === WebSocket.OPEN && ws.send(frame),
            open: () => {
              // a late joiner: the current size and video streams, then a fresh snapshot for everyone
              if (this.#display !== null) this.#forward(session, this.#display);
              for (const c of this.#streams.values()) this.#forward(session, c);
              this.#open.add(session);
              this.#forward(host, { channel: 'control', type: 'resyncRequest', reason: 'reconnect' });
            },
            message: (m) => {
              const key = `${m.channel}.${m.type}`;
              record.sent.set(key, (record.sent.get(key) ?? 0) + 1);
              if (!isPermitted(m, permissions)) return;
              if (
                m.channel === 'control' &&
                (m.type === 'ping' || m.type === 'pong' || m.type === 'capabilities')
              )
                return;
              this.#forward(host, m);
            },
            close: (code, reason) => {
              if (ws.readyState === WebSocket.OPEN) ws.close(code, reason);
            },
          },
        );
        viewer = session;
        session.start();
        for (const d of early.splice(0)) session.receiveBytes(d);
      },
      () => ws.close(4001, 'runtime link closed'),
    );
    ws.on('close', () => {
      if (viewer !== null) {
        this.#open.delete(viewer);
        viewer.transportClosed();
      }
    });
  }

  #forward(to: ProtocolSession, m: Message): void {
    if (to.state !== 'open') return;
    try {
      to.send(m);
    } catch {
      // not negotiated with this peer: not forwarded
    }
  }
}
