import { createHash, randomUUID } from 'node:crypto';
import type { LiveTransport } from '@bpane/live-transport';
import {
  encode,
  FrameFlags,
  isPermitted,
  Permissions,
  ProtocolSession,
  VideoFlags,
  codecOf,
  type ControlCapabilities,
  type ControlDisplayConfig,
  type FeedbackReport,
  type Message,
  type Negotiated,
  type Role,
} from '@bpane/protocol';
import { HostLinkClient } from './host-link-client';
import type { ConnectionRole, LiveConnectionObserver, LiveSessionTarget } from './live-directory';

export type TicketRole = 'interactive' | 'viewer';

/** Every permission of an interactive participant. */
export const INTERACTIVE_PERMISSIONS =
  Permissions.input |
  Permissions.clipboardRead |
  Permissions.clipboardWrite |
  Permissions.upload |
  Permissions.download |
  Permissions.resize |
  Permissions.audio;
/** A read-only viewer watches and listens: no input, clipboard, files or resize. */
export const VIEWER_PERMISSIONS = Permissions.audio;

export type ViewerState = 'handshaking' | 'awaiting' | 'live' | 'stalled';

export type LiveConnectionInfo = Readonly<{
  connectionId: string;
  role: ConnectionRole;
  ticketRole: TicketRole | 'automation';
  principalId: string;
  state: ViewerState | 'attached';
  openedAt: string;
  bytesSent: number;
  resyncs: number;
  stalls: number;
}>;

export type HubOptions = Readonly<{
  target: LiveSessionTarget;
  observer: LiveConnectionObserver;
  /** A viewer with more unsent bytes than this is dropped to a resync of its own. */
  maxBufferedBytes: number;
  /** How long a viewer may stay stalled before it is closed with `slowConsumer`. */
  maxStallMs?: number;
  /** How long to wait for the host link before refusing a viewer. */
  linkWaitMs?: number;
  /** Called when the last connection left (the registry closes idle hubs). */
  onIdle?: () => void;
}>;

type Grant = Readonly<{ ticketRole: TicketRole; principalId: string; principalKind: 'user' | 'service' }>;

type Viewer = {
  readonly id: string;
  readonly grant: Grant;
  readonly transport: LiveTransport;
  session: ProtocolSession;
  role: Role;
  permissions: number;
  state: ViewerState;
  readonly openedAt: string;
  out: Uint8Array[];
  divergent: boolean;
  held: Set<number>;
  evictLater: number[];
  keyed: Set<number>;
  knownStreams: Set<number>;
  cursorShapes: Set<number>;
  openFrame: number | null;
  filtering: boolean;
  audioConfigured: boolean;
  stalledAt: number;
  lastRefusalAt: number;
  bytesSent: number;
  resyncs: number;
  stalls: number;
  feedback: { report: FeedbackReport; at: number } | null;
};

type MirrorEntry = Readonly<{
  m: Extract<Message, { channel: 'tiles'; type: 'lossless' | 'lossy' }>;
  key: string;
}>;

type Stored = Readonly<{ m: Message; frame: Uint8Array }>;

const sha1 = (data: Uint8Array): string => createHash('sha1').update(data).digest('base64');

const concat = (parts: readonly Uint8Array[]): Uint8Array => {
  if (parts.length === 1) return parts[0]!;
  return Buffer.concat(parts);
};

/** Counters of one hub (diagnostics, tests, benchmark). */
export type HubStats = {
  hostMessages: number;
  snapshotRequests: number;
  snapshotFrames: number;
  linkOpens: number;
  linkDrops: number;
  substitutions: number;
  refusals: number;
};

/**
 * One live session's hub (ADR 0014): one link to the host agent, any number of viewers. Every host
 * message is encoded once and the same bytes go to every viewer that can take it; only where a
 * viewer's protocol state differs is a frame rewritten for it:
 *
 * - **Content cache.** The hub mirrors the host's cache (id → payload). A viewer that does not hold
 *   an id (it joined or resynced later, or keeps fewer entries) gets the cached payload as a
 *   `lossless` instead of the `cacheRef`; ids it cannot hold are sent with cacheId 0.
 * - **Late join and resync.** The viewer waits for the next snapshot frame (the hub asks the host
 *   for one: `control.resyncRequest`, which also brings a keyframe on every stream) and gets it whole;
 *   viewers already live get the same frame without the snapshot flag and without the tiles the hub
 *   knows they already show (a per-cell record of what each grid cell holds), so they see nothing
 *   but real changes. Display, video stream configs, cursor and audio config are replayed to the
 *   joiner; its video starts at the next key unit.
 * - **Backpressure.** Each viewer has its own send queue (the transport's unsent bytes). Past
 *   `maxBufferedBytes` it is stalled: nothing more is queued for it; when it has drained to a
 *   quarter it is resynced like a joiner. Others never wait for it.
 * - **Roles.** collaborative: every interactive participant may send input; exclusive_owner: the
 *   first interactive participant is owner, later ones view until promoted (`control.roleChanged`);
 *   read-only viewers: no input, clipboard, files or resize — refused here with a notice.
 */
export class SessionHub {
  readonly sessionId: string;
  readonly stats: HubStats = {
    hostMessages: 0,
    snapshotRequests: 0,
    snapshotFrames: 0,
    linkOpens: 0,
    linkDrops: 0,
    substitutions: 0,
    refusals: 0,
  };
  readonly #opts: HubOptions;
  readonly #link: HostLinkClient;
  readonly #viewers = new Map<string, Viewer>();
  readonly #automation = new Map<string, { principalId: string; openedAt: string }>();
  #batch: Uint8Array[] = [];
  #flushScheduled = false;
  #closed = false;
  #linkWaiters: (() => void)[] = [];
  // what the screen holds, as the host has described it
  #display: Stored | null = null;
  #hostLimits: ControlCapabilities | null = null;
  #grid = { ts: 64, w: 0, h: 0, cols: 0, rows: 0 };
  #cells: (string | null)[] = [];
  readonly #mirror = new Map<number, MirrorEntry>();
  readonly #streams = new Map<number, Stored>();
  readonly #cursorShapes = new Map<number, Stored>();
  #cursorSelected: number | null = null;
  #cursorPosition: Stored | null = null;
  #cursorVisibility: Stored | null = null;
  #audioConfig: Stored | null = null;
  #snapshotPending = false;
  #snapshotTimer: NodeJS.Timeout | null = null;
  #stallTimer: NodeJS.Timeout | null = null;
  #feedbackTimer: NodeJS.Timeout;

  constructor(opts: HubOptions) {
    this.#opts = opts;
    this.sessionId = opts.target.sessionId;
    this.#link = new HostLinkClient(
      { url: opts.target.hostLinkUrl, secret: opts.target.hostLinkSecret },
      {
        open: (n) => this.#linkOpen(n),
        message: (m) => this.#fromHost(m),
        down: () => this.#linkDown(),
      },
    );
    this.#link.start();
    this.#feedbackTimer = setInterval(() => this.#aggregateFeedback(), 1000);
  }

  get linkOpen(): boolean {
    return this.#link.open;
  }

  get size(): number {
    return this.#viewers.size + this.#automation.size;
  }

  /** The connections of this session (people and automation). */
  connections(): LiveConnectionInfo[] {
    const people = [...this.#viewers.values()].map((v) => ({
      connectionId: v.id,
      role: v.role as ConnectionRole,
      ticketRole: v.grant.ticketRole,
      principalId: v.grant.principalId,
      state: v.state,
      openedAt: v.openedAt,
      bytesSent: v.bytesSent,
      resyncs: v.resyncs,
      stalls: v.stalls,
    }));
    const bots = [...this.#automation].map(([id, a]) => ({
      connectionId: id,
      role: 'automation' as const,
      ticketRole: 'automation' as const,
      principalId: a.principalId,
      state: 'attached' as const,
      openedAt: a.openedAt,
      bytesSent: 0,
      resyncs: 0,
      stalls: 0,
    }));
    return [...people, ...bots];
  }

  /** Drops the host link on purpose (tests: the hub must reconnect and keep its viewers). */
  dropHostLink(): void {
    this.#link.drop();
  }

  /** Adds a viewer whose ticket was accepted; the protocol handshake runs on `transport`. */
  async join(transport: LiveTransport, grant: Grant): Promise<string | null> {
    if (!this.#link.open) {
      const ok = await new Promise<boolean>((resolve) => {
        const t = setTimeout(() => resolve(false), this.#opts.linkWaitMs ?? 10_000);
        this.#linkWaiters.push(() => {
          clearTimeout(t);
          resolve(true);
        });
      });
      if (!ok || this.#closed || transport.closed) {
        transport.close(4001, 'the session runtime is not reachable; try again');
        return null;
      }
    }
    const negotiated = this.#link.negotiated!;
    const id = randomUUID();
    const v: Viewer = {
      id,
      grant,
      transport,
      session: null as unknown as ProtocolSession,
      role: 'viewer',
      permissions: 0,
      state: 'handshaking',
      openedAt: new Date().toISOString(),
      out: [],
      divergent: false,
      held: new Set(),
      evictLater: [],
      keyed: new Set(),
      knownStreams: new Set(),
      cursorShapes: new Set(),
      openFrame: null,
      filtering: false,
      audioConfigured: false,
      stalledAt: 0,
      lastRefusalAt: -Infinity,
      bytesSent: 0,
      resyncs: 0,
      stalls: 0,
      feedback: null,
    };
    v.session = new ProtocolSession(
      {
        side: 'host',
        peer: 'gateway',
        agent: 'bpane-gateway/0.1',
        optional: [...negotiated.capabilities],
        maxFrameSize: negotiated.maxFrameSize,
        authorize: () => {
          const r = this.#roleFor(v);
          v.role = r.role;
          v.permissions = r.permissions;
          return r;
        },
      },
      {
        send: (frame) => this.#push(v, frame, false),
        open: () => this.#viewerOpen(v),
        message: (m) => this.#fromViewer(v, m),
        close: (code, reason) => {
          this.#flushViewer(v);
          transport.close(code, reason);
        },
      },
    );
    this.#viewers.set(id, v);
    v.session.start();
    transport.onClose((info) => {
      v.session.transportClosed();
      this.#viewerGone(v, info.reason || `closed with ${info.code}`);
    });
    transport.onData((chunk) => v.session.receiveBytes(chunk));
    return id;
  }

  /** Closes one connection (the sessions API's disconnect). */
  disconnect(connectionId: string, reason: string): boolean {
    const v = this.#viewers.get(connectionId);
    if (v === undefined) return false;
    v.session.close('normal', reason);
    if (!v.transport.closed) v.transport.close(4000, reason);
    return true;
  }

  disconnectAll(reason: string): number {
    const ids = [...this.#viewers.keys()];
    for (const id of ids) this.disconnect(id, reason);
    return ids.length;
  }

  /** An automation client attached through the CDP proxy. */
  automationAttached(connectionId: string, principalId: string): void {
    const openedAt = new Date().toISOString();
    this.#automation.set(connectionId, { principalId, openedAt });
    void this.#opts.observer.opened({
      sessionId: this.sessionId,
      connectionId,
      role: 'automation',
      principalKind: 'service',
      principalId,
      openedAt,
    });
    this.#notice('automationAttached', 'automation attached to this session');
  }

  automationDetached(connectionId: string, reason: string): void {
    if (!this.#automation.delete(connectionId)) return;
    void this.#opts.observer.closed({
      sessionId: this.sessionId,
      connectionId,
      reason,
      closedAt: new Date().toISOString(),
    });
    this.#notice('automationDetached', 'automation detached from this session');
    this.#maybeIdle();
  }

  close(reason = 'the session ended'): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const v of [...this.#viewers.values()]) {
      v.session.close('goingAway', reason);
      if (!v.transport.closed) v.transport.close(4001, reason);
    }
    this.#link.stop();
    clearInterval(this.#feedbackTimer);
    if (this.#snapshotTimer) clearTimeout(this.#snapshotTimer);
    if (this.#stallTimer) clearInterval(this.#stallTimer);
  }

  // ── roles ────────────────────────────────────────────────────────────────────────────────────

  #roleFor(v: Viewer): { role: Role; permissions: number } {
    if (v.grant.ticketRole === 'viewer') return { role: 'viewer', permissions: VIEWER_PERMISSIONS };
    if (this.#opts.target.ownerMode === 'collaborative')
      return { role: 'collaborator', permissions: INTERACTIVE_PERMISSIONS };
    const owner = [...this.#viewers.values()].some((o) => o !== v && o.role === 'owner');
    return owner
      ? { role: 'viewer', permissions: VIEWER_PERMISSIONS }
      : { role: 'owner', permissions: INTERACTIVE_PERMISSIONS };
  }

  /** exclusive_owner: when the owner leaves, the longest-connected interactive participant takes over. */
  #promote(): void {
    if (this.#opts.target.ownerMode !== 'exclusive_owner') return;
    const all = [...this.#viewers.values()].filter((o) => o.state !== 'handshaking');
    if (all.some((o) => o.role === 'owner')) return;
    const next = all.find((o) => o.grant.ticketRole === 'interactive');
    if (next === undefined) return;
    next.role = 'owner';
    next.permissions = INTERACTIVE_PERMISSIONS;
    this.#sendTo(next, {
      channel: 'control',
      type: 'roleChanged',
      role: 'owner',
      permissions: INTERACTIVE_PERMISSIONS,
    });
    void this.#opts.observer.opened({
      sessionId: this.sessionId,
      connectionId: next.id,
      role: 'owner',
      principalKind: next.grant.principalKind,
      principalId: next.grant.principalId,
      openedAt: next.openedAt,
    });
    this.#notice('ownerChanged', 'control passed to another participant');
  }

  // ── viewers ──────────────────────────────────────────────────────────────────────────────────

  #viewerOpen(v: Viewer): void {
    // the selection goes out alone: the viewer's frame limit grows only once it has read it
    this.#flushViewer(v);
    void this.#opts.observer.opened({
      sessionId: this.sessionId,
      connectionId: v.id,
      role: v.role as ConnectionRole,
      principalKind: v.grant.principalKind,
      principalId: v.grant.principalId,
      openedAt: v.openedAt,
    });
    this.#sendTo(v, {
      channel: 'control',
      type: 'capabilities',
      losslessCodecs: 0,
      lossyCodecs: 0,
      cacheEntries: 0,
      cacheBytes: 0,
      maxClipboardBytes: this.#hostLimits?.maxClipboardBytes ?? 1024 * 1024,
      maxFileBytes: 0,
    });
    this.#resync(v, false);
    this.#notice('viewerJoined', 'a participant joined', v);
  }

  #viewerGone(v: Viewer, reason: string): void {
    if (!this.#viewers.delete(v.id)) return;
    if (v.state !== 'handshaking') {
      void this.#opts.observer.closed({
        sessionId: this.sessionId,
        connectionId: v.id,
        reason,
        closedAt: new Date().toISOString(),
      });
      this.#notice('viewerLeft', 'a participant left');
      if (v.role === 'owner') this.#promote();
    }
    this.#maybeIdle();
  }

  #maybeIdle(): void {
    if (this.size === 0 && !this.#closed) this.#opts.onIdle?.();
  }

  /** Puts `v` back to a clean start: replay of the session state, then the next snapshot frame. */
  #resync(v: Viewer, count = true): void {
    if (count) v.resyncs++;
    if (v.openFrame !== null && v.state !== 'handshaking') {
      this.#sendTo(v, { channel: 'tiles', type: 'frameEnd', seq: v.openFrame });
    }
    v.openFrame = null;
    v.filtering = false;
    v.state = 'awaiting';
    for (const id of v.evictLater.splice(0))
      this.#sendTo(v, { channel: 'tiles', type: 'cacheEvict', cacheId: id });
    if (this.#display) this.#pushStored(v, this.#display);
    for (const id of v.knownStreams)
      if (!this.#streams.has(id)) this.#sendTo(v, { channel: 'video', type: 'streamEnd', streamId: id });
    v.knownStreams = new Set();
    v.keyed = new Set();
    for (const [id, s] of this.#streams) if (this.#pushStored(v, s)) v.knownStreams.add(id);
    if (this.#cursorSelected !== null) this.#ensureCursor(v, this.#cursorSelected, true);
    if (this.#cursorVisibility) this.#pushStored(v, this.#cursorVisibility);
    if (this.#cursorPosition) this.#pushStored(v, this.#cursorPosition);
    v.audioConfigured = false;
    if (this.#audioConfig && (v.permissions & Permissions.audio) !== 0)
      v.audioConfigured = this.#pushStored(v, this.#audioConfig);
    this.#requestSnapshot();
  }

  #requestSnapshot(): void {
    if (this.#snapshotPending) return;
    if (!this.#link.send({ channel: 'control', type: 'resyncRequest', reason: 'reconnect' })) return;
    this.stats.snapshotRequests++;
    this.#snapshotPending = true;
    if (this.#snapshotTimer) clearTimeout(this.#snapshotTimer);
    this.#snapshotTimer = setTimeout(() => {
      this.#snapshotPending = false;
      if ([...this.#viewers.values()].some((o) => o.state === 'awaiting')) this.#requestSnapshot();
    }, 3000);
  }

  #refuse(v: Viewer, m: Message): void {
    this.stats.refusals++;
    const now = Date.now();
    if (now - v.lastRefusalAt < 1000) return;
    v.lastRefusalAt = now;
    const codec = codecOf(m);
    this.#sendTo(v, {
      channel: 'control',
      type: 'sessionNotice',
      kind: 'message',
      viewers: this.#viewers.size,
      message: `not_permitted: ${codec.channel}.${codec.type} needs the ${codec.permission ?? 'input'} permission, which the ${v.role} role does not have`,
    });
  }

  #fromViewer(v: Viewer, m: Message): void {
    if (!isPermitted(m, v.permissions)) return this.#refuse(v, m);
    switch (m.channel) {
      case 'input':
      case 'clipboard':
      case 'file':
      case 'microphone':
      case 'camera':
        this.#link.send(m);
        return;
      case 'tiles':
        if (m.type === 'cacheMiss') {
          v.held.delete(m.cacheId);
          this.#resync(v);
        }
        return;
      case 'feedback':
        if (m.type === 'report') v.feedback = { report: m, at: Date.now() };
        return;
      case 'control':
        if (m.type === 'resizeRequest' || m.type === 'keyframeRequest') this.#link.send(m);
        else if (m.type === 'resyncRequest') this.#resync(v);
        return;
      default:
        return;
    }
  }

  #aggregateFeedback(): void {
    const now = Date.now();
    const fresh = [...this.#viewers.values()]
      .filter((v) => v.state === 'live' && v.feedback !== null && now - v.feedback.at < 3000)
      .map((v) => v.feedback!.report);
    if (fresh.length === 0) return;
    const bandwidth = Math.min(...fresh.map((r) => r.bandwidthBps).filter((b) => b > 0));
    if (!Number.isFinite(bandwidth)) return;
    this.#link.send({
      channel: 'feedback',
      type: 'target',
      bitrateBps: Math.max(1, Math.floor(bandwidth * 0.8)),
      maxFps: 60,
      viewers: Math.min(fresh.length, 0xffff),
    });
  }

  #notice(
    kind: 'viewerJoined' | 'viewerLeft' | 'ownerChanged' | 'automationAttached' | 'automationDetached',
    message: string,
    except?: Viewer,
  ): void {
    const viewers = Math.min(this.#viewers.size, 0xffff);
    for (const o of this.#viewers.values()) {
      if (o === except || o.state === 'handshaking') continue;
      this.#sendTo(o, { channel: 'control', type: 'sessionNotice', kind, viewers, message });
    }
  }

  // ── host link ────────────────────────────────────────────────────────────────────────────────

  #linkOpen(_n: Negotiated): void {
    this.stats.linkOpens++;
    // the host agent starts every link with a snapshot (its cache ids start over)
    this.#snapshotPending = true;
    for (const w of this.#linkWaiters.splice(0)) w();
    for (const v of this.#viewers.values())
      if (v.state === 'live' || v.state === 'awaiting')
        this.#sendTo(v, {
          channel: 'control',
          type: 'sessionNotice',
          kind: 'message',
          viewers: this.#viewers.size,
          message: 'runtime link restored',
        });
  }

  #linkDown(): void {
    this.stats.linkDrops++;
    this.#snapshotPending = false;
    for (const v of this.#viewers.values()) {
      if (v.state !== 'live' && v.state !== 'awaiting') continue;
      if (v.openFrame !== null) this.#sendTo(v, { channel: 'tiles', type: 'frameEnd', seq: v.openFrame });
      v.openFrame = null;
      v.filtering = false;
      for (const id of v.knownStreams) this.#sendTo(v, { channel: 'video', type: 'streamEnd', streamId: id });
      v.knownStreams.clear();
      v.keyed.clear();
      this.#sendTo(v, {
        channel: 'control',
        type: 'sessionNotice',
        kind: 'message',
        viewers: this.#viewers.size,
        message: 'runtime link lost; reconnecting',
      });
    }
    this.#streams.clear();
    this.#audioConfig = null;
  }

  #fromHost(m: Message): void {
    this.stats.hostMessages++;
    const frame = encode(m);
    this.#batch.push(frame);
    this.#scheduleFlush();
    switch (m.channel) {
      case 'tiles':
        return this.#tiles(m, frame);
      case 'video':
        return this.#video(m, frame);
      case 'cursor':
        return this.#cursor(m, frame);
      case 'audio':
        if (m.type === 'config') {
          this.#audioConfig = { m, frame };
          for (const v of this.#active())
            if ((v.permissions & Permissions.audio) !== 0) v.audioConfigured = this.#push(v, frame, true, m);
        } else {
          for (const v of this.#active()) if (v.audioConfigured) this.#push(v, frame, true, m);
        }
        return;
      case 'clipboard':
        for (const v of this.#active())
          if ((v.permissions & Permissions.clipboardRead) !== 0) this.#push(v, frame, true, m);
        return;
      case 'control':
        if (m.type === 'displayConfig') this.#displayConfig(m, frame);
        else if (m.type === 'capabilities') this.#hostLimits = m;
        return;
      default:
        return;
    }
  }

  *#active(): Generator<Viewer> {
    for (const v of this.#viewers.values()) if (v.state === 'live' || v.state === 'awaiting') yield v;
  }

  #displayConfig(m: ControlDisplayConfig, frame: Uint8Array): void {
    const prev = this.#display?.m as ControlDisplayConfig | undefined;
    const same =
      prev !== undefined &&
      prev.width === m.width &&
      prev.height === m.height &&
      prev.scale === m.scale &&
      prev.tileSize === m.tileSize &&
      prev.flags === m.flags;
    this.#display = { m, frame };
    if (same) return;
    const cols = Math.ceil(m.width / m.tileSize);
    const rows = Math.ceil(m.height / m.tileSize);
    this.#grid = { ts: m.tileSize, w: m.width, h: m.height, cols, rows };
    this.#cells = new Array<string | null>(cols * rows).fill(null);
    for (const v of this.#active()) this.#push(v, frame, true, m);
  }

  /** Records what `m` paints in the cells it touches; true when every touched cell already held it. */
  #paint(m: Message): boolean {
    let x: number, y: number, w: number, h: number;
    let key: string | null = null;
    let whole = false; // the key holds for any cell the op covers entirely (solid fills)
    if (m.channel !== 'tiles') return false;
    switch (m.type) {
      case 'fill':
        ({ x, y, width: w, height: h } = m);
        key = `f${m.rgba}`;
        whole = true;
        break;
      case 'lossless':
        ({ x, y, width: w, height: h } = m);
        key = `l${m.codec}:${w}x${h}:${sha1(m.data)}`;
        break;
      case 'cacheRef': {
        const e = this.#mirror.get(m.cacheId);
        if (e === undefined) return false;
        ({ x, y } = m);
        w = e.m.width;
        h = e.m.height;
        key = e.key;
        break;
      }
      case 'copyRect':
        ({ dstX: x, dstY: y, width: w, height: h } = m);
        break;
      case 'lossy':
      case 'invalidate':
        ({ x, y, width: w, height: h } = m);
        break;
      default:
        return false;
    }
    const g = this.#grid;
    if (g.cols === 0) return false;
    let unchanged = key !== null;
    const c0 = Math.floor(x / g.ts);
    const r0 = Math.floor(y / g.ts);
    const c1 = Math.min(g.cols - 1, Math.floor((x + w - 1) / g.ts));
    const r1 = Math.min(g.rows - 1, Math.floor((y + h - 1) / g.ts));
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const cx = c * g.ts;
        const cy = r * g.ts;
        const cw = Math.min(g.ts, g.w - cx);
        const ch = Math.min(g.ts, g.h - cy);
        const covers = x <= cx && y <= cy && x + w >= cx + cw && y + h >= cy + ch;
        const exact = x === cx && y === cy && w === cw && h === ch;
        const next = key !== null && (exact || (whole && covers)) ? key : null;
        const i = r * g.cols + c;
        if (next === null || this.#cells[i] !== next) unchanged = false;
        this.#cells[i] = next;
      }
    }
    return unchanged;
  }

  #tiles(m: Extract<Message, { channel: 'tiles' }>, frame: Uint8Array): void {
    switch (m.type) {
      case 'frameBegin': {
        const snapshot = (m.flags & FrameFlags.snapshot) !== 0;
        let cleared: { m: Message; frame: Uint8Array } | null = null;
        if (snapshot) {
          this.stats.snapshotFrames++;
          this.#snapshotPending = false;
          if (this.#snapshotTimer) clearTimeout(this.#snapshotTimer);
          this.#snapshotTimer = null;
          // the host's cache starts over with a snapshot: every id before it is dead
          this.#mirror.clear();
          for (const v of this.#viewers.values()) {
            if (v.state === 'live' || v.state === 'awaiting')
              for (const id of v.held) this.#sendTo(v, { channel: 'tiles', type: 'cacheEvict', cacheId: id });
            else v.evictLater.push(...v.held);
            v.held.clear();
          }
          const cm: Message = { ...m, flags: m.flags & ~FrameFlags.snapshot };
          cleared = { m: cm, frame: encode(cm) };
        }
        for (const v of this.#viewers.values()) {
          if (v.state === 'awaiting') {
            if (!snapshot) continue;
            v.state = 'live';
            v.openFrame = m.seq;
            v.filtering = false;
            this.#push(v, frame, true, m);
          } else if (v.state === 'live') {
            v.openFrame = m.seq;
            v.filtering = snapshot;
            if (cleared) this.#push(v, cleared.frame, false, cleared.m);
            else this.#push(v, frame, true, m);
          }
        }
        return;
      }
      case 'frameEnd':
        for (const v of this.#viewers.values()) {
          if (v.state === 'live' && v.openFrame !== null) this.#push(v, frame, true, m);
          v.openFrame = null;
          v.filtering = false;
        }
        if ([...this.#viewers.values()].some((v) => v.state === 'awaiting')) this.#requestSnapshot();
        return;
      case 'cacheEvict':
        this.#mirror.delete(m.cacheId);
        for (const v of this.#viewers.values()) {
          if (!v.held.delete(m.cacheId)) continue;
          if (v.state === 'live' || v.state === 'awaiting') this.#push(v, frame, true, m);
          else v.evictLater.push(m.cacheId);
        }
        return;
      case 'cacheMiss':
        return;
      default: {
        const unchanged = this.#paint(m);
        if ((m.type === 'lossless' || m.type === 'lossy') && m.cacheId !== 0) {
          const key =
            m.type === 'lossless' ? `l${m.codec}:${m.width}x${m.height}:${sha1(m.data)}` : `y${m.cacheId}`;
          this.#mirror.set(m.cacheId, { m: { ...m, data: Uint8Array.prototype.slice.call(m.data) }, key });
        }
        for (const v of this.#viewers.values()) {
          if (v.state !== 'live' || v.openFrame === null) continue;
          if (v.filtering && unchanged) continue;
          this.#op(v, m, frame);
        }
      }
    }
  }

  /** Sends one tile operation to `v`, rewritten where its cache differs from the host's view. */
  #op(v: Viewer, m: Extract<Message, { channel: 'tiles' }>, frame: Uint8Array): void {
    if ((m.type === 'lossless' || m.type === 'lossy') && m.cacheId !== 0) {
      if (v.held.size < this.#cacheLimit(v)) {
        if (this.#push(v, frame, true, m)) v.held.add(m.cacheId);
      } else {
        const plain: Message = { ...m, cacheId: 0 };
        this.#push(v, encode(plain), false, plain);
      }
      return;
    }
    if (m.type === 'cacheRef') {
      if (v.held.has(m.cacheId)) {
        this.#push(v, frame, true, m);
        return;
      }
      const e = this.#mirror.get(m.cacheId);
      if (e === undefined) {
        this.#resync(v);
        return;
      }
      this.stats.substitutions++;
      const keep = v.held.size < this.#cacheLimit(v);
      const sub: Message = { ...e.m, x: m.x, y: m.y, cacheId: keep ? m.cacheId : 0 };
      if (this.#push(v, encode(sub), false, sub) && keep) v.held.add(m.cacheId);
      return;
    }
    this.#push(v, frame, true, m);
  }

  #cacheLimit(v: Viewer): number {
    if (!v.session.has('tilesCache')) return 0;
    return v.session.peerCapabilities?.cacheEntries ?? 0;
  }

  #video(m: Extract<Message, { channel: 'video' }>, frame: Uint8Array): void {
    if (m.type === 'streamConfig') {
      this.#streams.set(m.streamId, { m, frame });
      for (const v of this.#active()) {
        v.keyed.delete(m.streamId);
        if (this.#push(v, frame, true, m)) v.knownStreams.add(m.streamId);
      }
      return;
    }
    if (m.type === 'streamEnd') {
      this.#streams.delete(m.streamId);
      for (const v of this.#active()) {
        if (v.knownStreams.delete(m.streamId)) this.#push(v, frame, true, m);
        v.keyed.delete(m.streamId);
      }
      return;
    }
    if (m.type !== 'accessUnit') return;
    const key = (m.flags & VideoFlags.key) !== 0;
    for (const v of this.#active()) {
      if (!v.knownStreams.has(m.streamId)) continue;
      if (!v.keyed.has(m.streamId)) {
        if (!key) continue;
        v.keyed.add(m.streamId);
      }
      this.#push(v, frame, true, m);
    }
  }

  #ensureCursor(v: Viewer, id: number, select: boolean): void {
    const shape = this.#cursorShapes.get(id);
    if (!v.cursorShapes.has(id) && shape !== undefined) {
      if (this.#pushStored(v, shape)) v.cursorShapes.add(id);
      return;
    }
    if (select) this.#sendTo(v, { channel: 'cursor', type: 'select', cursorId: id });
  }

  #cursor(m: Extract<Message, { channel: 'cursor' }>, frame: Uint8Array): void {
    switch (m.type) {
      case 'shape':
        this.#cursorShapes.set(m.cursorId, { m, frame });
        if (this.#cursorShapes.size > 256) {
          const first = this.#cursorShapes.keys().next().value;
          if (first !== undefined && first !== m.cursorId) this.#cursorShapes.delete(first);
        }
        this.#cursorSelected = m.cursorId;
        for (const v of this.#active()) if (this.#push(v, frame, true, m)) v.cursorShapes.add(m.cursorId);
        return;
      case 'select':
        this.#cursorSelected = m.cursorId;
        for (const v of this.#active()) {
          if (v.cursorShapes.has(m.cursorId)) this.#push(v, frame, true, m);
          else this.#ensureCursor(v, m.cursorId, true);
        }
        return;
      case 'position':
        this.#cursorPosition = { m, frame };
        for (const v of this.#active()) this.#push(v, frame, true, m);
        return;
      case 'visibility':
        this.#cursorVisibility = { m, frame };
        for (const v of this.#active()) this.#push(v, frame, true, m);
        return;
    }
  }

  // ── sending ──────────────────────────────────────────────────────────────────────────────────

  #pushStored(v: Viewer, s: Stored): boolean {
    return this.#push(v, s.frame, false, s.m);
  }

  /** Sends a message the hub makes itself to one viewer (checked by the viewer's session). */
  #sendTo(v: Viewer, m: Message): void {
    if (v.session.state !== 'open') return;
    try {
      v.session.send(m);
    } catch {
      // not negotiated with this viewer
    }
  }

  /**
   * Queues a frame for `v`. With `m` the frame is first checked against what the viewer negotiated
   * (a message it cannot take is skipped: false). `shared` frames are the hub's batch, in order.
   */
  #push(v: Viewer, frame: Uint8Array, shared: boolean, m?: Message): boolean {
    if (v.transport.closed) return false;
    if (m !== undefined) {
      if (v.state === 'stalled' || v.state === 'handshaking') return false;
      try {
        v.session.assertSendable(m);
      } catch {
        if (shared) v.divergent = true;
        return false;
      }
    }
    if (!shared) v.divergent = true;
    v.out.push(frame);
    this.#scheduleFlush();
    return true;
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    const batch = this.#batch;
    this.#batch = [];
    let shared: Uint8Array | null = null;
    for (const v of this.#viewers.values()) {
      if (v.out.length === 0) continue;
      if (!v.divergent && v.out.length === batch.length) {
        shared ??= concat(batch);
        v.out = [];
        this.#write(v, shared);
      } else this.#flushViewer(v);
      v.divergent = false;
    }
  }

  #flushViewer(v: Viewer): void {
    if (v.out.length === 0) return;
    const bytes = concat(v.out);
    v.out = [];
    this.#write(v, bytes);
  }

  #write(v: Viewer, bytes: Uint8Array): void {
    if (v.transport.closed) return;
    v.transport.send(bytes);
    v.bytesSent += bytes.length;
    if (
      v.state !== 'stalled' &&
      v.state !== 'handshaking' &&
      v.transport.bufferedBytes > this.#opts.maxBufferedBytes
    )
      this.#stall(v);
  }

  #stall(v: Viewer): void {
    v.state = 'stalled';
    v.stalls++;
    v.stalledAt = Date.now();
    this.#stallTimer ??= setInterval(() => this.#checkStalled(), 50);
  }

  #checkStalled(): void {
    let any = false;
    const now = Date.now();
    for (const v of this.#viewers.values()) {
      if (v.state !== 'stalled') continue;
      if (v.transport.bufferedBytes <= this.#opts.maxBufferedBytes / 4) {
        this.#resync(v);
      } else if (now - v.stalledAt > (this.#opts.maxStallMs ?? 60_000)) {
        v.session.close('slowConsumer', 'the connection could not keep up; reconnect to resume');
        if (!v.transport.closed) v.transport.close(4108, 'slow consumer');
      } else any = true;
    }
    if (!any && this.#stallTimer) {
      clearInterval(this.#stallTimer);
      this.#stallTimer = null;
    }
  }
}
