import {
  CloseCode,
  CloseCodeByValue,
  LosslessCodecs,
  Permissions,
  ProtocolSession,
  type CapabilityName,
  type Message,
  type Negotiated,
  type Role,
} from '@bpane/protocol';
import { DEFAULT_BACKOFF, backoffDelay, type BackoffOptions } from './backoff';
import { FeedbackMeter } from './feedback';
import { FileTransfers, type DownloadedFile } from './file-transfer';
import { InputCapture } from './input-capture';
import { resizeTarget as resizeFor } from './input-map';
import {
  ownPayload,
  transferablesOf,
  type FromWorker,
  type RenderMessage,
  type ToWorker,
} from './render-messages';
import { webSocketFactory, TransportError, type TransportFactory } from './transport';
import type { LiveTransport } from '@bpane/live-transport';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting' | 'closed';

export type StatusEvent = Readonly<{
  state: ConnectionState;
  /** Why the connection ended or is being retried (close reason, refusal message). */
  reason?: string;
  /** Close code (WebSocket or protocol CloseCode value) when there is one. */
  code?: number;
  /** The gateway's typed refusal code (`ticket_used`, `session_not_live`, …) when there is one. */
  refusal?: string;
  /** Reconnect attempt number while reconnecting. */
  attempt?: number;
  /** Delay before the next attempt while reconnecting, in ms. */
  retryInMs?: number;
}>;

export type RoleEvent = Readonly<{ role: Role; permissions: number; readOnly: boolean }>;
export type StatsEvent = Readonly<{
  rttMs: number | null;
  bandwidthBps: number;
  framesPresented: number;
  videoFramesDecoded: number;
  framesDropped: number;
  decodeMs: number;
  cacheHits: number;
}>;

export type LiveClientEvents = {
  status: StatusEvent;
  role: RoleEvent;
  display: Readonly<{ width: number; height: number; scale: number; resizeLocked: boolean }>;
  stats: StatsEvent;
  /** Text the remote clipboard took (needs the clipboardRead permission). */
  clipboard: Readonly<{ text: string }>;
  /** A session notice from the gateway (viewers joining, automation attached, …). */
  notice: Readonly<{ kind: string; viewers: number; message: string }>;
  /** The gateway refused something this client sent (`not_permitted: …`). */
  rejected: Readonly<{ code: string; message: string }>;
  /** A frame was presented (after frameEnd). */
  frame: Readonly<{ seq: number }>;
  download: DownloadedFile;
  error: Readonly<{ message: string }>;
};

export type ConnectOptions = Readonly<{
  /** The live WebSocket URL (the access-token response's `connect_url`). */
  url: string;
  /** The connect ticket, or a function that mints a fresh one (needed for automatic reconnects: tickets are single-use). */
  ticket: string | (() => Promise<string>);
  /** Where the bundled render worker is (default: `render-worker.js` next to this module). */
  workerUrl?: string | URL;
  /** Reconnect automatically (default true, with DEFAULT_BACKOFF). */
  reconnect?: boolean | Partial<BackoffOptions>;
  /** Follow the element's size with resize requests (default true, when the role may resize). */
  followResize?: boolean;
  resizeDebounceMs?: number;
  /** Feedback report and ping interval (default 1000 ms). */
  feedbackIntervalMs?: number;
  /** Write remote clipboard text into the local clipboard when the page may (default true). */
  syncClipboard?: boolean;
  /** Transport factory (default: browser WebSocket with the ticket preamble). */
  transport?: TransportFactory;
  /** Software name sent in the hello. */
  agent?: string;
}>;

/** Capabilities this client can use. `tilesLossless` is required. */
export const CLIENT_CAPABILITIES: readonly CapabilityName[] = [
  'tilesLossless',
  'tilesCache',
  'tilesCopyRect',
  'videoH264',
  'clipboardText',
  'cursorImage',
  'inputTouch',
  'inputIme',
  'feedback',
  'fileTransfer',
];

export const CLIENT_CACHE_ENTRIES = 8192;
export const CLIENT_CACHE_BYTES = 128 * 1024 * 1024;

/** Close codes after which reconnecting cannot help. */
const FINAL_CODES = new Set<number>([
  CloseCode.normal,
  CloseCode.unsupportedVersion,
  CloseCode.capabilityMissing,
  CloseCode.selectionMismatch,
  CloseCode.notPermitted,
  CloseCode.replaced,
  CloseCode.unauthorized,
]);

type Listener<K extends keyof LiveClientEvents> = (event: LiveClientEvents[K]) => void;

const nowUs = (): number => Math.round((performance.timeOrigin + performance.now()) * 1000);

/**
 * One live view of a BrowserPane session inside `element`: connects, renders (in a worker), captures
 * input, follows the element's size, reconnects. See docs/web-client.md.
 */
export class LiveClient {
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  readonly #opts: ConnectOptions;
  readonly #worker: Worker;
  readonly #listeners = new Map<keyof LiveClientEvents, Set<(e: never) => void>>();
  readonly #meter = new FeedbackMeter();
  readonly #input: InputCapture;
  readonly #files: FileTransfers;
  readonly #resizeObserver: ResizeObserver;
  #session: ProtocolSession | null = null;
  #transport: LiveTransport | null = null;
  #state: ConnectionState = 'connecting';
  #negotiated: Negotiated | null = null;
  #role: Role | null = null;
  #permissions = 0;
  #display = { width: 0, height: 0, scale: 100, resizeLocked: false };
  #frame: RenderMessage[] | null = null;
  #attempt = 0;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #tick: ReturnType<typeof setInterval> | null = null;
  #resizeTimer: ReturnType<typeof setTimeout> | null = null;
  #pingSeq = 0;
  #lastResize = '';
  #reads = new Map<number, (rgba: Uint8ClampedArray | null) => void>();
  #readSeq = 0;
  #clipboardSeq = 0;
  #stats = { framesPresented: 0, videoFramesDecoded: 0, framesDropped: 0, decodeMs: 0, cacheHits: 0 };
  #closedByUser = false;

  constructor(element: HTMLElement, opts: ConnectOptions) {
    this.element = element;
    this.#opts = opts;
    const doc = element.ownerDocument;
    if (getComputedStyle(element).position === 'static') element.style.position = 'relative';
    element.style.overflow = 'hidden';
    this.canvas = doc.createElement('canvas');
    this.canvas.className = 'bpane-screen';
    Object.assign(this.canvas.style, {
      position: 'absolute',
      left: '0',
      top: '0',
      touchAction: 'none',
      outline: 'none',
    });
    element.append(this.canvas);
    const workerUrl = opts.workerUrl ?? new URL('./render-worker.js', import.meta.url);
    this.#worker = new Worker(workerUrl, { type: 'module' });
    this.#worker.onmessage = (e: MessageEvent<FromWorker>) => this.#fromWorker(e.data);
    this.#worker.onerror = (e) => this.#emit('error', { message: `render worker: ${e.message}` });
    const offscreen = this.canvas.transferControlToOffscreen();
    this.#post(
      { t: 'init', canvas: offscreen, cacheEntries: CLIENT_CACHE_ENTRIES, cacheBytes: CLIENT_CACHE_BYTES },
      [offscreen],
    );
    this.#input = new InputCapture(element, this.canvas, {
      send: (m) => this.#send(m),
      enabled: () => this.#allowed(Permissions.input),
      has: (c) => this.#negotiated?.capabilities.has(c) ?? false,
      display: () => this.#display,
      clipboardOut: (text) => this.sendClipboardText(text),
    });
    this.#files = new FileTransfers({
      send: (m) => this.#send(m),
      may: (p) => this.#allowed(p),
      downloaded: (f) => this.#emit('download', f),
      error: (message) => this.#emit('error', { message }),
    });
    this.#resizeObserver = new ResizeObserver(() => this.#scheduleResize());
    this.#resizeObserver.observe(element);
    void this.#connect();
  }

  get state(): ConnectionState {
    return this.#state;
  }
  get role(): Role | null {
    return this.#role;
  }
  get permissions(): number {
    return this.#permissions;
  }
  get readOnly(): boolean {
    return (this.#permissions & Permissions.input) === 0;
  }
  get displaySize(): { width: number; height: number } {
    return { width: this.#display.width, height: this.#display.height };
  }
  get rttMs(): number | null {
    return this.#meter.rttMs;
  }

  on<K extends keyof LiveClientEvents>(event: K, listener: Listener<K>): () => void {
    let set = this.#listeners.get(event);
    if (set === undefined) this.#listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Sends text to the remote clipboard (needs clipboardWrite). Returns whether it was sent. */
  sendClipboardText(text: string): boolean {
    if (
      !this.#allowed(Permissions.clipboardWrite) ||
      !(this.#negotiated?.capabilities.has('clipboardText') ?? false)
    )
      return false;
    this.#send({ channel: 'clipboard', type: 'text', seq: ++this.#clipboardSeq & 0xffffffff, text });
    return true;
  }

  /** Uploads a file over the file channel (needs the upload permission and fileTransfer). */
  upload(file: Blob & { name?: string }): Promise<void> {
    if (!(this.#negotiated?.capabilities.has('fileTransfer') ?? false))
      return Promise.reject(new Error('the session does not offer file transfer'));
    return this.#files.upload(file);
  }

  /** Cancels every running transfer. */
  cancelTransfers(): void {
    this.#files.cancelAll('user');
  }

  /** Asks for a full repaint and keyframes (drops the local cache first). */
  resync(): void {
    this.#post({ t: 'reset' });
    this.#send({ channel: 'control', type: 'resyncRequest', reason: 'user' });
  }

  /** Reads pixels of the rendered screen (remote pixels, top left origin) as straight RGBA. */
  readPixels(x: number, y: number, width: number, height: number): Promise<Uint8ClampedArray | null> {
    const id = ++this.#readSeq;
    return new Promise((resolve) => {
      this.#reads.set(id, resolve);
      this.#post({ t: 'read', id, x, y, width, height });
    });
  }

  /** Ends the connection for good (no reconnect) and removes the view. */
  close(): void {
    this.#closedByUser = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#session?.close('normal', 'viewer closed');
    this.#transport?.close(CloseCode.normal, 'viewer closed');
    this.#teardown();
    this.#setState({ state: 'closed', reason: 'closed by the viewer', code: CloseCode.normal });
    this.#input.dispose();
    this.#resizeObserver.disconnect();
    this.#worker.terminate();
    this.canvas.remove();
  }

  // ---- connection -------------------------------------------------------------------------------

  async #connect(): Promise<void> {
    // the first status reaches listeners attached right after connect() returned
    await Promise.resolve();
    if (this.#closedByUser) return;
    this.#setState({ state: this.#attempt === 0 ? 'connecting' : 'reconnecting', attempt: this.#attempt });
    let ticket: string;
    let opened: Awaited<ReturnType<TransportFactory>>;
    try {
      ticket = typeof this.#opts.ticket === 'string' ? this.#opts.ticket : await this.#opts.ticket();
      opened = await (this.#opts.transport ?? webSocketFactory)(this.#opts.url, ticket);
    } catch (e) {
      const close = e instanceof TransportError ? e.close : null;
      this.#ended(close?.code ?? 0, e instanceof Error ? e.message : String(e), undefined);
      return;
    }
    if (this.#closedByUser) {
      opened.transport.close(CloseCode.normal, 'viewer closed');
      return;
    }
    const transport = opened.transport;
    this.#transport = transport;
    const session = new ProtocolSession(
      {
        side: 'viewer',
        peer: 'webClient',
        agent: this.#opts.agent ?? 'bpane-web-client/0.1',
        required: ['tilesLossless'],
        optional: CLIENT_CAPABILITIES.filter((c) => c !== 'videoH264' || typeof VideoDecoder === 'function'),
        clockUs: nowUs,
      },
      {
        send: (frame) => transport.send(frame),
        open: (n) => this.#opened(n),
        message: (m) => this.#message(m),
        close: (code, reason) => transport.close(code, reason),
      },
    );
    this.#session = session;
    transport.onData((chunk) => {
      this.#meter.received(chunk.length);
      session.receiveBytes(chunk);
    });
    transport.onClose((info) => {
      session.transportClosed();
      if (this.#transport !== transport) return;
      const refusal = opened.refusal();
      this.#ended(info.code, refusal?.message ?? info.reason, refusal?.code);
    });
    session.start();
  }

  #opened(n: Negotiated): void {
    this.#negotiated = n;
    this.#attempt = 0;
    // a fresh connection starts from nothing: the host side sends a snapshot and keyframes
    this.#post({ t: 'reset' });
    this.#frame = null;
    this.#lastResize = '';
    this.#send({
      channel: 'control',
      type: 'capabilities',
      losslessCodecs: LosslessCodecs.qoi | LosslessCodecs.png | LosslessCodecs.rawRgba,
      lossyCodecs: 0,
      cacheEntries: CLIENT_CACHE_ENTRIES,
      cacheBytes: CLIENT_CACHE_BYTES,
      maxClipboardBytes: 1024 * 1024,
      maxFileBytes: 0xffffffff,
    });
    this.#setRole(n.role, n.permissions);
    this.#setState({ state: 'live' });
    const every = this.#opts.feedbackIntervalMs ?? 1000;
    this.#tick = setInterval(() => this.#heartbeat(), every);
    this.#ping();
    this.#scheduleResize(0);
  }

  #ended(code: number, reason: string, refusal: string | undefined): void {
    this.#teardown();
    if (this.#closedByUser) return;
    const reconnect = this.#opts.reconnect ?? true;
    const final =
      reconnect === false ||
      FINAL_CODES.has(code) ||
      refusal !== undefined ||
      (typeof this.#opts.ticket === 'string' && this.#attempt === 0 && this.#negotiated === null);
    const base: StatusEvent = {
      state: 'closed',
      reason: reason || CloseCodeByValue[code] || `closed (${code})`,
      code,
      ...(refusal === undefined ? {} : { refusal }),
    };
    if (final || typeof this.#opts.ticket === 'string') {
      this.#setState(base);
      return;
    }
    const backoff = { ...DEFAULT_BACKOFF, ...(typeof reconnect === 'object' ? reconnect : {}) };
    const delay = backoffDelay(this.#attempt, backoff);
    this.#attempt++;
    this.#setState({ ...base, state: 'reconnecting', attempt: this.#attempt, retryInMs: delay });
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#connect();
    }, delay);
  }

  #teardown(): void {
    if (this.#tick !== null) clearInterval(this.#tick);
    this.#tick = null;
    this.#session = null;
    this.#transport = null;
    this.#negotiated = null;
    this.#frame = null;
    this.#files.cancelAll('disconnected', false);
    this.#input.releaseLocal();
  }

  // ---- messages ---------------------------------------------------------------------------------

  #send(m: Message): void {
    const s = this.#session;
    if (s === null || s.state !== 'open') return;
    try {
      s.send(m);
    } catch (e) {
      this.#emit('error', { message: e instanceof Error ? e.message : String(e) });
    }
  }

  #post(m: ToWorker, transfer: Transferable[] = []): void {
    this.#worker.postMessage(m, transfer);
  }

  #message(m: Message): void {
    switch (m.channel) {
      case 'tiles':
        this.#tiles(m);
        return;
      case 'video': {
        const own = [ownPayload(m)];
        this.#post({ t: 'batch', messages: own }, transferablesOf(own));
        return;
      }
      case 'cursor':
        this.#input.cursor(m);
        return;
      case 'clipboard':
        if (m.type === 'text') {
          this.#emit('clipboard', { text: m.text });
          if ((this.#opts.syncClipboard ?? true) && document.hasFocus())
            void navigator.clipboard?.writeText(m.text).catch(() => undefined);
        }
        return;
      case 'file':
        this.#files.message(m);
        return;
      case 'control':
        this.#control(m);
        return;
      default:
        return;
    }
  }

  #tiles(m: Extract<Message, { channel: 'tiles' }>): void {
    if (m.type === 'frameBegin') {
      this.#frame = [m];
      return;
    }
    if (this.#frame === null) {
      // outside a frame (cacheEvict between frames): applied on its own
      const own = [ownPayload(m)];
      this.#post({ t: 'batch', messages: own }, transferablesOf(own));
      return;
    }
    this.#frame.push(ownPayload(m));
    if (m.type === 'frameEnd') {
      const batch = this.#frame;
      this.#frame = null;
      this.#post({ t: 'batch', messages: batch }, transferablesOf(batch));
    }
  }

  #control(m: Extract<Message, { channel: 'control' }>): void {
    switch (m.type) {
      case 'displayConfig':
        this.#display = {
          width: m.width,
          height: m.height,
          scale: m.scale,
          resizeLocked: (m.flags & 1) !== 0,
        };
        this.#post({ t: 'display', width: m.width, height: m.height });
        this.#layout();
        this.#emit('display', { ...this.#display });
        return;
      case 'pong':
        this.#meter.rtt(m.echoTimestampUs, nowUs());
        return;
      case 'roleChanged':
        this.#setRole(m.role, m.permissions);
        return;
      case 'sessionNotice': {
        const rejected = /^([a-z_]+): (.*)$/s.exec(m.message);
        if (m.kind === 'message' && rejected !== null && rejected[1] === 'not_permitted')
          this.#emit('rejected', { code: rejected[1], message: rejected[2]! });
        this.#emit('notice', { kind: m.kind, viewers: m.viewers, message: m.message });
        return;
      }
      default:
        return;
    }
  }

  #fromWorker(m: FromWorker): void {
    switch (m.t) {
      case 'cacheMiss':
        if (this.#negotiated?.capabilities.has('tilesCache') ?? false)
          this.#send({
            channel: 'tiles',
            type: 'cacheMiss',
            frameSeq: m.frameSeq,
            cacheId: m.cacheId,
            x: m.x,
            y: m.y,
          });
        return;
      case 'presented':
        this.#stats.framesPresented++;
        this.#stats.cacheHits += m.cacheHits;
        this.#emit('frame', { seq: m.seq });
        return;
      case 'video':
        this.#stats.videoFramesDecoded++;
        this.#meter.decoded(m.decodeUs);
        this.#stats.decodeMs = m.decodeUs / 1000;
        return;
      case 'dropped':
        this.#stats.framesDropped += m.count;
        this.#meter.dropped(m.count);
        return;
      case 'keyframe':
        this.#send({
          channel: 'control',
          type: 'keyframeRequest',
          streamId: m.streamId,
          reason: 'decoderError',
        });
        return;
      case 'read':
        this.#reads.get(m.id)?.(m.rgba);
        this.#reads.delete(m.id);
        return;
      case 'error':
        this.#emit('error', { message: m.message });
        if (m.message.startsWith('tile frame'))
          this.#send({ channel: 'control', type: 'resyncRequest', reason: 'decoderError' });
        return;
    }
  }

  // ---- periodic ---------------------------------------------------------------------------------

  #ping(): void {
    this.#send({ channel: 'control', type: 'ping', seq: ++this.#pingSeq & 0xffffffff, timestampUs: nowUs() });
  }

  #heartbeat(): void {
    this.#ping();
    const r = this.#meter.take();
    if (this.#negotiated?.capabilities.has('feedback') ?? false)
      this.#send({ channel: 'feedback', type: 'report', ...r, lossPermille: 0 });
    this.#emit('stats', {
      rttMs: this.#meter.rttMs,
      bandwidthBps: r.bandwidthBps,
      ...this.#stats,
    });
  }

  // ---- size -------------------------------------------------------------------------------------

  #scheduleResize(delay = this.#opts.resizeDebounceMs ?? 200): void {
    this.#layout();
    if (this.#resizeTimer !== null) clearTimeout(this.#resizeTimer);
    this.#resizeTimer = setTimeout(() => {
      this.#resizeTimer = null;
      this.#requestResize();
    }, delay);
  }

  #requestResize(): void {
    if (this.#opts.followResize === false || !this.#allowed(Permissions.resize) || this.#display.resizeLocked)
      return;
    const rect = this.element.getBoundingClientRect();
    if (rect.width < 1 || rect.height < 1) return;
    const dpr = globalThis.devicePixelRatio || 1;
    const t = resizeFor(rect.width, rect.height, dpr);
    const key = `${t.width}x${t.height}@${t.scale}`;
    if (key === this.#lastResize || (t.width === this.#display.width && t.height === this.#display.height))
      return;
    this.#lastResize = key;
    this.#send({ channel: 'control', type: 'resizeRequest', ...t });
  }

  /** Fits the canvas into the element (contain), keeping the remote aspect ratio. */
  #layout(): void {
    const { width, height } = this.#display;
    const cw = this.element.clientWidth;
    const ch = this.element.clientHeight;
    if (width === 0 || height === 0 || cw === 0 || ch === 0) return;
    const s = Math.min(cw / width, ch / height);
    const w = width * s;
    const h = height * s;
    Object.assign(this.canvas.style, {
      width: `${w}px`,
      height: `${h}px`,
      left: `${(cw - w) / 2}px`,
      top: `${(ch - h) / 2}px`,
    });
  }

  // ---- helpers ----------------------------------------------------------------------------------

  #allowed(permission: number): boolean {
    return this.#session?.state === 'open' && (this.#permissions & permission) !== 0;
  }

  #setRole(role: Role, permissions: number): void {
    this.#role = role;
    this.#permissions = permissions;
    const readOnly = (permissions & Permissions.input) === 0;
    this.element.classList.toggle('bpane-read-only', readOnly);
    this.#input.setReadOnly(readOnly);
    this.#emit('role', { role, permissions, readOnly });
  }

  #setState(s: StatusEvent): void {
    this.#state = s.state;
    this.element.dataset['bpaneState'] = s.state;
    this.#emit('status', s);
  }

  #emit<K extends keyof LiveClientEvents>(event: K, value: LiveClientEvents[K]): void {
    for (const l of this.#listeners.get(event) ?? []) {
      try {
        (l as Listener<K>)(value);
      } catch {
        // a listener's error is its own
      }
    }
  }
}

/** Connects a live view of a session into `element`. */
export const connect = (element: HTMLElement, options: ConnectOptions): LiveClient =>
  new LiveClient(element, options);
