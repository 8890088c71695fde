import { decodeFrame, encode, type Message } from '@bpane/protocol';
import { describe, expect, it } from 'vitest';
import { TileGrid } from '../tiles/geometry';
import { TileStreamEncoder } from '../tiles/tile-stream-encoder';
import { CollectingSink, type MediaOutput } from './media-output';
import { h264CodecString, ProtocolAdapter } from './protocol-adapter';

const roundTrip = (msgs: Message[]): Message[] => msgs.map((m) => decodeFrame(encode(m)));

describe('ProtocolAdapter', () => {
  it('maps a tile frame to protocol messages that encode and decode', () => {
    const W = 256;
    const H = 128;
    const px = new Uint32Array(W * H);
    for (let i = 0; i < px.length; i++) px[i] = i % 7 === 0 ? 0x202124 : 0xffffff;
    px.fill(0x336699, 0, 64); // a solid-ish start
    const enc = new TileStreamEncoder(W, H, { tileSize: 64, codec: 'qoi', cacheEntries: 2, scroll: true });
    const sink = new CollectingSink();
    enc.encodeFrame(px, new Set(Array.from({ length: new TileGrid(W, H, 64).count }, (_, i) => i)), [], sink);
    const adapter = new ProtocolAdapter(() => 42);
    const msgs = sink.outputs.flatMap((o) => adapter.toMessages(o));
    expect(roundTrip(msgs)).toEqual(msgs);
    expect(msgs[0]).toEqual({ channel: 'tiles', type: 'frameBegin', seq: 1, timestampUs: 42, flags: 1 });
    expect(msgs.at(-1)).toEqual({ channel: 'tiles', type: 'frameEnd', seq: 1 });
    const types = msgs.map((m) => `${m.channel}.${m.type}`);
    expect(types).toContain('tiles.lossless');
    // capacity 2 with 8 distinct tiles: evictions are forwarded with the ids they were given
    const evicts = msgs.filter((m) => m.type === 'cacheEvict');
    expect(evicts.length).toBeGreaterThan(0);
  });

  it('gives cache references the id of the lossless tile they repeat', () => {
    const adapter = new ProtocolAdapter(() => 0);
    const tile = { col: 0, row: 0, x: 0, y: 0, w: 64, h: 64 };
    const img = adapter.toMessages({
      kind: 'tile-image',
      seq: 1,
      tile,
      hash: 99n,
      codec: 'qoi',
      data: new Uint8Array([1]),
    })[0]!;
    const ref = adapter.toMessages({
      kind: 'tile-cache-ref',
      seq: 2,
      tile: { ...tile, x: 64, col: 1 },
      hash: 99n,
    })[0]!;
    expect(img).toMatchObject({ type: 'lossless', cacheId: 1 });
    expect(ref).toEqual({ channel: 'tiles', type: 'cacheRef', x: 64, y: 0, cacheId: 1 });
    expect(adapter.hashOfCacheId(1)).toBe(99n);
    expect(adapter.toMessages({ kind: 'tile-fill', seq: 2, tile, rgb: 0x112233 })[0]).toMatchObject({
      rgba: 0x112233ff,
    });
    expect(() => adapter.toMessages({ kind: 'tile-cache-ref', seq: 3, tile, hash: 5n })).toThrow(
      /never received/,
    );
  });

  it('turns ROI regions into video streams and access units', () => {
    const adapter = new ProtocolAdapter(() => 0);
    const rect = { x: 64, y: 128, w: 640, h: 384 };
    const outs: MediaOutput[] = [
      { kind: 'roi-regions', seq: 1, regions: [{ id: 7, rect }] },
      { kind: 'video-au', roiId: 7, rect, key: true, ptsUs: 1000, data: new Uint8Array([0, 0, 0, 1, 0x65]) },
      { kind: 'video-au', roiId: 7, rect, key: false, ptsUs: 2000, data: new Uint8Array([0, 0, 0, 1, 0x41]) },
      { kind: 'roi-regions', seq: 2, regions: [] },
      { kind: 'video-au', roiId: 7, rect, key: false, ptsUs: 3000, data: new Uint8Array([1]) },
    ];
    const msgs = outs.flatMap((o) => adapter.toMessages(o));
    expect(roundTrip(msgs)).toEqual(msgs);
    expect(msgs).toEqual([
      {
        channel: 'video',
        type: 'streamConfig',
        streamId: 1,
        codec: 'h264',
        codecString: 'avc1.42E01F',
        width: 640,
        height: 384,
      },
      expect.objectContaining({
        type: 'accessUnit',
        streamId: 1,
        seq: 0,
        flags: 1,
        roiX: 64,
        roiY: 128,
        roiWidth: 640,
        roiHeight: 384,
      }),
      expect.objectContaining({ type: 'accessUnit', streamId: 1, seq: 1, flags: 0 }),
      { channel: 'video', type: 'streamEnd', streamId: 1 },
    ]);
    expect(h264CodecString(1920, 1080)).toBe('avc1.42E028');
  });

  it('maps cursor, audio, clipboard and screen size', () => {
    const adapter = new ProtocolAdapter(() => 0);
    const msgs = [
      ...adapter.toMessages({ kind: 'screen-size', width: 1280, height: 720 }),
      ...adapter.toMessages({
        kind: 'cursor-shape',
        serial: 3,
        width: 1,
        height: 1,
        hotX: 0,
        hotY: 0,
        rgba: new Uint8Array(4),
      }),
      ...adapter.toMessages({ kind: 'cursor-cached', serial: 3 }),
      ...adapter.toMessages({ kind: 'cursor-position', x: 5, y: 6, visible: true }),
      ...adapter.toMessages({
        kind: 'audio-frame',
        seq: 0,
        ptsUs: 0,
        codec: 'opus',
        sampleRate: 48000,
        channels: 2,
        durationUs: 20000,
        data: new Uint8Array(10),
      }),
      ...adapter.toMessages({
        kind: 'audio-frame',
        seq: 1,
        ptsUs: 20000,
        codec: 'opus',
        sampleRate: 48000,
        channels: 2,
        durationUs: 20000,
        data: new Uint8Array(10),
      }),
      ...adapter.toMessages({ kind: 'clipboard-text', text: 'hi' }),
    ];
    expect(roundTrip(msgs)).toEqual(msgs);
    expect(msgs.map((m) => `${m.channel}.${m.type}`)).toEqual([
      'control.displayConfig',
      'cursor.shape',
      'cursor.select',
      'cursor.visibility',
      'cursor.position',
      'audio.config',
      'audio.frame',
      'audio.frame',
      'clipboard.text',
    ]);
  });
});
