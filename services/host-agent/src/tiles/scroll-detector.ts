import type { Rect } from './geometry';

/** A detected vertical scroll: the pixels of `src` now appear at `dst` (same size). */
export type ScrollCopy = Readonly<{ src: Rect; dstX: number; dstY: number; dy: number }>;

export type ScrollOptions = Readonly<{
  /** Largest |dy| searched, in px. */
  maxShift: number;
  /** Fewest moved, non-uniform rows for a scroll to count. */
  minRows: number;
  /** Longest run of non-matching rows a copy may bridge (default 64). */
  maxGap?: number;
}>;

export const defaultScrollOptions: ScrollOptions = { maxShift: 720, minRows: 24 };

const rowHashes = (
  px: Uint32Array,
  stride: number,
  band: Rect,
  hashes: Int32Array,
  uniform: Uint8Array,
): void => {
  for (let r = 0; r < band.h; r++) {
    let i = (band.y + r) * stride + band.x;
    const end = i + band.w;
    const first = px[i]! & 0x00ffffff;
    let h = 0x811c9dc5 ^ band.w;
    let same = 1;
    for (; i < end; i++) {
      const v = px[i]! & 0x00ffffff;
      if (v !== first) same = 0;
      h = Math.imul(h ^ v, 0x01000193);
      h ^= h >>> 15;
    }
    hashes[r] = h;
    uniform[r] = same;
  }
};

/**
 * Finds a vertical scroll inside `band` between the picture the client has (`prev`) and the new
 * one (`cur`): hashes every row of the band in both, lets each changed, non-uniform row of the new
 * picture vote for the offsets at which the old picture had the same row, takes the best offset,
 * and returns the longest run of rows that the offset explains as one copy. Uniform rows (blank
 * lines) never vote, so a blank page does not "scroll". Returns null when nothing moved enough.
 */
export const detectVerticalScroll = (
  prev: Uint32Array,
  cur: Uint32Array,
  stride: number,
  band: Rect,
  opts: ScrollOptions = defaultScrollOptions,
): ScrollCopy | null => {
  if (band.h < opts.minRows * 2 || band.w < 16) return null;
  const hp = new Int32Array(band.h);
  const hc = new Int32Array(band.h);
  const up = new Uint8Array(band.h);
  const uc = new Uint8Array(band.h);
  // Rows are compared without the band's right-most 24 px when the band is wide: that is where
  // the scrollbar lives, whose thumb moves against the content and would break every row it spans.
  const probe = band.w >= 256 ? { ...band, w: band.w - 24 } : band;
  rowHashes(prev, stride, probe, hp, up);
  rowHashes(cur, stride, probe, hc, uc);

  const where = new Map<number, number[]>();
  for (let r = 0; r < band.h; r++) {
    if (up[r]) continue;
    const list = where.get(hp[r]!);
    if (!list) where.set(hp[r]!, [r]);
    else if (list.length < 4) list.push(r);
  }
  const votes = new Map<number, number>();
  for (let r = 0; r < band.h; r++) {
    if (uc[r] || hc[r] === hp[r]) continue;
    const cands = where.get(hc[r]!);
    if (!cands) continue;
    for (const r2 of cands) {
      const dy = r2 - r;
      if (dy !== 0 && Math.abs(dy) <= opts.maxShift) votes.set(dy, (votes.get(dy) ?? 0) + 1);
    }
  }
  let best = 0;
  let bestVotes = 0;
  for (const [dy, v] of votes)
    if (v > bestVotes || (v === bestVotes && Math.abs(dy) < Math.abs(best))) [best, bestVotes] = [dy, v];
  if (bestVotes < opts.minRows) return null;

  // The run of destination rows the offset explains with the most moved rows. A run may bridge
  // short gaps of rows that do not match (a scrollbar thumb, a caret): the copy still moves them
  // and the tile pass repairs whatever differs afterwards.
  const dy = best;
  const maxGap = opts.maxGap ?? 64;
  let runStart = -1;
  let runLen = 0;
  let runVoters = 0;
  let curStart = -1;
  let curEnd = -1;
  let curVoters = 0;
  const lo = Math.max(0, -dy);
  const hi = Math.min(band.h, band.h - dy);
  const close = (): void => {
    if (curStart < 0) return;
    const len = curEnd - curStart + 1;
    if (curVoters > runVoters || (curVoters === runVoters && len > runLen))
      [runStart, runLen, runVoters] = [curStart, len, curVoters];
    curStart = -1;
  };
  for (let r = lo; r < hi; r++) {
    if (hc[r] !== hp[r + dy]) {
      if (curStart >= 0 && r - curEnd > maxGap) close();
      continue;
    }
    if (curStart < 0) {
      curStart = r;
      curVoters = 0;
    }
    curEnd = r;
    if (!uc[r]) curVoters++;
  }
  close();
  if (runStart < 0 || runVoters < opts.minRows) return null;
  return {
    src: { x: band.x, y: band.y + runStart + dy, w: band.w, h: runLen },
    dstX: band.x,
    dstY: band.y + runStart,
    dy,
  };
};

/** Applies a scroll copy to a framebuffer (overlap-safe). */
export const applyScrollCopy = (px: Uint32Array, stride: number, copy: ScrollCopy): void => {
  const { src, dstY } = copy;
  const rows = src.h;
  const order = dstY < src.y ? 1 : -1;
  for (let k = 0; k < rows; k++) {
    const r = order === 1 ? k : rows - 1 - k;
    const s = (src.y + r) * stride + src.x;
    px.copyWithin((dstY + r) * stride + copy.dstX, s, s + src.w);
  }
};

const transpose = (px: Uint32Array, stride: number, band: Rect): Uint32Array => {
  const out = new Uint32Array(band.w * band.h);
  for (let y = 0; y < band.h; y++) {
    const o = (band.y + y) * stride + band.x;
    for (let x = 0; x < band.w; x++) out[x * band.h + y] = px[o + x]!;
  }
  return out;
};

/**
 * Horizontal scrolls: the band is transposed (columns become rows) and searched like a vertical
 * scroll, and the result is turned back (`dy` of the result is 0; the move is `src.x - dstX`).
 */
export const detectHorizontalScroll = (
  prev: Uint32Array,
  cur: Uint32Array,
  stride: number,
  fullBand: Rect,
  opts: ScrollOptions = defaultScrollOptions,
): ScrollCopy | null => {
  if (fullBand.w < opts.minRows * 2 || fullBand.h < 16) return null;
  let band = fullBand;
  // Only rows that changed can have moved sideways: search the longest run of changed rows (a
  // repaint that reached part of the band would otherwise make every column differ).
  // Unchanged rows inside a run (blank lines between lines of text) do not end it.
  let best: [number, number] = [0, 0];
  let start = -1;
  let lastChanged = -1;
  for (let r = 0; r <= band.h; r++) {
    let changed = false;
    if (r < band.h) {
      const o = (band.y + r) * stride + band.x;
      for (let x = 0; x < band.w; x++)
        if (((prev[o + x]! ^ cur[o + x]!) & 0x00ffffff) !== 0) {
          changed = true;
          break;
        }
    }
    if (changed) {
      if (start < 0) start = r;
      lastChanged = r;
    } else if (start >= 0 && (r === band.h || r - lastChanged > 32)) {
      if (lastChanged + 1 - start > best[1] - best[0]) best = [start, lastChanged + 1];
      start = -1;
    }
  }
  if (best[1] - best[0] < 16) return null;
  band = { x: band.x, y: band.y + best[0], w: band.w, h: best[1] - best[0] };
  const t = { x: 0, y: 0, w: band.h, h: band.w };
  const found = detectVerticalScroll(transpose(prev, stride, band), transpose(cur, stride, band), band.h, t, {
    ...opts,
    maxShift: Math.min(opts.maxShift, band.w - 16),
  });
  if (!found) return null;
  return {
    src: { x: band.x + found.src.y, y: band.y + found.src.x, w: found.src.h, h: found.src.w },
    dstX: band.x + found.dstY,
    dstY: band.y + found.dstX,
    dy: 0,
  };
};
