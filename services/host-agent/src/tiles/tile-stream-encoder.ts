import type { MediaSink, RoiRect, TilePos } from '../media/media-output';
import { contains, TileGrid, type Rect } from './geometry';
import {
  defaultScrollOptions,
  applyScrollCopy,
  detectHorizontalScroll,
  detectVerticalScroll,
  type ScrollCopy,
} from './scroll-detector';
import { TileCache } from './tile-cache';
import { encodeTileWith, type TileCodecChoice } from './tile-codecs';
import { copyRect, diffBox, hashPixels, samePixels, solidColour } from './tile-hash';

/**
 * A changed tile whose changed pixels fit in a rectangle of at most this share of the tile is sent
 * as that rectangle (uncached) instead of the whole tile (cached). Measured with bench:stream:
 * typing and the strips a scroll exposes are cheapest this way.
 */
export const PART_MAX_PCT = 85;

export type TileEncoderOptions = Readonly<{
  tileSize: number;
  codec: TileCodecChoice;
  cacheEntries: number;
  scroll: boolean;
}>;

export type FrameStats = {
  seq: number;
  dirtyTiles: number;
  sentTiles: number;
  fills: number;
  cacheRefs: number;
  images: number;
  imageBytes: number;
  scroll: ScrollCopy | null;
  /** Tiles whose content changed (after scroll compensation): input of the ROI classifier. */
  changed: number[];
};

/**
 * The tile half of the stream. It keeps `client`, a copy of the picture the client shows, and for
 * each frame compares only the dirty tiles (those that damage touched) of the new picture with it:
 * unchanged tiles are skipped, a scroll becomes a copy-rect applied to both sides first, and each
 * changed tile goes out as a solid fill, a cache reference (content seen before anywhere on screen)
 * or a lossless image. Tiles inside ROI rectangles are left to the video encoder. Because `client`
 * is updated with exactly what was sent, the client's picture equals the host's pixel for pixel
 * outside ROI regions; the reference decoder and the integration tests check that.
 */
export class TileStreamEncoder {
  grid: TileGrid;
  client: Uint32Array;
  private forced: Uint8Array;
  private readonly cache: TileCache;
  private seq = 0;

  constructor(
    width: number,
    height: number,
    private readonly opts: TileEncoderOptions,
  ) {
    this.grid = new TileGrid(width, height, opts.tileSize);
    this.client = new Uint32Array(width * height);
    this.forced = new Uint8Array(this.grid.count).fill(1);
    this.cache = new TileCache(opts.cacheEntries);
  }

  get frameSeq(): number {
    return this.seq;
  }

  /** New screen size: everything is sent again. */
  resize(width: number, height: number): void {
    this.grid = new TileGrid(width, height, this.opts.tileSize);
    this.client = new Uint32Array(width * height);
    this.forced = new Uint8Array(this.grid.count).fill(1);
    this.cache.clear();
  }

  /** The client's picture of these tiles is unknown (e.g. video was drawn there): resend them. */
  invalidate(tiles: Iterable<number>): void {
    for (const i of tiles) if (i >= 0 && i < this.forced.length) this.forced[i] = 1;
  }

  /** A (re)joining client with an empty cache: resend every tile without cache references. */
  resetClient(): void {
    this.forced.fill(1);
    this.cache.clear();
  }

  /**
   * Encodes one frame. `cur` is the current screen (BGRx words, width × height); `dirty` the tiles
   * damage touched since the last frame. Returns statistics; outputs go to `sink`.
   */
  encodeFrame(
    cur: Uint32Array,
    dirty: ReadonlySet<number>,
    rois: readonly RoiRect[],
    sink: MediaSink,
    roiChanged = false,
  ): FrameStats {
    const seq = ++this.seq;
    const { grid, client } = this;
    const stride = grid.width;
    const stats: FrameStats = {
      seq,
      dirtyTiles: 0,
      sentTiles: 0,
      fills: 0,
      cacheRefs: 0,
      images: 0,
      imageBytes: 0,
      scroll: null,
      changed: [],
    };
    const todo = new Set<number>(dirty);
    for (let i = 0; i < this.forced.length; i++) if (this.forced[i]) todo.add(i);
    stats.dirtyTiles = todo.size;
    const snapshot = todo.size === grid.count && this.forced.every((f) => f === 1);
    sink.emit({
      kind: 'frame-begin',
      seq,
      width: grid.width,
      height: grid.height,
      tileSize: grid.size,
      snapshot,
    });
    if (roiChanged) sink.emit({ kind: 'roi-regions', seq, regions: rois });

    const inRoi = (r: Rect): boolean => rois.some((roi) => contains(roi.rect, r));

    // Scroll: look for a vertical move inside the band that the dirty, non-ROI tiles span.
    if (this.opts.scroll && !snapshot && dirty.size >= 6) {
      const band = this.dirtyBand(dirty, rois);
      if (band) {
        const copy =
          detectVerticalScroll(client, cur, stride, band, {
            ...defaultScrollOptions,
            maxShift: band.h - 16,
          }) ??
          detectHorizontalScroll(client, cur, stride, band, {
            ...defaultScrollOptions,
            maxShift: band.w - 16,
          });
        if (
          copy &&
          !rois.some(
            (roi) =>
              overlapsRect(roi.rect, { x: copy.dstX, y: copy.dstY, w: copy.src.w, h: copy.src.h }) ||
              overlapsRect(roi.rect, copy.src),
          )
        ) {
          applyScrollCopy(client, stride, copy);
          sink.emit({ kind: 'copy-rect', seq, src: copy.src, dstX: copy.dstX, dstY: copy.dstY });
          stats.scroll = copy;
          // the copy may have changed tiles that damage did not name (it moved old pixels there)
          grid.tilesIn({ x: copy.dstX, y: copy.dstY, w: copy.src.w, h: copy.src.h }, todo);
        }
      }
    }

    const parts: TilePos[] = [];
    const order = [...todo].sort((a, b) => a - b);
    for (const i of order) {
      const r = grid.rect(i);
      if (inRoi(r)) {
        if (dirty.has(i)) stats.changed.push(i);
        this.forced[i] = 1; // the client shows video here; resend when the region goes
        continue;
      }
      const wasForced = this.forced[i] === 1;
      if (!wasForced && samePixels(cur, client, stride, r.x, r.y, r.w, r.h)) continue;
      this.forced[i] = 0;
      if (dirty.has(i)) stats.changed.push(i);
      const col = i % grid.cols;
      const row = Math.floor(i / grid.cols);
      const tile: TilePos = { col, row, x: r.x, y: r.y, w: r.w, h: r.h };
      stats.sentTiles++;
      const solid = solidColour(cur, stride, r.x, r.y, r.w, r.h);
      if (solid >= 0) {
        copyRect(cur, client, stride, r.x, r.y, r.w, r.h);
        sink.emit({ kind: 'tile-fill', seq, tile, rgb: solid });
        stats.fills++;
        continue;
      }
      const hash = hashPixels(cur, stride, r.x, r.y, r.w, r.h);
      if (this.cache.touch(hash)) {
        copyRect(cur, client, stride, r.x, r.y, r.w, r.h);
        sink.emit({ kind: 'tile-cache-ref', seq, tile, hash });
        stats.cacheRefs++;
        continue;
      }
      // A small change inside a tile the client has (a typed character, a caret, the strip a
      // scroll exposed): send only the rectangle that changed, uncached.
      const box = wasForced ? null : diffBox(cur, client, stride, r.x, r.y, r.w, r.h);
      if (box && box.w * box.h * 100 <= r.w * r.h * PART_MAX_PCT) {
        copyRect(cur, client, stride, box.x, box.y, box.w, box.h);
        parts.push({ col, row, ...box });
        continue;
      }
      copyRect(cur, client, stride, r.x, r.y, r.w, r.h);
      const { codec, data } = encodeTileWith(this.opts.codec, cur, stride, r.x, r.y, r.w, r.h);
      const evicted = this.cache.add(hash);
      if (evicted !== undefined) sink.emit({ kind: 'tile-cache-evict', seq, hash: evicted });
      sink.emit({ kind: 'tile-image', seq, tile, hash, codec, data });
      stats.images++;
      stats.imageBytes += data.length;
    }
    // Parts side by side with the same rows (the strip a scroll exposed, a line of text) are
    // merged into one rectangle: one image compresses better than twenty slivers.
    for (const part of mergeParts(parts)) {
      const solid = solidColour(cur, stride, part.x, part.y, part.w, part.h);
      if (solid >= 0) {
        sink.emit({ kind: 'tile-fill', seq, tile: part, rgb: solid });
        stats.fills++;
        continue;
      }
      const { codec, data } = encodeTileWith(this.opts.codec, cur, stride, part.x, part.y, part.w, part.h);
      sink.emit({ kind: 'rect-image', seq, tile: part, codec, data });
      stats.images++;
      stats.imageBytes += data.length;
    }
    sink.emit({ kind: 'frame-end', seq });
    return stats;
  }

  /** The pixel band spanned by dirty tiles outside ROI regions, or null if it is too small. */
  private dirtyBand(dirty: ReadonlySet<number>, rois: readonly RoiRect[]): Rect | null {
    let c0 = Infinity;
    let c1 = -1;
    let r0 = Infinity;
    let r1 = -1;
    for (const i of dirty) {
      const rect = this.grid.rect(i);
      if (rois.some((roi) => contains(roi.rect, rect))) continue;
      const c = i % this.grid.cols;
      const r = Math.floor(i / this.grid.cols);
      c0 = Math.min(c0, c);
      c1 = Math.max(c1, c);
      r0 = Math.min(r0, r);
      r1 = Math.max(r1, r);
    }
    if (c1 < 0 || r1 - r0 < 1) return null;
    const s = this.grid.size;
    const x = c0 * s;
    const y = r0 * s;
    return {
      x,
      y,
      w: Math.min(this.grid.width, (c1 + 1) * s) - x,
      h: Math.min(this.grid.height, (r1 + 1) * s) - y,
    };
  }
}

/** Merges parts side by side that cover the same rows, then parts stacked on the same columns. */
export const mergeParts = (parts: readonly TilePos[]): TilePos[] => {
  const sorted = [...parts].sort((a, b) => a.y - b.y || a.h - b.h || a.x - b.x);
  const rows: TilePos[] = [];
  for (const p of sorted) {
    const last = rows.at(-1);
    if (last && last.y === p.y && last.h === p.h && last.x + last.w === p.x)
      rows[rows.length - 1] = { ...last, w: last.w + p.w };
    else rows.push(p);
  }
  // then rectangles of the same columns that touch vertically (a strip crossing a tile row)
  const byCols = [...rows].sort((a, b) => a.x - b.x || a.w - b.w || a.y - b.y);
  const out: TilePos[] = [];
  for (const p of byCols) {
    const last = out.at(-1);
    if (last && last.x === p.x && last.w === p.w && last.y + last.h === p.y)
      out[out.length - 1] = { ...last, h: last.h + p.h };
    else out.push(p);
  }
  return out;
};

const overlapsRect = (a: Rect, b: Rect): boolean =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
