import { describe, expect, it } from 'vitest';
import {
  HEADER_SIZE,
  ProtocolError,
  StreamDecoder,
  encode,
  encodeAll,
  encodeInto,
  encodedSize,
  type Message,
} from './index';

const msgs: Message[] = [
  { channel: 'tiles', type: 'frameBegin', seq: 1, timestampUs: 10, flags: 1 },
  {
    channel: 'tiles',
    type: 'lossless',
    x: 0,
    y: 0,
    width: 64,
    height: 64,
    codec: 'qoi',
    cacheId: 5,
    data: new Uint8Array(300).fill(7),
  },
  {
    channel: 'video',
    type: 'accessUnit',
    streamId: 0,
    seq: 9,
    flags: 1,
    timestampUs: 33,
    roiX: 0,
    roiY: 0,
    roiWidth: 2,
    roiHeight: 2,
    data: new Uint8Array(5000).fill(9),
  },
  { channel: 'input', type: 'releaseAll' },
  { channel: 'tiles', type: 'frameEnd', seq: 1 },
];

describe('StreamDecoder', () => {
  const stream = encodeAll(msgs);

  it('decodes frames in place, without copying payloads', () => {
    const d = new StreamDecoder();
    const out = d.decode(stream);
    expect(out).toHaveLength(5);
    const tile = out[1] as Extract<Message, { type: 'lossless' }>;
    expect(tile.data.buffer).toBe(stream.buffer);
    expect(tile.data.byteOffset).toBe(encodedSize(msgs[0]!) + HEADER_SIZE + 13);
    expect(d.frames).toBe(5);
  });

  it('decodes the same messages for every split point', () => {
    const whole = new StreamDecoder().decode(stream);
    for (let cut = 0; cut <= stream.length; cut += 97) {
      const d = new StreamDecoder();
      const got = [...d.decode(stream.subarray(0, cut)), ...d.decode(stream.subarray(cut))];
      d.end();
      expect(got).toEqual(whole);
    }
  });

  it('copies a frame that spans chunks, so the chunk may be reused', () => {
    const d = new StreamDecoder();
    const buf = new Uint8Array(stream.length);
    buf.set(stream);
    const first = encodedSize(msgs[0]!);
    d.decode(buf.subarray(0, first + 100));
    const [tile] = d.decode(buf.subarray(first + 100, first + 400));
    buf.fill(0);
    expect((tile as Extract<Message, { type: 'lossless' }>).data).toEqual(new Uint8Array(300).fill(7));
  });

  it('refuses an oversize frame from its header alone', () => {
    const d = new StreamDecoder({ maxFrameSize: 1024 });
    const frame = encode(msgs[2]!);
    expect(() => d.decode(frame.subarray(0, 6))).toThrow(
      expect.objectContaining({ code: 'frame_too_large' }),
    );
    expect(d.bufferedBytes).toBe(0);
  });

  it('stays failed after an error', () => {
    const d = new StreamDecoder();
    expect(() => d.decode(Uint8Array.of(42, 1, 0, 0, 0, 0))).toThrow(ProtocolError);
    expect(() => d.decode(encode(msgs[0]!))).toThrow(expect.objectContaining({ code: 'unknown_channel' }));
    expect(d.error).toBeInstanceOf(ProtocolError);
  });

  it('reports a stream that ends inside a frame', () => {
    const d = new StreamDecoder();
    d.decode(stream.subarray(0, 3));
    expect(d.bufferedBytes).toBe(3);
    expect(() => d.end()).toThrow(expect.objectContaining({ code: 'truncated' }));
  });

  it('hands out raw frames for relays', () => {
    const d = new StreamDecoder();
    const frames: Uint8Array[] = [];
    const cut = 1000;
    for (const part of [stream.subarray(0, cut), stream.subarray(cut)]) {
      d.pushFrames(part, (_codec, buf, start, end) => frames.push(buf.slice(start - HEADER_SIZE, end)));
    }
    expect(frames.map((f) => f.length)).toEqual(msgs.map(encodedSize));
    expect(frames.map((f) => [...f])).toEqual(msgs.map((m) => [...encode(m)]));
  });

  it('validates its frame limit', () => {
    expect(() => new StreamDecoder({ maxFrameSize: 3 })).toThrow(
      expect.objectContaining({ code: 'invalid_value' }),
    );
  });
});

describe('encoders', () => {
  it('write into a caller buffer at an offset and refuse a buffer that is too small', () => {
    const buf = new Uint8Array(64);
    const n = encodeInto({ channel: 'cursor', type: 'position', x: 1, y: 2 }, buf, 10);
    expect(n).toBe(10);
    expect([...buf.subarray(10, 20)]).toEqual([3, 3, 4, 0, 0, 0, 1, 0, 2, 0]);
    expect(() => encodeInto({ channel: 'cursor', type: 'position', x: 1, y: 2 }, buf, 60)).toThrow(
      expect.objectContaining({ code: 'buffer_too_small' }),
    );
  });

  it('refuse invalid values with typed errors', () => {
    const bad: unknown[] = [
      { channel: 'cursor', type: 'position', x: 70000, y: 0 },
      { channel: 'cursor', type: 'position', x: 1.5, y: 0 },
      { channel: 'input', type: 'pointerButton', x: 0, y: 0, button: 'sideways', down: true, modifiers: 0 },
      { channel: 'input', type: 'pointerButton', x: 0, y: 0, button: 'left', down: 1, modifiers: 0 },
      { channel: 'input', type: 'pointerMove', x: 0, y: 0, buttons: 0x80, modifiers: 0 },
      {
        channel: 'input',
        type: 'key',
        code: 1,
        down: true,
        repeat: false,
        modifiers: 0,
        key: 'x'.repeat(33),
        text: '',
      },
      {
        channel: 'input',
        type: 'key',
        code: 1,
        down: true,
        repeat: false,
        modifiers: 0,
        key: '\ud800',
        text: '',
      },
      { channel: 'control', type: 'ping', seq: 0, timestampUs: 2 ** 53 },
      {
        channel: 'cursor',
        type: 'shape',
        cursorId: 1,
        width: 2,
        height: 2,
        hotX: 0,
        hotY: 0,
        rgba: new Uint8Array(3),
      },
      {
        channel: 'control',
        type: 'hello',
        versions: [2, 1],
        required: [],
        optional: [],
        maxFrameSize: 65536,
        peer: 'webClient',
        agent: '',
      },
      { channel: 'nope', type: 'x' },
      { channel: 'tiles', type: 'nope' },
      { channel: 'tiles', type: 'fill' },
      null,
    ];
    for (const m of bad) {
      let err: unknown;
      try {
        encode(m as Message);
      } catch (e) {
        err = e;
      }
      expect(err, JSON.stringify(m)).toBeInstanceOf(ProtocolError);
    }
  });

  it('round-trip astral and BOM-prefixed strings exactly', () => {
    const m: Message = { channel: 'clipboard', type: 'text', seq: 1, text: '\ufeffa😀é日' };
    const [back] = new StreamDecoder().decode(encode(m));
    expect(back).toEqual(m);
  });
});
