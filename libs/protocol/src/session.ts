/**
 * The version/capability handshake and the rules of an open session, as one small state machine
 * that the web client, the gateway (on both of its sides) and the host agent all use.
 *
 *   idle ──start()──▶ handshaking ──hello/selection ok──▶ open ──close / error──▶ closed
 *                          └──────────reject / timeout / error──────────────────────▲
 *
 * The viewer side (web client; the gateway towards a host agent) speaks first with `hello`; the
 * host side (host agent; the gateway towards viewers) answers `selection` or `reject`. Until the
 * handshake completes, no other message is accepted or sent, and frames are limited to
 * LIMITS.handshakeMaxFrameSize. Once open, every message is checked for direction and for its
 * capability having been negotiated. Any violation closes the session with a typed close code and
 * a readable reason, after telling the peer (`reject` during the handshake, `close` after).
 */
import { ProtocolError, type ProtocolErrorCode } from './errors';
import { decodeFrame, encode, codecOf } from './frame';
import {
  CAPABILITY_REQUIRES,
  Capability,
  CapabilityByValue,
  CloseCode,
  LIMITS,
  PROTOCOL_VERSIONS,
  Permissions,
  PermissionsMask,
  type CapabilityName,
  LosslessCodecs,
  LossyCodecs,
  type ControlCapabilities,
  type ControlHello,
  type ControlSelection,
  type Message,
  type PeerKind,
  type Role,
} from './generated/catalogue';
import { StreamDecoder } from './stream-decoder';

export type SessionSide = 'viewer' | 'host';

/**
 * What each WebTransport stream carries (SPEC §7), as `channel` or `channel.type` entries. On a
 * WebSocket or a socket (transport 'stream') the one stream carries everything.
 */
export const WEBTRANSPORT_STREAMS = {
  control: ['control', 'input', 'cursor', 'clipboard', 'feedback', 'tiles.cacheMiss'],
  tiles: ['tiles'],
  video: ['video'],
  media: ['audio', 'microphone'],
  camera: ['camera'],
  file: ['file'],
} as const;
export type StreamKind = keyof typeof WEBTRANSPORT_STREAMS;

/** The only messages a datagram may carry. */
export const DATAGRAM_MESSAGES: readonly string[] = ['video.fragment', 'audio.frame', 'microphone.frame'];

type Carrier = { readonly name: string; readonly allows: (channel: string, type: string) => boolean };

const streamCarrier = (kind: StreamKind): Carrier => {
  if (!Object.prototype.hasOwnProperty.call(WEBTRANSPORT_STREAMS, kind)) {
    throw new ProtocolError('invalid_value', `unknown stream kind '${String(kind)}'`);
  }
  const entries: readonly string[] = WEBTRANSPORT_STREAMS[kind];
  return {
    name: `the ${kind} stream`,
    allows: (channel, type) => entries.includes(channel) || entries.includes(`${channel}.${type}`),
  };
};
const ANY_STREAM: Carrier = { name: 'the stream', allows: () => true };
const DATAGRAM: Carrier = { name: 'a datagram', allows: (c, t) => DATAGRAM_MESSAGES.includes(`${c}.${t}`) };
export type SessionState = 'idle' | 'handshaking' | 'open' | 'closed';

/** What the handshake settled. */
export type Negotiated = {
  readonly version: number;
  readonly capabilities: ReadonlySet<CapabilityName>;
  /** Largest frame either side may send, header included. */
  readonly maxFrameSize: number;
  readonly role: Role;
  readonly permissions: number;
  readonly peer: PeerKind;
  readonly peerAgent: string;
};

export type Authorization =
  | { readonly role: Role; readonly permissions: number }
  | { readonly reject: CloseCode; readonly reason: string };

export type SessionHandlers = {
  /** Write these bytes (one frame) to the transport. */
  readonly send: (frame: Uint8Array, message: Message) => void;
  /** The handshake completed. */
  readonly open?: (negotiated: Negotiated) => void;
  /** A message for the application (only ever after `open`). */
  readonly message: (message: Message) => void;
  /** Close the transport with this code and reason (WebSocket close code / WebTransport error code). */
  readonly close: (code: number, reason: string, error?: ProtocolError) => void;
};

export type Scheduler = {
  readonly set: (fn: () => void, ms: number) => unknown;
  readonly clear: (handle: unknown) => void;
};

export type SessionOptions = {
  readonly side: SessionSide;
  readonly peer: PeerKind;
  /** Software name/version sent in hello/selection (≤ 64 bytes UTF-8). */
  readonly agent: string;
  /** Versions this peer speaks. Default: PROTOCOL_VERSIONS. */
  readonly versions?: readonly number[];
  /** Viewer side: capabilities it cannot work without. */
  readonly required?: readonly CapabilityName[];
  /** Viewer side: capabilities it can use. Host side: capabilities it can provide. */
  readonly optional?: readonly CapabilityName[];
  /** Largest frame this peer accepts, header included. Default 16 MiB. */
  readonly maxFrameSize?: number;
  /** Host side: decides the role of the viewer (default: owner with every permission). */
  readonly authorize?: (hello: ControlHello) => Authorization;
  /** Handshake deadline in ms (default LIMITS.handshakeTimeoutMs; 0 = none). */
  readonly handshakeTimeoutMs?: number;
  readonly scheduler?: Scheduler;
  /** Microsecond clock for pong timestamps. Default: Date.now() * 1000. */
  readonly clockUs?: () => number;
  /** Answer pings with pongs automatically (the ping is still delivered). Default true. */
  readonly autoPong?: boolean;
  /**
   * 'stream' (default): WebSocket or socket, one stream carries every channel. 'webtransport': the
   * primary stream is the control stream and other channels need `openStream(kind)` or datagrams.
   */
  readonly transport?: 'stream' | 'webtransport';
};

const CLOSE_FOR: Record<ProtocolErrorCode, CloseCode> = {
  unknown_channel: 'malformedFrame',
  unknown_type: 'malformedFrame',
  truncated: 'malformedFrame',
  trailing_bytes: 'malformedFrame',
  length_exceeded: 'malformedFrame',
  invalid_bool: 'malformedFrame',
  invalid_enum: 'malformedFrame',
  invalid_flags: 'malformedFrame',
  invalid_utf8: 'malformedFrame',
  invalid_value: 'malformedFrame',
  frame_too_large: 'frameTooLarge',
  buffer_too_small: 'internalError',
  unexpected_message: 'unexpectedMessage',
  not_negotiated: 'unexpectedMessage',
  unsupported_version: 'unsupportedVersion',
  capability_missing: 'capabilityMissing',
  selection_mismatch: 'selectionMismatch',
  handshake_timeout: 'handshakeTimeout',
  rejected: 'internalError',
  closed: 'internalError',
};

/** The close code a peer uses when it closes because of `error`. */
export const closeCodeFor = (error: ProtocolError): CloseCode => CLOSE_FOR[error.code];

const defaultScheduler: Scheduler = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

const capIds = (names: readonly CapabilityName[]): number[] =>
  [...new Set(names.map((n) => Capability[n]))].sort((a, b) => a - b);

const capName = (id: number): string => CapabilityByValue[id] ?? `#${id}`;

/** Removes capabilities whose prerequisites are absent, until nothing changes. */
const closeOverRequires = (caps: Set<CapabilityName>): Set<CapabilityName> => {
  let changed = true;
  while (changed) {
    changed = false;
    for (const c of caps) {
      if ((CAPABILITY_REQUIRES[c] ?? []).some((r) => !caps.has(r))) {
        caps.delete(c);
        changed = true;
      }
    }
  }
  return caps;
};

/** Whether the viewer side's permissions allow it to send `message` (for the gateway's role checks). */
export const isPermitted = (message: Message, permissions: number): boolean => {
  const perm = codecOf(message).permission;
  return perm === null || (permissions & Permissions[perm]) !== 0;
};

const truncateUtf8 = (s: string, maxBytes: number): string => {
  const bytes = new TextEncoder().encode(s);
  if (bytes.length <= maxBytes) return s;
  return new TextDecoder().decode(bytes.subarray(0, maxBytes)).replace(/\uFFFD+$/, '');
};

const beyond = (where: string, field: string, value: unknown, why: string): never => {
  const dot = where.indexOf('.');
  throw new ProtocolError('not_negotiated', `${where}: ${why}`, {
    channel: where.slice(0, dot),
    type: where.slice(dot + 1),
    field,
    value,
  });
};

/** Holds a message to the limits its receiver declared in control.capabilities. */
const checkLimits = (m: Message, where: string, limits: ControlCapabilities): void => {
  if (m.channel === 'tiles' && m.type === 'lossless') {
    if ((limits.losslessCodecs & LosslessCodecs[m.codec]) === 0) {
      beyond(where, 'codec', m.codec, `the receiver does not decode ${m.codec}`);
    }
    if (m.cacheId !== 0 && limits.cacheEntries === 0)
      beyond(where, 'cacheId', m.cacheId, 'the receiver keeps no cache');
  } else if (m.channel === 'tiles' && m.type === 'lossy') {
    if ((limits.lossyCodecs & LossyCodecs[m.codec]) === 0) {
      beyond(where, 'codec', m.codec, `the receiver does not decode ${m.codec}`);
    }
    if (m.cacheId !== 0 && limits.cacheEntries === 0)
      beyond(where, 'cacheId', m.cacheId, 'the receiver keeps no cache');
  } else if (m.channel === 'clipboard' && m.type === 'image') {
    if (m.data.length > limits.maxClipboardBytes) {
      beyond(
        where,
        'data',
        m.data.length,
        `above the receiver's ${limits.maxClipboardBytes} clipboard bytes`,
      );
    }
  } else if (m.channel === 'clipboard' && m.type === 'text') {
    const n = new TextEncoder().encode(m.text).length;
    if (n > limits.maxClipboardBytes) {
      beyond(where, 'text', n, `above the receiver's ${limits.maxClipboardBytes} clipboard bytes`);
    }
  } else if (m.channel === 'file' && m.type === 'offer' && m.size > limits.maxFileBytes) {
    beyond(where, 'size', m.size, `above the receiver's ${limits.maxFileBytes} file bytes`);
  }
};

export class ProtocolSession {
  readonly side: SessionSide;
  #state: SessionState = 'idle';
  #negotiated: Negotiated | null = null;
  readonly #options: SessionOptions;
  readonly #handlers: SessionHandlers;
  readonly #versions: readonly number[];
  readonly #maxFrameSize: number;
  readonly #decoder: StreamDecoder;
  readonly #readers = new Set<StreamDecoder>();
  readonly #scheduler: Scheduler;
  #timer: unknown = undefined;
  #closeCode: number | null = null;
  #localLimits: ControlCapabilities | null = null;
  #peerLimits: ControlCapabilities | null = null;

  constructor(options: SessionOptions, handlers: SessionHandlers) {
    this.side = options.side;
    this.#options = options;
    this.#handlers = handlers;
    this.#versions = [...new Set(options.versions ?? PROTOCOL_VERSIONS)].sort((a, b) => a - b);
    this.#maxFrameSize = options.maxFrameSize ?? LIMITS.defaultMaxFrameSize;
    if (this.#maxFrameSize < LIMITS.minMaxFrameSize || this.#maxFrameSize > LIMITS.maxMaxFrameSize) {
      throw new ProtocolError(
        'invalid_value',
        `maxFrameSize must be in [${LIMITS.minMaxFrameSize}, ${LIMITS.maxMaxFrameSize}]`,
      );
    }
    this.#decoder = new StreamDecoder({ maxFrameSize: LIMITS.handshakeMaxFrameSize });
    this.#readers.add(this.#decoder);
    this.#scheduler = options.scheduler ?? defaultScheduler;
  }

  get state(): SessionState {
    return this.#state;
  }

  /** The handshake's outcome, or null before `open`. */
  get negotiated(): Negotiated | null {
    return this.#negotiated;
  }

  /** The code the session closed with, or null. */
  /** The `control.capabilities` this side sent, or null. */
  get localCapabilities(): ControlCapabilities | null {
    return this.#localLimits;
  }

  /** The `control.capabilities` the peer sent, or null. Outgoing messages are held to them. */
  get peerCapabilities(): ControlCapabilities | null {
    return this.#peerLimits;
  }

  get closeCode(): number | null {
    return this.#closeCode;
  }

  /** Whether `capability` was negotiated. */
  has(capability: CapabilityName): boolean {
    return this.#negotiated?.capabilities.has(capability) ?? false;
  }

  /** Starts the handshake: the viewer side sends hello; both sides arm the handshake timeout. */
  start(): void {
    if (this.#state !== 'idle')
      throw new ProtocolError('unexpected_message', `start() in state ${this.#state}`);
    this.#state = 'handshaking';
    const timeout = this.#options.handshakeTimeoutMs ?? LIMITS.handshakeTimeoutMs;
    if (timeout > 0) {
      this.#timer = this.#scheduler.set(() => {
        this.#timer = undefined;
        if (this.#state === 'handshaking') {
          this.#fail(new ProtocolError('handshake_timeout', `no handshake within ${timeout} ms`));
        }
      }, timeout);
    }
    if (this.side === 'viewer') {
      this.#emit({
        channel: 'control',
        type: 'hello',
        versions: this.#versions,
        required: capIds(this.#options.required ?? []),
        optional: capIds(
          (this.#options.optional ?? []).filter((c) => !(this.#options.required ?? []).includes(c)),
        ),
        maxFrameSize: this.#maxFrameSize,
        peer: this.#options.peer,
        agent: this.#options.agent,
      });
    }
  }

  /** Feeds bytes of the primary (ordered) stream. Protocol errors close the session; they are not thrown. */
  receiveBytes(chunk: Uint8Array): void {
    this.#feed(
      this.#decoder,
      chunk,
      this.#options.transport === 'webtransport' ? streamCarrier('control') : ANY_STREAM,
    );
  }

  /**
   * A decoder for a further WebTransport stream of the given kind: its bytes feed this session under
   * the same rules, and a frame of a channel the kind does not carry closes the session.
   */
  openStream(kind: StreamKind): { push(chunk: Uint8Array): void; end(): void } {
    const decoder = new StreamDecoder({
      maxFrameSize: this.#negotiated?.maxFrameSize ?? LIMITS.handshakeMaxFrameSize,
    });
    this.#readers.add(decoder);
    const carrier = streamCarrier(kind);
    return {
      push: (chunk) => this.#feed(decoder, chunk, carrier),
      end: () => {
        this.#readers.delete(decoder);
        this.#guard(() => decoder.end());
      },
    };
  }

  /** Feeds one datagram (exactly one frame). */
  receiveDatagram(bytes: Uint8Array): void {
    this.#guard(() => {
      const message = decodeFrame(bytes, {
        maxFrameSize: Math.min(
          this.#negotiated?.maxFrameSize ?? LIMITS.handshakeMaxFrameSize,
          LIMITS.maxDatagramSize,
        ),
      });
      this.#carried(DATAGRAM, message.channel, message.type);
      this.#receive(message);
    });
  }

  /** Feeds one already decoded message. */
  receive(message: Message): void {
    this.#guard(() => this.#receive(message));
  }

  /**
   * Throws a ProtocolError when this side may not send `message` now: before the handshake completes
   * (`unexpected_message`), in the wrong direction (`unexpected_message`), on a capability that was not
   * negotiated (`not_negotiated`), after close (`closed`).
   */
  assertSendable(message: Message): void {
    const codec = codecOf(message);
    if (this.#state === 'closed') throw new ProtocolError('closed', 'the session is closed');
    const own = this.side === 'viewer' ? 'up' : 'down';
    if (codec.direction !== 'both' && codec.direction !== own) {
      throw new ProtocolError(
        'unexpected_message',
        `the ${this.side} side does not send ${codec.channel}.${codec.type}`,
      );
    }
    if (this.#state !== 'open') {
      throw new ProtocolError(
        'unexpected_message',
        `${codec.channel}.${codec.type} before the handshake completed`,
      );
    }
    if (codec.handshake) {
      throw new ProtocolError(
        'unexpected_message',
        `${codec.channel}.${codec.type} is sent by the session itself`,
      );
    }
    const where = `${codec.channel}.${codec.type}`;
    this.#checkCapability(message, where, this.#peerLimits);
    if (message.channel === 'control' && message.type === 'capabilities' && this.#localLimits !== null) {
      throw new ProtocolError('unexpected_message', `${where} is sent once per session`);
    }
  }

  /** Checks, encodes and sends one message. Returns the frame's size. */
  send(message: Message): number {
    this.assertSendable(message);
    const frame = encode(message);
    if (frame.length > this.#negotiated!.maxFrameSize) {
      throw new ProtocolError(
        'frame_too_large',
        `${message.channel}.${message.type}: ${frame.length} bytes exceeds the negotiated ${this.#negotiated!.maxFrameSize}`,
      );
    }
    this.#sent(message);
    this.#handlers.send(frame, message);
    return frame.length;
  }

  #sent(message: Message): void {
    if (message.channel === 'control' && message.type === 'capabilities') this.#localLimits = message;
  }

  /**
   * Forwards an already encoded frame (a relay's fan-out: encode once, send to many) after the same
   * checks as `send`. The frame is decoded strictly (zero-copy), so a relay never passes on a frame
   * its viewer would reject. Returns the decoded message.
   */
  sendFrame(frame: Uint8Array): Message {
    const message = decodeFrame(frame, {
      maxFrameSize: this.#negotiated?.maxFrameSize ?? LIMITS.handshakeMaxFrameSize,
    });
    this.assertSendable(message);
    this.#sent(message);
    this.#handlers.send(frame, message);
    return message;
  }

  /** Ends the session: tells the peer (close, or reject during the handshake) and closes the transport. */
  close(code: CloseCode = 'normal', reason = ''): void {
    if (this.#state === 'closed') return;
    const r = truncateUtf8(reason, 255);
    if (this.#state === 'open') this.#emit({ channel: 'control', type: 'close', code, reason: r });
    else if (this.#state === 'handshaking')
      this.#emit({ channel: 'control', type: 'reject', code, reason: r });
    this.#finish(CloseCode[code], r);
  }

  /** The transport went away without a close frame. */
  transportClosed(): void {
    if (this.#state === 'closed') return;
    this.#finish(CloseCode.goingAway, 'transport closed', new ProtocolError('closed', 'transport closed'));
  }

  // ---- internals --------------------------------------------------------------------------------

  #feed(decoder: StreamDecoder, chunk: Uint8Array, carrier: Carrier): void {
    if (this.#state === 'closed') return;
    this.#guard(() =>
      decoder.push(chunk, (m) => {
        if (this.#state === 'closed') return;
        this.#carried(carrier, m.channel, m.type);
        this.#receive(m);
      }),
    );
  }

  #carried(carrier: Carrier, channel: string, type: string): void {
    if (!carrier.allows(channel, type)) {
      throw new ProtocolError('unexpected_message', `${channel}.${type} is not carried on ${carrier.name}`, {
        channel,
        type,
      });
    }
  }

  /**
   * The capability rules of a message: its own (or its channel's), tilesCache for cache ids, and the
   * limits the receiving side declared in `control.capabilities` (`limits`), if it sent them.
   */
  #checkCapability(message: Message, where: string, limits: ControlCapabilities | null): void {
    const capability = codecOf(message).capability;
    if (capability !== null && !this.has(capability)) {
      throw new ProtocolError('not_negotiated', `${where} needs capability ${capability}, not negotiated`, {
        channel: message.channel,
        type: message.type,
      });
    }
    if (
      message.channel === 'tiles' &&
      (message.type === 'lossless' || message.type === 'lossy') &&
      message.cacheId !== 0 &&
      !this.has('tilesCache')
    ) {
      throw new ProtocolError('not_negotiated', `${where} with a cacheId needs capability tilesCache`, {
        channel: message.channel,
        type: message.type,
        field: 'cacheId',
      });
    }
    if (limits !== null) checkLimits(message, where, limits);
  }

  #guard(fn: () => void): void {
    if (this.#state === 'closed') return;
    try {
      fn();
    } catch (e) {
      if (e instanceof ProtocolError) this.#fail(e);
      else throw e;
    }
  }

  #emit(message: Message): void {
    this.#handlers.send(encode(message), message);
  }

  #fail(error: ProtocolError): void {
    if (this.#state === 'closed') return;
    const code = closeCodeFor(error);
    const reason = truncateUtf8(error.message, 255);
    if (this.#state === 'open') this.#emit({ channel: 'control', type: 'close', code, reason });
    else if (this.#state === 'handshaking') this.#emit({ channel: 'control', type: 'reject', code, reason });
    this.#finish(CloseCode[code], reason, error);
  }

  #finish(code: number, reason: string, error?: ProtocolError): void {
    // A WebSocket close reason holds at most 123 bytes; the close/reject frame carried the full one.
    reason = truncateUtf8(reason, 123);
    this.#state = 'closed';
    this.#closeCode = code;
    if (this.#timer !== undefined) {
      this.#scheduler.clear(this.#timer);
      this.#timer = undefined;
    }
    this.#handlers.close(code, reason, error);
  }

  #open(negotiated: Negotiated): void {
    this.#negotiated = negotiated;
    this.#state = 'open';
    if (this.#timer !== undefined) {
      this.#scheduler.clear(this.#timer);
      this.#timer = undefined;
    }
    for (const d of this.#readers) d.maxFrameSize = negotiated.maxFrameSize;
    this.#handlers.open?.(negotiated);
  }

  #receive(message: Message): void {
    const codec = codecOf(message);
    const where = `${codec.channel}.${codec.type}`;
    const expected = this.side === 'viewer' ? 'down' : 'up';
    if (this.#state === 'idle') {
      throw new ProtocolError('unexpected_message', `${where} before start()`);
    }
    if (this.#state === 'handshaking') {
      if (message.channel === 'control' && message.type === 'reject') {
        this.#finish(
          CloseCode[message.code],
          message.reason,
          new ProtocolError('rejected', `peer rejected the handshake (${message.code}): ${message.reason}`),
        );
        return;
      }
      if (this.side === 'host' && message.channel === 'control' && message.type === 'hello') {
        this.#onHello(message);
        return;
      }
      if (this.side === 'viewer' && message.channel === 'control' && message.type === 'selection') {
        this.#onSelection(message);
        return;
      }
      throw new ProtocolError('unexpected_message', `${where} before the handshake completed`, {
        channel: codec.channel,
        type: codec.type,
      });
    }
    // open
    if (codec.handshake) {
      throw new ProtocolError('unexpected_message', `${where} after the handshake`, {
        channel: codec.channel,
        type: codec.type,
      });
    }
    if (codec.direction !== 'both' && codec.direction !== expected) {
      throw new ProtocolError('unexpected_message', `the ${this.side} side does not accept ${where}`, {
        channel: codec.channel,
        type: codec.type,
      });
    }
    this.#checkCapability(message, where, this.#localLimits);
    if (message.channel === 'control') {
      if (message.type === 'capabilities') {
        if (this.#peerLimits !== null) {
          throw new ProtocolError('unexpected_message', `${where} is sent once per session`);
        }
        this.#peerLimits = message;
      }
      if (message.type === 'close') {
        this.#finish(CloseCode[message.code], message.reason);
        return;
      }
      if (message.type === 'ping' && this.#options.autoPong !== false) {
        this.send({
          channel: 'control',
          type: 'pong',
          seq: message.seq,
          echoTimestampUs: message.timestampUs,
          timestampUs: Math.floor(this.#options.clockUs?.() ?? Date.now() * 1000),
        });
      }
    }
    this.#handlers.message(message);
  }

  #onHello(hello: ControlHello): void {
    const common = hello.versions.filter((v) => this.#versions.includes(v));
    if (common.length === 0) {
      throw new ProtocolError(
        'unsupported_version',
        `no common protocol version: peer offers [${hello.versions.join(', ')}], this ${this.side} speaks [${this.#versions.join(', ')}]`,
      );
    }
    const version = Math.max(...common);
    const supported = new Set(capIds(this.#options.optional ?? []));
    const missing = hello.required.filter((id) => !supported.has(id));
    if (missing.length > 0) {
      throw new ProtocolError(
        'capability_missing',
        `peer requires capabilities this host does not offer: ${missing.map(capName).join(', ')}`,
      );
    }
    const wanted = [...hello.required, ...hello.optional].filter((id) => supported.has(id));
    const selected = closeOverRequires(new Set(wanted.map((id) => CapabilityByValue[id]!)));
    const lost = hello.required.filter((id) => !selected.has(CapabilityByValue[id]!));
    if (lost.length > 0) {
      throw new ProtocolError(
        'capability_missing',
        `required capabilities lack their prerequisites: ${lost.map(capName).join(', ')}`,
      );
    }
    const auth = this.#options.authorize?.(hello) ?? { role: 'owner' as Role, permissions: PermissionsMask };
    if ('reject' in auth) {
      this.close(auth.reject, auth.reason);
      return;
    }
    const maxFrameSize = Math.min(hello.maxFrameSize, this.#maxFrameSize);
    const selection: ControlSelection = {
      channel: 'control',
      type: 'selection',
      version,
      capabilities: capIds([...selected]),
      maxFrameSize,
      role: auth.role,
      permissions: auth.permissions,
      peer: this.#options.peer,
      agent: this.#options.agent,
    };
    this.#emit(selection);
    this.#open({
      version,
      capabilities: selected,
      maxFrameSize,
      role: auth.role,
      permissions: auth.permissions,
      peer: hello.peer,
      peerAgent: hello.agent,
    });
  }

  #onSelection(sel: ControlSelection): void {
    const mismatch = (why: string): never => {
      throw new ProtocolError('selection_mismatch', `selection refused: ${why}`);
    };
    if (!this.#versions.includes(sel.version)) mismatch(`version ${sel.version} was not offered`);
    const required = capIds(this.#options.required ?? []);
    const offered = new Set([...required, ...capIds(this.#options.optional ?? [])]);
    const extra = sel.capabilities.filter((id) => !offered.has(id));
    if (extra.length > 0) mismatch(`capabilities not offered: ${extra.map(capName).join(', ')}`);
    const absent = required.filter((id) => !sel.capabilities.includes(id));
    if (absent.length > 0) mismatch(`required capabilities missing: ${absent.map(capName).join(', ')}`);
    const caps = new Set(sel.capabilities.map((id) => CapabilityByValue[id]!));
    const size = caps.size;
    if (closeOverRequires(caps).size !== size) mismatch('a capability lacks its prerequisite');
    if (sel.maxFrameSize > this.#maxFrameSize) {
      mismatch(`frame limit ${sel.maxFrameSize} above the offered ${this.#maxFrameSize}`);
    }
    this.#open({
      version: sel.version,
      capabilities: caps,
      maxFrameSize: sel.maxFrameSize,
      role: sel.role,
      permissions: sel.permissions,
      peer: sel.peer,
      peerAgent: sel.agent,
    });
  }
}
