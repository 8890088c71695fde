import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { BpaneError } from '@bpane/errors';
import { ProtocolSession, type CapabilityName, type Message, type ProtocolError } from '@bpane/protocol';
import { WebSocket, WebSocketServer } from 'ws';
import type { MediaOutput } from '../media/media-output';
import { ProtocolAdapter } from '../media/protocol-adapter';
import { FileTransfers } from '../files/file-transfers';
import type { LinkMedia } from './live-media';

/** Path of the protocol link (WebSocket) on the link server. */
export const HOST_LINK_PATH = '/link';
/** Prefix of the DevTools proxy: `/cdp/json/version` and `/cdp/devtools/…` (WebSocket). */
export const HOST_CDP_PREFIX = '/cdp';

/** What the host agent provides on the link (SPEC §11 capabilities). */
export const HOST_LINK_CAPABILITIES: readonly CapabilityName[] = [
  'tilesLossless',
  'tilesCache',
  'tilesCopyRect',
  'videoH264',
  'audioOpus',
  'clipboardText',
  'fileTransfer',
  'cursorImage',
  'inputTouch',
  'inputIme',
  'feedback',
];

/** A link whose unsent bytes pass this is dropped (the gateway reconnects and gets a snapshot). */
export const LINK_MAX_BUFFERED_BYTES = 64 * 1024 * 1024;

export type HostLinkErrorCode = 'link_secret_invalid';

export type HostLinkOptions = Readonly<{
  host: string;
  port: number;
  /** Shared secret the gateway presents as `Authorization: Bearer <secret>` (≥ 16 characters). */
  secret: string;
  media: LinkMedia;
  /** Chromium's loopback DevTools port (read when the gateway asks). */
  cdpPort: () => number;
  clipboardMaxBytes: number;
  agent?: string;
  log?: (line: string) => void;
}>;

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time check of `Authorization: Bearer <secret>` (digests compare in equal time). */
export const authorizedBy = (header: string | undefined, secretDigest: Buffer): boolean => {
  const m = /^Bearer (.+)$/.exec(header ?? '');
  const presented = digest(m?.[1] ?? '');
  return timingSafeEqual(presented, secretDigest) && m !== null;
};

const refuse = (socket: Duplex, status: number, text: string): void => {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
};

/**
 * The host agent's endpoint for the gateway (ADR 0013): one HTTP server on loopback with
 *
 * - `GET /link` (WebSocket): the BrowserPane protocol, this agent as host side and the gateway as
 *   viewer side (peer kind `gateway`). One link at a time: a new one replaces the old (4109).
 *   Media outputs become protocol messages (ProtocolAdapter, fresh per link, so cache ids start over
 *   with a snapshot); input, clipboard, resize, keyframe/resync requests, cache misses and feedback
 *   go to the media pipeline; the file channel goes to a per-link `FileTransfers` (uploads into the
 *   runtime's upload folder, finished downloads offered). When the link goes, every held key and
 *   button is released.
 * - `GET /cdp/json/version` and `GET /cdp/devtools/…` (WebSocket): Chromium's DevTools endpoint,
 *   piped through unchanged, so the runtime's debugging port never leaves the machine.
 *
 * Every request needs `Authorization: Bearer <secret>`; anything else is 401.
 */
export class HostLinkServer {
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 });
  private readonly secretDigest: Buffer;
  private current: { ws: WebSocket; session: ProtocolSession } | null = null;
  private address: AddressInfo | null = null;
  /** Links opened since start (tests, diagnostics). */
  linksOpened = 0;

  constructor(private readonly opts: HostLinkOptions) {
    if (opts.secret.length < 16)
      throw new BpaneError<HostLinkErrorCode>(
        'link_secret_invalid',
        'the host link secret must have at least 16 characters',
      );
    this.secretDigest = digest(opts.secret);
    this.server = createServer((req, res) => void this.request(req, res));
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(req, socket, head),
    );
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.opts.port, this.opts.host, () => resolve());
    });
    this.address = this.server.address() as AddressInfo;
    return this.address.port;
  }

  get port(): number {
    return this.address?.port ?? 0;
  }

  get connected(): boolean {
    return this.current !== null;
  }

  async close(): Promise<void> {
    this.current?.session.close('goingAway', 'host agent shutting down');
    for (const ws of this.wss.clients) ws.terminate();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async request(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!authorizedBy(req.headers.authorization, this.secretDigest)) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('unauthorized');
      return;
    }
    const path = (req.url ?? '/').split('?')[0]!.replace(/\/$/, '');
    if (req.method !== 'GET' || path !== `${HOST_CDP_PREFIX}/json/version`) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    try {
      const r = await fetch(`http://127.0.0.1:${this.opts.cdpPort()}/json/version`, {
        signal: AbortSignal.timeout(3000),
      });
      res.writeHead(r.status, { 'content-type': 'application/json' }).end(await r.text());
    } catch {
      res.writeHead(502, { 'content-type': 'text/plain' }).end('the browser does not answer');
    }
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    if (!authorizedBy(req.headers.authorization, this.secretDigest))
      return refuse(socket, 401, 'Unauthorized');
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === HOST_LINK_PATH) {
      this.wss.handleUpgrade(req, socket, head, (ws) => this.link(ws));
      return;
    }
    if (path.startsWith(`${HOST_CDP_PREFIX}/devtools/`)) {
      this.pipeDevtools(req, socket, head, path.slice(HOST_CDP_PREFIX.length));
      return;
    }
    refuse(socket, 404, 'Not Found');
  }

  /** Pipes a DevTools WebSocket to Chromium byte for byte (the upgrade request re-sent upstream). */
  private pipeDevtools(req: IncomingMessage, socket: Duplex, head: Buffer, path: string): void {
    let port: number;
    try {
      port = this.opts.cdpPort();
    } catch {
      return refuse(socket, 502, 'Bad Gateway');
    }
    const upstream = connect(port, '127.0.0.1');
    const lines = [`GET ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i]!;
      if (/^(host|authorization|origin)$/i.test(name)) continue;
      lines.push(`${name}: ${req.rawHeaders[i + 1]!}`);
    }
    upstream.once('connect', () => {
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    const end = (): void => {
      socket.destroy();
      upstream.destroy();
    };
    upstream.on('error', end);
    upstream.on('close', end);
    socket.on('error', end);
    socket.on('close', end);
  }

  private link(ws: WebSocket): void {
    const previous = this.current;
    if (previous !== null) previous.session.close('replaced', 'a newer gateway link replaced this one');
    const media = this.opts.media;
    let adapter = new ProtocolAdapter();
    let detach: (() => void) | null = null;
    const transfers =
      media.folders === null
        ? null
        : new FileTransfers(media.folders, (m) => {
            if (session.state !== 'open') return;
            try {
              session.send(m);
            } catch {
              // the gateway did not select file transfers
            }
          });
    let pending: Uint8Array[] = [];
    let flushScheduled = false;
    const flush = (): void => {
      flushScheduled = false;
      if (pending.length === 0 || ws.readyState !== WebSocket.OPEN) {
        pending = [];
        return;
      }
      const chunks = pending;
      pending = [];
      ws.send(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
      if (ws.bufferedAmount > LINK_MAX_BUFFERED_BYTES)
        session.close('slowConsumer', 'the gateway does not read the link fast enough');
    };
    const session: ProtocolSession = new ProtocolSession(
      {
        side: 'host',
        peer: 'hostAgent',
        agent: this.opts.agent ?? 'bpane-host-agent/0.1',
        optional: HOST_LINK_CAPABILITIES,
        authorize: (hello) =>
          hello.peer === 'gateway'
            ? { role: 'owner', permissions: 0x1ff }
            : { reject: 'unauthorized', reason: 'only a gateway may open the host link' },
      },
      {
        send: (frame) => {
          pending.push(frame);
          if (!flushScheduled) {
            flushScheduled = true;
            setImmediate(flush);
          }
        },
        open: () => {
          this.linksOpened++;
          session.send({
            channel: 'control',
            type: 'capabilities',
            losslessCodecs: 0,
            lossyCodecs: 0,
            cacheEntries: 0,
            cacheBytes: 0,
            maxClipboardBytes: Math.min(this.opts.clipboardMaxBytes, 8 * 1024 * 1024),
            maxFileBytes: transfers === null ? 0 : transfers.maxUploadBytes,
          });
          adapter = new ProtocolAdapter();
          detach = media.attach({
            emit: (o: MediaOutput) => {
              if (o.kind === 'file-available') transfers?.offerDownload(o.name, o.path);
              else this.forward(session, adapter, o);
            },
          });
          this.opts.log?.('gateway link open');
        },
        message: (m) => {
          if (m.channel === 'file')
            void transfers?.handle(m).catch((e: unknown) => {
              this.opts.log?.(`file transfer failed: ${e instanceof Error ? e.message : String(e)}`);
            });
          else this.fromGateway(m);
        },
        close: (code, reason, error?: ProtocolError) => {
          flush();
          if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)
            ws.close(code, Buffer.from(reason).subarray(0, 123).toString());
          if (error !== undefined && error.code !== 'closed')
            this.opts.log?.(`gateway link closed: ${error.code} ${error.message}`);
        },
      },
    );
    this.current = { ws, session };
    ws.on('message', (data: Buffer) => session.receiveBytes(data));
    ws.on('close', () => {
      session.transportClosed();
      detach?.();
      detach = null;
      media.releaseAll();
      if (this.current?.ws === ws) this.current = null;
    });
    ws.on('error', () => undefined);
    session.start();
  }

  private forward(session: ProtocolSession, adapter: ProtocolAdapter, o: MediaOutput): void {
    if (session.state !== 'open') return;
    for (const m of adapter.toMessages(o)) {
      try {
        session.send(m);
      } catch (e) {
        // a capability the gateway did not select (for example audio): not sent
        if (!(e instanceof Error && 'code' in e && e.code === 'not_negotiated')) throw e;
      }
    }
  }

  private fromGateway(m: Message): void {
    const media = this.opts.media;
    switch (m.channel) {
      case 'input':
        media.input(m);
        return;
      case 'clipboard':
        if (m.type === 'text') void media.setClipboard(m.text).catch(() => undefined);
        return;
      case 'tiles':
        if (m.type === 'cacheMiss') media.repaint(m.x, m.y);
        return;
      case 'feedback':
        if (m.type === 'report')
          media.feedback({
            rttMs: m.rttUs / 1000,
            decodeMs: m.decodeTimeUs / 1000,
            droppedFrames: m.framesDropped,
            bandwidthKbps: m.bandwidthBps / 1000,
          });
        else if (m.type === 'target') media.feedback({ bandwidthKbps: m.bitrateBps / 1000 });
        return;
      case 'control':
        if (m.type === 'keyframeRequest') media.requestKeyframe();
        else if (m.type === 'resyncRequest') media.requestSnapshot();
        else if (m.type === 'resizeRequest')
          void media.resize(m.width, m.height).catch((e: unknown) => {
            this.opts.log?.(`resize failed: ${e instanceof Error ? e.message : String(e)}`);
          });
        return;
      default:
        return;
    }
  }
}
