import {
  Capability,
  ProtocolSession,
  type CapabilityName,
  type Message,
  type Negotiated,
} from '@bpane/protocol';
import { WebSocket } from 'ws';

/** Everything a gateway can relay (datagrams never: the link is one ordered stream). */
export const GATEWAY_LINK_CAPABILITIES: readonly CapabilityName[] = (
  Object.keys(Capability) as CapabilityName[]
).filter((c) => c !== 'tilesLossless' && c !== 'videoDatagrams');

export type HostLinkEvents = Readonly<{
  open: (negotiated: Negotiated) => void;
  message: (message: Message) => void;
  /** The link went down (it reconnects by itself unless stopped). */
  down: (code: number, reason: string) => void;
}>;

export type HostLinkClientOptions = Readonly<{
  /** Base URL of the host agent's link endpoint (`http://127.0.0.1:9320`). */
  url: string;
  secret: string;
  agent?: string;
  /** First reconnect delay; doubles per failed attempt up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
}>;

/**
 * The gateway's side of the host link (ADR 0013): a WebSocket to the host agent's `/link` with the
 * per-runtime secret, the protocol handshake as viewer side (peer kind `gateway`), and reconnects
 * with exponential backoff until `stop()`. Sends are batched per event-loop turn.
 */
export class HostLinkClient {
  #ws: WebSocket | null = null;
  #session: ProtocolSession | null = null;
  #stopped = false;
  #timer: NodeJS.Timeout | null = null;
  #backoff: number;
  #pending: Uint8Array[] = [];
  #flushScheduled = false;
  /** Successful handshakes so far (1 = first connect; more = reconnects). */
  opens = 0;

  constructor(
    private readonly opts: HostLinkClientOptions,
    private readonly events: HostLinkEvents,
  ) {
    this.#backoff = opts.backoffMs ?? 100;
  }

  get open(): boolean {
    return this.#session?.state === 'open';
  }

  get negotiated(): Negotiated | null {
    return this.#session?.state === 'open' ? this.#session.negotiated : null;
  }

  start(): void {
    this.#connect();
  }

  /** Sends one message to the host agent; false when the link is down or did not negotiate it. */
  send(message: Message): boolean {
    const s = this.#session;
    if (s === null || s.state !== 'open') return false;
    try {
      s.send(message);
      return true;
    } catch {
      return false;
    }
  }

  /** Drops the current connection (it reconnects). */
  drop(): void {
    this.#ws?.terminate();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#session?.close('normal', 'gateway hub closed');
    this.#ws?.terminate();
  }

  #flush = (): void => {
    this.#flushScheduled = false;
    const ws = this.#ws;
    const chunks = this.#pending;
    this.#pending = [];
    if (ws === null || ws.readyState !== WebSocket.OPEN || chunks.length === 0) return;
    ws.send(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
  };

  #connect(): void {
    if (this.#stopped) return;
    const url = `${this.opts.url.replace(/^http/, 'ws').replace(/\/$/, '')}/link`;
    const ws = new WebSocket(url, {
      headers: { authorization: `Bearer ${this.opts.secret}` },
      maxPayload: 64 * 1024 * 1024,
      perMessageDeflate: false,
    });
    this.#ws = ws;
    let wasOpen = false;
    const session = new ProtocolSession(
      {
        side: 'viewer',
        peer: 'gateway',
        agent: this.opts.agent ?? 'bpane-gateway/0.1',
        required: ['tilesLossless'],
        optional: GATEWAY_LINK_CAPABILITIES,
      },
      {
        send: (frame) => {
          this.#pending.push(frame);
          if (!this.#flushScheduled) {
            this.#flushScheduled = true;
            setImmediate(this.#flush);
          }
        },
        open: (n) => {
          wasOpen = true;
          this.opens++;
          this.#backoff = this.opts.backoffMs ?? 100;
          session.send({
            channel: 'control',
            type: 'capabilities',
            losslessCodecs: 0xf,
            lossyCodecs: 0x3,
            cacheEntries: 8192,
            cacheBytes: 256 * 1024 * 1024,
            maxClipboardBytes: 8 * 1024 * 1024,
            // Downloads the host offers are accepted up to 4 GiB (the hub relays them to viewers).
            maxFileBytes: 4 * 1024 * 1024 * 1024,
          });
          this.events.open(n);
        },
        message: (m) => this.events.message(m),
        close: (code, reason) => {
          this.#flush();
          if (ws.readyState === WebSocket.OPEN)
            ws.close(code, Buffer.from(reason).subarray(0, 123).toString());
        },
      },
    );
    this.#session = session;
    ws.on('open', () => session.start());
    ws.on('message', (data: Buffer) => session.receiveBytes(data));
    ws.on('error', () => undefined);
    ws.on('close', (code, reason) => {
      session.transportClosed();
      if (this.#ws === ws) {
        this.#ws = null;
        this.#session = null;
      }
      if (wasOpen) this.events.down(code, reason.toString());
      if (this.#stopped) return;
      const delay = this.#backoff;
      this.#backoff = Math.min(this.#backoff * 2, this.opts.maxBackoffMs ?? 5000);
      this.#timer = setTimeout(() => this.#connect(), delay);
    });
  }
}
