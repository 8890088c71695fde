/**
 * @bpane/live-transport — the byte transport under a BrowserPane live session, shared by the
 * gateway's session hub and the web client (docs/live-sessions.md).
 *
 * A `LiveTransport` moves ordered byte chunks both ways, closes with a code and a readable reason,
 * and tells its user how many bytes wait to be sent (the backpressure signal the hub uses to drop a
 * slow viewer to a resync). `webSocketTransport` adapts any WHATWG-style WebSocket (the browser's,
 * or the `ws` package's) — WebTransport gets its own adapter later behind the same interface.
 *
 * The viewer WebSocket starts with one text message, the preamble (`{"op":"auth","ticket":"…"}`),
 * before the binary protocol; `encodePreamble`/`parsePreamble` are the one definition of it.
 * Browser-safe: no Node APIs.
 */

export type CloseInfo = Readonly<{ code: number; reason: string }>;

export interface LiveTransport {
  /** Queues one chunk (one or more whole protocol frames). Ignored once closed. */
  send(chunk: Uint8Array): void;
  /** Bytes handed to `send` that the transport has not written yet. */
  readonly bufferedBytes: number;
  readonly closed: boolean;
  /** Receives every binary chunk, in order. */
  onData(listener: (chunk: Uint8Array) => void): void;
  /** Called once when the transport ends, whoever ended it. */
  onClose(listener: (info: CloseInfo) => void): void;
  /** Closes with an application code (4000–4999) and a reason (cut to the WebSocket limit). */
  close(code: number, reason: string): void;
}

/** Largest WebSocket close reason, in UTF-8 bytes (RFC 6455: 125 minus the code). */
export const MAX_CLOSE_REASON_BYTES = 123;

/** Cuts `reason` to at most `maxBytes` of UTF-8 without splitting a character. */
export const cutReason = (reason: string, maxBytes = MAX_CLOSE_REASON_BYTES): string => {
  const bytes = new TextEncoder().encode(reason);
  if (bytes.length <= maxBytes) return reason;
  return new TextDecoder().decode(bytes.subarray(0, maxBytes)).replace(/\uFFFD+$/, '');
};

/** The part of the WebSocket API this adapter needs (browser WebSocket and `ws` both have it). */
export type WebSocketLike = {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
};

const OPEN = 1;

/** Code a transport closes with when the peer sends text inside the binary protocol. */
export const TEXT_IN_BINARY_SESSION = 4102;

const toBytes = (data: unknown): Uint8Array | null => {
  if (data instanceof Uint8Array) return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (Array.isArray(data) && data.every((d) => d instanceof Uint8Array)) {
    const parts = data;
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
  return null;
};

/**
 * Wraps an open WebSocket. Binary messages are data; a text message is a protocol violation and
 * closes the transport with 4102 (malformedFrame) unless `onText` takes it. Chunks that arrive before `onData` has a
 * listener are kept and delivered when it gets one.
 */
export type WebSocketTransportOptions = Readonly<{
  /**
   * Text messages go here instead of closing the transport: a client uses it to read the gateway's
   * refusal (`LiveRefusal`) that precedes a close.
   */
  onText?: (text: string) => void;
}>;

export const webSocketTransport = (
  ws: WebSocketLike,
  options: WebSocketTransportOptions = {},
): LiveTransport => {
  ws.binaryType = 'arraybuffer';
  const dataListeners: ((chunk: Uint8Array) => void)[] = [];
  const closeListeners: ((info: CloseInfo) => void)[] = [];
  const early: Uint8Array[] = [];
  let closedInfo: CloseInfo | null = null;
  const finish = (info: CloseInfo): void => {
    if (closedInfo !== null) return;
    closedInfo = info;
    for (const l of closeListeners) l(info);
  };
  const transport: LiveTransport = {
    send(chunk) {
      if (closedInfo !== null || ws.readyState !== OPEN) return;
      ws.send(chunk);
    },
    get bufferedBytes() {
      return ws.bufferedAmount;
    },
    get closed() {
      return closedInfo !== null;
    },
    onData(listener) {
      dataListeners.push(listener);
      for (const c of early.splice(0)) listener(c);
    },
    onClose(listener) {
      if (closedInfo !== null) listener(closedInfo);
      else closeListeners.push(listener);
    },
    close(code, reason) {
      const r = cutReason(reason);
      try {
        ws.close(code, r);
      } catch {
        // already closing
      }
      finish({ code, reason: r });
    },
  };
  ws.addEventListener('message', (event) => {
    if (closedInfo !== null) return;
    const bytes = toBytes(event.data);
    if (bytes === null) {
      if (options.onText !== undefined && typeof event.data === 'string') {
        options.onText(event.data);
        return;
      }
      transport.close(TEXT_IN_BINARY_SESSION, 'text message inside the binary protocol');
      return;
    }
    if (dataListeners.length === 0) early.push(bytes);
    for (const l of dataListeners) l(bytes);
  });
  ws.addEventListener('close', (event) => finish({ code: event.code, reason: event.reason }));
  ws.addEventListener('error', () => undefined);
  return transport;
};

/** The first (text) message on a viewer's live WebSocket. */
export type LivePreamble = Readonly<{ op: 'auth'; ticket: string }>;

export type PreambleError = Readonly<{ error: string }>;

export const encodePreamble = (ticket: string): string => JSON.stringify({ op: 'auth', ticket });

/** Parses the preamble strictly: a JSON object with op "auth", a string ticket and nothing else. */
export const parsePreamble = (text: string): LivePreamble | PreambleError => {
  if (text.length > 4096) return { error: 'the auth message is too long' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { error: 'the first message must be JSON: {"op":"auth","ticket":"…"}' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { error: 'the first message must be a JSON object' };
  const v = value as Record<string, unknown>;
  if (v['op'] !== 'auth') return { error: 'the first message must have op "auth"' };
  if (typeof v['ticket'] !== 'string' || v['ticket'].length === 0)
    return { error: 'ticket must be a non-empty string' };
  for (const k of Object.keys(v))
    if (k !== 'op' && k !== 'ticket') return { error: `unknown field ${k} in the auth message` };
  return { op: 'auth', ticket: v['ticket'] };
};

/**
 * What the gateway sends as a text message right before it closes a viewer socket it refused
 * (bad ticket, unknown session): `{"op":"error","code":"ticket_used","message":"…"}`.
 */
export type LiveRefusal = Readonly<{ op: 'error'; code: string; message: string }>;

/** WebSocket close codes of the live endpoint before the protocol starts (SPEC CloseCode values). */
export const LIVE_CLOSE = {
  /** Malformed preamble. */
  badRequest: 4102,
  /** Ticket missing, unknown, expired, used, or for another session. */
  unauthorized: 4110,
  /** No preamble in time. */
  handshakeTimeout: 4103,
  /** The session has no live runtime. */
  goingAway: 4001,
  internalError: 4111,
} as const;
