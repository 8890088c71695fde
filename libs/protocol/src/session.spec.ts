import { describe, expect, it } from 'vitest';
import {
  CloseCode,
  LIMITS,
  ProtocolSession,
  StreamDecoder,
  encode,
  isPermitted,
  LosslessCodecs,
  Permissions,
  type Message,
  type Negotiated,
  type ProtocolError,
  type Scheduler,
  type SessionOptions,
} from './index';

type Peer = {
  session: ProtocolSession;
  sent: Message[];
  wire: Uint8Array[];
  delivered: Message[];
  opened: Negotiated[];
  closed: { code: number; reason: string; error?: ProtocolError }[];
};

const peer = (options: SessionOptions): Peer => {
  const p: Peer = { sent: [], wire: [], delivered: [], opened: [], closed: [] } as unknown as Peer;
  p.session = new ProtocolSession(options, {
    send: (frame, message) => {
      p.wire.push(frame);
      p.sent.push(message);
    },
    open: (n) => p.opened.push(n),
    message: (m) => p.delivered.push(m),
    close: (code, reason, error) => p.closed.push({ code, reason, ...(error ? { error } : {}) }),
  });
  return p;
};

const manualTimers = (): Scheduler & { fire(): void } => {
  let pending: (() => void) | null = null;
  return {
    set: (fn) => {
      pending = fn;
      return 1;
    },
    clear: () => {
      pending = null;
    },
    fire: () => pending?.(),
  };
};

const viewer = (extra: Partial<SessionOptions> = {}): Peer =>
  peer({
    side: 'viewer',
    peer: 'webClient',
    agent: 'test-web',
    required: ['tilesLossless'],
    optional: ['tilesCache', 'videoH264', 'cursorImage', 'feedback'],
    handshakeTimeoutMs: 0,
    ...extra,
  });

const host = (extra: Partial<SessionOptions> = {}): Peer =>
  peer({
    side: 'host',
    peer: 'gateway',
    agent: 'test-gateway',
    optional: ['tilesLossless', 'tilesCache', 'tilesCopyRect', 'videoH264', 'feedback'],
    handshakeTimeoutMs: 0,
    ...extra,
  });

/** Moves every frame written so far from `from` to `to` over the wire (byte stream). */
const pump = (from: Peer, to: Peer): void => {
  const frames = from.wire.splice(0);
  for (const f of frames) to.session.receiveBytes(f);
};

const connect = (v: Peer, h: Peer): void => {
  v.session.start();
  h.session.start();
  pump(v, h);
  pump(h, v);
};

describe('ProtocolSession handshake', () => {
  it('negotiates the highest common version and the common capabilities', () => {
    const v = viewer({ versions: [1, 2] });
    const h = host();
    connect(v, h);
    expect(v.session.state).toBe('open');
    expect(h.session.state).toBe('open');
    const n = v.opened[0]!;
    expect(n.version).toBe(1);
    expect([...n.capabilities].sort()).toEqual(['feedback', 'tilesCache', 'tilesLossless', 'videoH264']);
    expect(n.maxFrameSize).toBe(LIMITS.defaultMaxFrameSize);
    expect(n.role).toBe('owner');
    expect(n.peerAgent).toBe('test-gateway');
    expect(h.opened[0]!.peer).toBe('webClient');
    expect(h.opened[0]!.capabilities).toEqual(n.capabilities);
  });

  it('takes the smaller frame limit and the role the host decides', () => {
    const v = viewer({ maxFrameSize: 1 << 20 });
    const h = host({ authorize: () => ({ role: 'viewer', permissions: Permissions.audio }) });
    connect(v, h);
    expect(v.opened[0]!.maxFrameSize).toBe(1 << 20);
    expect(v.opened[0]!.role).toBe('viewer');
    expect(v.opened[0]!.permissions).toBe(Permissions.audio);
  });

  it('rejects a hello without a common version, with a readable reason', () => {
    const v = viewer({ versions: [2, 3] });
    const h = host();
    connect(v, h);
    expect(h.closed[0]!.code).toBe(CloseCode.unsupportedVersion);
    expect(h.closed[0]!.reason).toMatch(/no common protocol version: peer offers \[2, 3\]/);
    expect(h.sent.at(-1)).toMatchObject({ type: 'reject', code: 'unsupportedVersion' });
    expect(v.closed[0]!.code).toBe(CloseCode.unsupportedVersion);
    expect(v.closed[0]!.error?.code).toBe('rejected');
    expect(v.session.state).toBe('closed');
  });

  it('rejects a hello whose required capability the host lacks', () => {
    const v = viewer({ required: ['tilesLossless', 'audioOpus'] });
    const h = host();
    connect(v, h);
    expect(v.closed[0]!.code).toBe(CloseCode.capabilityMissing);
    expect(v.closed[0]!.reason).toContain('audioOpus');
  });

  it('drops capabilities whose prerequisite is not selected', () => {
    const v = viewer({ optional: ['videoDatagrams'] });
    const h = host({ optional: ['tilesLossless', 'videoDatagrams'] });
    connect(v, h);
    expect([...v.opened[0]!.capabilities]).toEqual(['tilesLossless']);
  });

  it('lets the host refuse a viewer in authorize()', () => {
    const v = viewer();
    const h = host({ authorize: () => ({ reject: 'unauthorized', reason: 'ticket expired' }) });
    connect(v, h);
    expect(v.closed[0]).toMatchObject({ code: CloseCode.unauthorized, reason: 'ticket expired' });
  });

  it('refuses a selection that was not offered (the viewer enforces too)', () => {
    const v = viewer();
    v.session.start();
    v.session.receive({
      channel: 'control',
      type: 'selection',
      version: 1,
      capabilities: [1, 7],
      maxFrameSize: 1 << 20,
      role: 'owner',
      permissions: 0,
      peer: 'gateway',
      agent: 'rogue',
    });
    expect(v.closed[0]!.code).toBe(CloseCode.selectionMismatch);
    expect(v.closed[0]!.reason).toContain('audioOpus');
    expect(v.sent.at(-1)).toMatchObject({ type: 'reject', code: 'selectionMismatch' });
  });

  it('refuses a selection missing a required capability or with an unoffered version', () => {
    const a = viewer();
    a.session.start();
    a.session.receive({
      channel: 'control',
      type: 'selection',
      version: 1,
      capabilities: [],
      maxFrameSize: 1 << 20,
      role: 'owner',
      permissions: 0,
      peer: 'gateway',
      agent: '',
    });
    expect(a.closed[0]!.code).toBe(CloseCode.selectionMismatch);
    const b = viewer();
    b.session.start();
    b.session.receive({
      channel: 'control',
      type: 'selection',
      version: 9,
      capabilities: [1],
      maxFrameSize: 1 << 20,
      role: 'owner',
      permissions: 0,
      peer: 'gateway',
      agent: '',
    });
    expect(b.closed[0]!.reason).toContain('version 9');
  });

  it('accepts nothing but the handshake before it completes', () => {
    const h = host();
    h.session.start();
    h.session.receiveBytes(
      encode({ channel: 'input', type: 'pointerMove', x: 1, y: 2, buttons: 0, modifiers: 0 }),
    );
    expect(h.closed[0]!.code).toBe(CloseCode.unexpectedMessage);
    expect(h.delivered).toEqual([]);
    expect(h.sent.at(-1)).toMatchObject({ type: 'reject', code: 'unexpectedMessage' });
  });

  it('sends nothing but the handshake before it completes', () => {
    const v = viewer();
    v.session.start();
    expect(() => v.session.send({ channel: 'control', type: 'resyncRequest', reason: 'user' })).toThrow(
      expect.objectContaining({ code: 'unexpected_message' }),
    );
  });

  it('limits frames during the handshake', () => {
    const h = host();
    h.session.start();
    const big = new Uint8Array(6 + 2000);
    big.set([6, 4, 0xd0, 0x07, 0, 0]);
    h.session.receiveBytes(big);
    expect(h.closed[0]!.code).toBe(CloseCode.frameTooLarge);
  });

  it('closes on a malformed frame with malformedFrame', () => {
    const h = host();
    h.session.start();
    h.session.receiveBytes(Uint8Array.of(1, 1, 2, 0, 0, 0, 0x42, 0x50));
    expect(h.closed[0]!.code).toBe(CloseCode.malformedFrame);
    expect(h.closed[0]!.error?.code).toBe('truncated');
  });

  it('times out', () => {
    const timers = manualTimers();
    const h = host({ handshakeTimeoutMs: 100, scheduler: timers });
    h.session.start();
    timers.fire();
    expect(h.closed[0]!.code).toBe(CloseCode.handshakeTimeout);
    expect(h.sent.at(-1)).toMatchObject({ type: 'reject', code: 'handshakeTimeout' });
  });

  it('does not time out once open', () => {
    const timers = manualTimers();
    const v = viewer({ handshakeTimeoutMs: 100, scheduler: timers });
    const h = host();
    connect(v, h);
    timers.fire();
    expect(v.session.state).toBe('open');
  });
});

describe('ProtocolSession when open', () => {
  const open = (): [Peer, Peer] => {
    const v = viewer();
    const h = host();
    connect(v, h);
    return [v, h];
  };

  it('delivers messages both ways', () => {
    const [v, h] = open();
    v.session.send({
      channel: 'input',
      type: 'key',
      code: 30,
      down: true,
      repeat: false,
      modifiers: 0,
      key: 'a',
      text: 'a',
    });
    pump(v, h);
    expect(h.delivered).toEqual([
      {
        channel: 'input',
        type: 'key',
        code: 30,
        down: true,
        repeat: false,
        modifiers: 0,
        key: 'a',
        text: 'a',
      },
    ]);
    h.session.send({ channel: 'tiles', type: 'frameBegin', seq: 1, timestampUs: 5, flags: 0 });
    pump(h, v);
    expect(v.delivered.map((m) => m.type)).toEqual(['frameBegin']);
  });

  it('answers pings with pongs', () => {
    const v = viewer({ clockUs: () => 99 });
    const h = host({ clockUs: () => 42 });
    connect(v, h);
    v.session.send({ channel: 'control', type: 'ping', seq: 3, timestampUs: 7 });
    pump(v, h);
    pump(h, v);
    expect(v.delivered).toEqual([
      { channel: 'control', type: 'pong', seq: 3, echoTimestampUs: 7, timestampUs: 42 },
    ]);
  });

  it('refuses a message in the wrong direction, both when sending and receiving', () => {
    const [v, h] = open();
    expect(() => v.session.send({ channel: 'tiles', type: 'frameEnd', seq: 1 })).toThrow(
      expect.objectContaining({ code: 'unexpected_message' }),
    );
    h.session.receiveBytes(encode({ channel: 'tiles', type: 'frameEnd', seq: 1 }));
    expect(h.closed[0]!.code).toBe(CloseCode.unexpectedMessage);
    expect(v.session.state).toBe('open');
    pump(h, v);
    expect(v.closed[0]!.code).toBe(CloseCode.unexpectedMessage);
  });

  it('refuses a message whose capability was not negotiated', () => {
    const [v, h] = open();
    expect(() =>
      h.session.send({ channel: 'audio', type: 'frame', seq: 1, timestampUs: 0, data: new Uint8Array(3) }),
    ).toThrow(expect.objectContaining({ code: 'not_negotiated' }));
    v.session.receiveBytes(
      encode({ channel: 'tiles', type: 'copyRect', srcX: 0, srcY: 0, width: 1, height: 1, dstX: 0, dstY: 0 }),
    );
    expect(v.closed[0]!.code).toBe(CloseCode.unexpectedMessage);
    expect(v.closed[0]!.reason).toContain('tilesCopyRect');
  });

  it('refuses a second hello', () => {
    const [, h] = open();
    h.session.receiveBytes(
      encode({
        channel: 'control',
        type: 'hello',
        versions: [1],
        required: [],
        optional: [],
        maxFrameSize: 65536,
        peer: 'webClient',
        agent: '',
      }),
    );
    expect(h.closed[0]!.code).toBe(CloseCode.unexpectedMessage);
  });

  it('closes in order: close frame, then transport close with the same code', () => {
    const [v, h] = open();
    v.session.close('normal', 'bye');
    expect(v.sent.at(-1)).toEqual({ channel: 'control', type: 'close', code: 'normal', reason: 'bye' });
    expect(v.closed[0]).toEqual({ code: 4000, reason: 'bye' });
    pump(v, h);
    expect(h.closed[0]).toEqual({ code: 4000, reason: 'bye' });
    expect(() => v.session.send({ channel: 'control', type: 'ping', seq: 1, timestampUs: 1 })).toThrow(
      expect.objectContaining({ code: 'closed' }),
    );
  });

  it('applies the negotiated frame limit to later frames', () => {
    const v = viewer({ maxFrameSize: 65536 });
    const h = host();
    connect(v, h);
    const data = new Uint8Array(70000);
    expect(() =>
      h.session.send({
        channel: 'tiles',
        type: 'lossless',
        x: 0,
        y: 0,
        width: 1,
        height: 1,
        codec: 'png',
        cacheId: 0,
        data,
      }),
    ).toThrow(expect.objectContaining({ code: 'frame_too_large' }));
    const frame = encode({
      channel: 'tiles',
      type: 'lossless',
      x: 0,
      y: 0,
      width: 1,
      height: 1,
      codec: 'png',
      cacheId: 0,
      data,
    });
    v.session.receiveBytes(frame.subarray(0, 10));
    expect(v.closed[0]!.code).toBe(CloseCode.frameTooLarge);
  });

  it('feeds further streams and datagrams through the same rules', () => {
    const [v, h] = open();
    const tiles = v.session.openStream('tiles');
    const frame = encode({
      channel: 'tiles',
      type: 'fill',
      x: 0,
      y: 0,
      width: 64,
      height: 64,
      rgba: 0xff0000ff,
    });
    tiles.push(frame.subarray(0, 5));
    tiles.push(frame.subarray(5));
    tiles.end();
    expect(v.delivered.map((m) => `${m.channel}.${m.type}`)).toEqual(['tiles.fill']);
    v.session.receiveDatagram(Uint8Array.of(...encode({ channel: 'tiles', type: 'frameEnd', seq: 1 }), 0));
    expect(v.closed[0]!.error?.code).toBe('trailing_bytes');
    void h;
  });

  it('keeps each WebTransport stream to its channels and datagrams to media', () => {
    const caps = ['tilesLossless', 'videoH264', 'videoDatagrams', 'audioOpus'] as const;
    const mk = () => {
      const v = viewer({ optional: [...caps], transport: 'webtransport' });
      const h = host({ optional: [...caps] });
      connect(v, h);
      return v;
    };
    const fragment = encode({
      channel: 'video',
      type: 'fragment',
      streamId: 0,
      seq: 1,
      index: 0,
      count: 2,
      flags: 0,
      timestampUs: 0,
      roiX: 0,
      roiY: 0,
      roiWidth: 8,
      roiHeight: 8,
      data: new Uint8Array(100),
    });
    const ok = mk();
    ok.session.receiveDatagram(fragment);
    ok.session.openStream('video').push(encode({ channel: 'video', type: 'streamEnd', streamId: 0 }));
    expect(ok.delivered.map((m) => `${m.channel}.${m.type}`)).toEqual(['video.fragment', 'video.streamEnd']);

    const onControl = mk();
    onControl.session.receiveBytes(encode({ channel: 'tiles', type: 'frameEnd', seq: 1 }));
    expect(onControl.closed[0]!.reason).toBe('tiles.frameEnd is not carried on the control stream');

    const wrongStream = mk();
    wrongStream.session
      .openStream('tiles')
      .push(encode({ channel: 'video', type: 'streamEnd', streamId: 0 }));
    expect(wrongStream.closed[0]!.code).toBe(CloseCode.unexpectedMessage);

    const tileDatagram = mk();
    tileDatagram.session.receiveDatagram(encode({ channel: 'tiles', type: 'frameEnd', seq: 1 }));
    expect(tileDatagram.closed[0]!.reason).toBe('tiles.frameEnd is not carried on a datagram');

    const bigDatagram = mk();
    bigDatagram.session.receiveDatagram(
      encode({ channel: 'audio', type: 'frame', seq: 1, timestampUs: 0, data: new Uint8Array(1300) }),
    );
    expect(bigDatagram.closed[0]!.code).toBe(CloseCode.frameTooLarge);

    expect(() => mk().session.openStream('nope' as 'tiles')).toThrow(
      expect.objectContaining({ code: 'invalid_value' }),
    );
  });

  it('refuses cache ids when tilesCache was not negotiated', () => {
    const v = viewer({ optional: [] });
    const h = host();
    connect(v, h);
    const tile = {
      channel: 'tiles',
      type: 'lossless',
      x: 0,
      y: 0,
      width: 1,
      height: 1,
      codec: 'png',
      data: new Uint8Array(1),
    } as const;
    expect(() => h.session.send({ ...tile, cacheId: 9 })).toThrow(
      expect.objectContaining({ code: 'not_negotiated' }),
    );
    h.session.send({ ...tile, cacheId: 0 });
    pump(h, v);
    expect(v.delivered).toHaveLength(1);
    v.session.receiveBytes(encode({ ...tile, cacheId: 9 }));
    expect(v.closed[0]!.error?.code).toBe('not_negotiated');
  });

  it('forwards encoded frames unchanged after the same checks (relay fan-out)', () => {
    const [v, h] = open();
    const frame = encode({ channel: 'tiles', type: 'frameEnd', seq: 4 });
    expect(h.session.sendFrame(frame)).toEqual({ channel: 'tiles', type: 'frameEnd', seq: 4 });
    expect(h.wire.at(-1)).toBe(frame);
    const audio = encode({
      channel: 'audio',
      type: 'frame',
      seq: 1,
      timestampUs: 0,
      data: new Uint8Array(4),
    });
    expect(() => h.session.sendFrame(audio)).toThrow(expect.objectContaining({ code: 'not_negotiated' }));
    expect(() => h.session.sendFrame(Uint8Array.of(...frame, 0))).toThrow(
      expect.objectContaining({ code: 'trailing_bytes' }),
    );
    pump(h, v);
    expect(v.delivered).toEqual([{ channel: 'tiles', type: 'frameEnd', seq: 4 }]);
  });

  it('holds each side to the limits the other declared in control.capabilities', () => {
    const v = viewer({ optional: ['tilesCache', 'tilesLossy', 'clipboardText'] });
    const h = host({ optional: ['tilesLossless', 'tilesCache', 'tilesLossy', 'clipboardText'] });
    connect(v, h);
    v.session.send({
      channel: 'control',
      type: 'capabilities',
      losslessCodecs: LosslessCodecs.qoi | LosslessCodecs.zstdRgba,
      lossyCodecs: 0,
      cacheEntries: 0,
      cacheBytes: 0,
      maxClipboardBytes: 8,
      maxFileBytes: 0,
    });
    pump(v, h);
    expect(h.session.peerCapabilities?.losslessCodecs).toBe(LosslessCodecs.qoi | LosslessCodecs.zstdRgba);
    expect(v.session.localCapabilities?.maxClipboardBytes).toBe(8);
    const tile = {
      channel: 'tiles',
      type: 'lossless',
      x: 0,
      y: 0,
      width: 1,
      height: 1,
      cacheId: 0,
      data: new Uint8Array(1),
    } as const;
    h.session.send({ ...tile, codec: 'qoi' });
    const refused: unknown[] = [
      { ...tile, codec: 'png' },
      { ...tile, codec: 'qoi', cacheId: 5 },
      {
        channel: 'tiles',
        type: 'lossy',
        x: 0,
        y: 0,
        width: 1,
        height: 1,
        codec: 'jpeg',
        quality: 80,
        cacheId: 0,
        data: new Uint8Array(1),
      },
      { channel: 'clipboard', type: 'text', seq: 1, text: 'more than eight bytes' },
    ];
    for (const m of refused) {
      expect(() => h.session.send(m as Message), JSON.stringify(m)).toThrow(
        expect.objectContaining({ code: 'not_negotiated' }),
      );
    }
    h.session.send({ channel: 'clipboard', type: 'text', seq: 1, text: 'short' });
    pump(h, v);
    expect(v.delivered.map((m) => m.type)).toEqual(['lossless', 'text']);
    // the viewer enforces its own declaration on receipt, too
    v.session.receiveBytes(encode({ ...tile, codec: 'png' }));
    expect(v.closed[0]!.code).toBe(CloseCode.unexpectedMessage);
    expect(v.closed[0]!.reason).toContain('does not decode png');
  });

  it('accepts control.capabilities once per side', () => {
    const [v, h] = open();
    const caps = {
      channel: 'control',
      type: 'capabilities',
      losslessCodecs: 15,
      lossyCodecs: 3,
      cacheEntries: 10,
      cacheBytes: 1000,
      maxClipboardBytes: 1000,
      maxFileBytes: 1000,
    } as const;
    v.session.send(caps);
    expect(() => v.session.send(caps)).toThrow(expect.objectContaining({ code: 'unexpected_message' }));
    pump(v, h);
    h.session.receiveBytes(encode(caps));
    expect(h.closed[0]!.code).toBe(CloseCode.unexpectedMessage);
  });

  it('checks permissions for the gateway', () => {
    const move = { channel: 'input', type: 'pointerMove', x: 0, y: 0, buttons: 0, modifiers: 0 } as const;
    expect(isPermitted(move, Permissions.audio)).toBe(false);
    expect(isPermitted(move, Permissions.input)).toBe(true);
    expect(isPermitted({ channel: 'control', type: 'ping', seq: 0, timestampUs: 0 }, 0)).toBe(true);
  });
});

describe('StreamDecoder limits', () => {
  it('is exported for standalone use', () => {
    expect(new StreamDecoder().maxFrameSize).toBe(16 * 1024 * 1024);
  });
});
