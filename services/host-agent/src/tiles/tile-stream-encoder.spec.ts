import { describe, expect, it } from 'vitest';
import { CollectingSink, type MediaOutput } from '../media/media-output';
import { ReferenceDecoder } from '../media/reference-decoder';
import { TileGrid } from './geometry';
import { TileStreamEncoder } from './tile-stream-encoder';

const W = 640;
const H = 360;
const grid = new TileGrid(W, H, 64);
const all = new Set(Array.from({ length: grid.count }, (_, i) => i));

const doc = (top: number): Uint32Array => {
  const px = new Uint32Array(W * H);
  for (let y = 0; y < H; y++) {
    const d = y + top;
    for (let x = 0; x < W; x++) {
      let h = Math.imul(d * 7919 + (x >> 2) * 104729, 0x9e3779b1);
      h ^= h >>> 15;
      px[y * W + x] = d % 20 < 12 && (h & 7) === 0 ? 0x1a1a1a : 0xfdfdfd;
    }
  }
  return px;
};

const run = (
  enc: TileStreamEncoder,
  dec: ReferenceDecoder,
  cur: Uint32Array,
  dirty: Set<number>,
  rois: { id: number; rect: { x: number; y: number; w: number; h: number } }[] = [],
  roiChanged = false,
): MediaOutput[] => {
  const sink = new CollectingSink();
  enc.encodeFrame(cur, dirty, rois, sink, roiChanged);
  for (const o of sink.outputs) dec.apply(o);
  return sink.outputs;
};

describe('TileStreamEncoder + ReferenceDecoder', () => {
  it('sends a snapshot first and then only what changed, pixel-exact', () => {
    const enc = new TileStreamEncoder(W, H, { tileSize: 64, codec: 'qoi', cacheEntries: 1000, scroll: true });
    const dec = new ReferenceDecoder(1000);
    const a = doc(0);
    const first = run(enc, dec, a, all);
    expect(first[0]).toMatchObject({ kind: 'frame-begin', snapshot: true, width: W, height: H });
    expect(dec.exactShare(a).share).toBe(1);

    // nothing changed: damage alone sends nothing
    const idle = run(enc, dec, a, new Set([0, 1, 2]));
    expect(idle.map((o) => o.kind)).toEqual(['frame-begin', 'frame-end']);

    // one tile changes to a solid colour, one to new content
    const b = a.slice();
    for (let y = 64; y < 128; y++) b.fill(0x00ff00, y * W + 128, y * W + 192);
    b[200 * W + 300] = 0x123456;
    const out = run(enc, dec, b, new Set([grid.index(2, 1), grid.index(4, 3)]));
    // the green tile is a fill; the single changed pixel is a 1×1 part of its tile (also a fill)
    const fills = out.filter((o) => o.kind === 'tile-fill');
    expect(fills.map((o) => o.kind === 'tile-fill' && [o.tile.w, o.tile.h])).toEqual([
      [64, 64],
      [1, 1],
    ]);
    expect(out.filter((o) => o.kind === 'tile-image')).toHaveLength(0);
    expect(dec.exactShare(b).share).toBe(1);

    // a small multi-colour change inside a tile goes out as a partial image
    const c = b.slice();
    for (let k = 0; k < 10; k++) c[300 * W + 20 + k] = k * 0x101010;
    const out2 = run(enc, dec, c, new Set([grid.index(0, 4)]));
    const parts = out2.filter((o) => o.kind === 'rect-image');
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatchObject({ tile: { x: 20, y: 300, w: 10, h: 1, col: 0, row: 4 } });
    expect(dec.exactShare(c).share).toBe(1);
  });

  it('sends a repeated tile as a cache reference', () => {
    const enc = new TileStreamEncoder(W, H, {
      tileSize: 64,
      codec: 'qoi',
      cacheEntries: 1000,
      scroll: false,
    });
    const dec = new ReferenceDecoder(1000);
    const a = doc(0);
    run(enc, dec, a, all);
    // copy tile (0,0) to tile (5,2)
    const b = a.slice();
    for (let y = 0; y < 64; y++) b.set(a.subarray(y * W, y * W + 64), (128 + y) * W + 320);
    const out = run(enc, dec, b, new Set([grid.index(5, 2)]));
    expect(out.filter((o) => o.kind === 'tile-cache-ref')).toHaveLength(1);
    expect(out.filter((o) => o.kind === 'tile-image')).toHaveLength(0);
    expect(dec.exactShare(b).share).toBe(1);
    expect(dec.cacheMisses).toBe(0);
  });

  it('turns a scroll into one copy-rect plus the exposed strip', () => {
    const enc = new TileStreamEncoder(W, H, { tileSize: 64, codec: 'qoi', cacheEntries: 1000, scroll: true });
    const dec = new ReferenceDecoder(1000);
    run(enc, dec, doc(0), all);
    const after = doc(40);
    const out = run(enc, dec, after, all);
    const copies = out.filter((o) => o.kind === 'copy-rect');
    expect(copies).toHaveLength(1);
    const images = out.filter(
      (o) => o.kind === 'tile-image' || o.kind === 'tile-cache-ref' || o.kind === 'tile-fill',
    );
    // the strip at the bottom (40 px) touches the last row of tiles (and the one above it)
    expect(images.length).toBeLessThanOrEqual(2 * grid.cols);
    expect(dec.exactShare(after).share).toBe(1);
  });

  it('turns a sideways scroll into a copy-rect too', () => {
    const enc = new TileStreamEncoder(W, H, { tileSize: 64, codec: 'qoi', cacheEntries: 1000, scroll: true });
    const dec = new ReferenceDecoder(1000);
    const wide = (left: number): Uint32Array => {
      const px = new Uint32Array(W * H);
      for (let y = 0; y < H; y++)
        for (let x = 0; x < W; x++) {
          const d = x + left;
          let h = Math.imul(d * 7919 + (y >> 2) * 104729, 0x9e3779b1);
          h ^= h >>> 15;
          px[y * W + x] = d % 16 < 10 && (h & 7) === 0 ? 0x1a1a1a : 0xfdfdfd;
        }
      return px;
    };
    run(enc, dec, wide(0), all);
    const after = wide(50);
    const out = run(enc, dec, after, all);
    const copy = out.find((o) => o.kind === 'copy-rect');
    expect(copy).toMatchObject({ kind: 'copy-rect', dstX: 0, src: { x: 50 } });
    expect(dec.exactShare(after).share).toBe(1);
  });

  it('leaves ROI tiles to video and resends them when the region goes', () => {
    const enc = new TileStreamEncoder(W, H, { tileSize: 64, codec: 'qoi', cacheEntries: 1000, scroll: true });
    const dec = new ReferenceDecoder(1000);
    const a = doc(0);
    run(enc, dec, a, all);
    const roi = { id: 1, rect: { x: 128, y: 64, w: 256, h: 192 } };
    const b = a.map((v, i) =>
      i % W >= 128 && i % W < 384 && i / W >= 64 && i / W < 256 ? (v ^ 0x0f0f0f) & 0xffffff : v,
    );
    const roiTiles = grid.tilesIn(roi.rect);
    const out = run(enc, dec, b, roiTiles, [roi], true);
    expect(out.find((o) => o.kind === 'roi-regions')).toMatchObject({ regions: [roi] });
    expect(out.filter((o) => o.kind.startsWith('tile-'))).toHaveLength(0);
    expect(dec.exactShare(b).share).toBe(1); // exact outside the ROI
    // region released: the encoder was told (via invalidate) and sends the tiles losslessly
    enc.invalidate(roiTiles);
    const out2 = run(enc, dec, b, new Set(), [], true);
    expect(out2.filter((o) => o.kind.startsWith('tile-')).length).toBe(roiTiles.size);
    expect(dec.exactShare(b).share).toBe(1);
  });

  it('starts over after a resize', () => {
    const enc = new TileStreamEncoder(W, H, {
      tileSize: 64,
      codec: 'deflate',
      cacheEntries: 10,
      scroll: true,
    });
    const dec = new ReferenceDecoder(10);
    run(enc, dec, doc(0), all);
    enc.resize(320, 200);
    const small = new Uint32Array(320 * 200).fill(0xabcdef);
    small[5] = 1;
    const g2 = new TileGrid(320, 200, 64);
    const out = run(enc, dec, small, new Set());
    expect(out[0]).toMatchObject({ kind: 'frame-begin', width: 320, height: 200, snapshot: true });
    expect(out.filter((o) => o.kind.startsWith('tile-'))).toHaveLength(g2.count);
    expect(dec.exactShare(small).share).toBe(1);
  });
});
