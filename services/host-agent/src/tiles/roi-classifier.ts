import type { Rect } from './geometry';
import type { TileGrid } from './geometry';

export type RoiClassifierOptions = Readonly<{
  /** Time constant of the per-tile change rate (ms). */
  tauMs: number;
  /** A tile becomes hot when its decayed change count reaches this… */
  enter: number;
  /** …and cold again when it falls below this (hysteresis). */
  exit: number;
  /** Upper bound of the count, so a long animation is released soon after it stops. */
  cap: number;
  /**
   * Fewest hot tiles in a region (and its box must be at least 2×2 tiles); a new region also needs
   * this many of its tiles to change in the same frame (video changes together, typing does not).
   */
  minTiles: number;
  /** Share of hot tiles above which the whole screen becomes one region. */
  fullScreenShare: number;
  /** A region without hot tiles is kept this long before it is released. */
  holdMs: number;
  /** A region's rectangle changes at most this often (each change costs a keyframe). */
  minReconfigureMs: number;
}>;

export const defaultRoiOptions: RoiClassifierOptions = {
  tauMs: 800,
  enter: 4,
  exit: 1.5,
  cap: 8,
  minTiles: 4,
  fullScreenShare: 0.5,
  holdMs: 700,
  minReconfigureMs: 500,
};

export type RoiRegion = Readonly<{ id: number; rect: Rect }>;

type Box = { c0: number; r0: number; c1: number; r1: number; n: number };
type Live = { id: number; box: Box; lastHot: number; lastReconfig: number };

const overlaps = (a: Box, b: Box): boolean => a.c0 <= b.c1 && b.c0 <= a.c1 && a.r0 <= b.r1 && b.r0 <= a.r1;
const merge = (a: Box, b: Box): Box => ({
  c0: Math.min(a.c0, b.c0),
  r0: Math.min(a.r0, b.r0),
  c1: Math.max(a.c1, b.c1),
  r1: Math.max(a.r1, b.r1),
  n: a.n + b.n,
});
const sameBox = (a: Box, b: Box): boolean => a.c0 === b.c0 && a.r0 === b.r0 && a.c1 === b.c1 && a.r1 === b.r1;

/**
 * The temporal classifier: every tile has an exponentially decaying count of recent changes; tiles
 * that keep changing (count ≥ `enter`, staying hot until it drops below `exit`) are grouped into
 * regions (tiles up to one tile apart join), and regions of at least `minTiles` hot tiles become
 * ROI regions for H.264. Several regions may exist at once; when most of the screen is hot it is one
 * full-screen region. Nothing here knows about `<video>` or CDP: canvas, WebGL and video all qualify
 * by behaviour. Time comes in as an argument, so the classifier is deterministic under test.
 */
export class RoiClassifier {
  private rate: Float64Array;
  private hot: Uint8Array;
  private last = 0;
  private frameRate = 0;
  private nextId = 1;
  private live: Live[] = [];

  constructor(
    private grid: TileGrid,
    private readonly opts: RoiClassifierOptions = defaultRoiOptions,
  ) {
    this.rate = new Float64Array(grid.count);
    this.hot = new Uint8Array(grid.count);
  }

  reset(grid: TileGrid): void {
    this.grid = grid;
    this.rate = new Float64Array(grid.count);
    this.hot = new Uint8Array(grid.count);
    this.live = [];
  }

  get regions(): RoiRegion[] {
    return this.live.map((l) => ({ id: l.id, rect: this.toRect(l.box) }));
  }

  /** True while some tile still has a non-negligible change rate (the caller keeps ticking). */
  get active(): boolean {
    return this.live.length > 0 || this.hot.some((h) => h === 1);
  }

  hotCount(): number {
    let n = 0;
    for (const h of this.hot) n += h;
    return n;
  }

  /** Feeds one observation (the tiles that changed since the last call) and returns the regions. */
  update(now: number, changedTiles: Iterable<number>, allowNew = true): RoiRegion[] {
    const changed = new Set(changedTiles);
    const dt = this.last === 0 ? 0 : Math.max(0, now - this.last);
    this.last = now;
    const f = Math.exp(-dt / this.opts.tauMs);
    const { rate, hot } = this;
    for (let i = 0; i < rate.length; i++) rate[i]! *= f;
    this.frameRate = Math.min(this.opts.cap, this.frameRate * f + (changed.size > 0 ? 1 : 0));
    // A tile is also hot when it changed in most recent frames (≥ 70 %), so that a slow frame rate
    // (the whole screen changing costs time to capture) does not keep video from being found.
    const relative = Math.max(this.opts.exit + 1, 0.7 * this.frameRate);
    for (const i of changed) if (i >= 0 && i < rate.length) rate[i] = Math.min(this.opts.cap, rate[i]! + 1);
    let hotN = 0;
    for (let i = 0; i < rate.length; i++) {
      hot[i] = hot[i]
        ? rate[i]! >= this.opts.exit
          ? 1
          : 0
        : rate[i]! >= Math.min(this.opts.enter, relative)
          ? 1
          : 0;
      hotN += hot[i]!;
    }
    const candidates =
      hotN >= this.opts.fullScreenShare * this.grid.count
        ? [{ c0: 0, r0: 0, c1: this.grid.cols - 1, r1: this.grid.rows - 1, n: hotN }]
        : this.components();
    this.reconcile(now, candidates, allowNew ? changed : new Set());
    return this.regions;
  }

  private components(): Box[] {
    const { cols, rows } = this.grid;
    const seen = new Uint8Array(this.hot.length);
    const boxes: Box[] = [];
    for (let start = 0; start < this.hot.length; start++) {
      if (!this.hot[start] || seen[start]) continue;
      const stack = [start];
      seen[start] = 1;
      const box: Box = { c0: cols, r0: rows, c1: -1, r1: -1, n: 0 };
      while (stack.length > 0) {
        const i = stack.pop()!;
        const c = i % cols;
        const r = (i - c) / cols;
        box.c0 = Math.min(box.c0, c);
        box.c1 = Math.max(box.c1, c);
        box.r0 = Math.min(box.r0, r);
        box.r1 = Math.max(box.r1, r);
        box.n++;
        for (let dr = -2; dr <= 2; dr++)
          for (let dc = -2; dc <= 2; dc++) {
            const rr = r + dr;
            const cc = c + dc;
            if (rr < 0 || cc < 0 || rr >= rows || cc >= cols) continue;
            const j = rr * cols + cc;
            if (this.hot[j] && !seen[j]) {
              seen[j] = 1;
              stack.push(j);
            }
          }
      }
      if (box.n >= this.opts.minTiles && box.c1 > box.c0 && box.r1 > box.r0) boxes.push(box);
    }
    // merge overlapping boxes until none overlap
    for (let changed = true; changed;) {
      changed = false;
      outer: for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++)
          if (overlaps(boxes[i]!, boxes[j]!)) {
            boxes[i] = merge(boxes[i]!, boxes[j]!);
            boxes.splice(j, 1);
            changed = true;
            break outer;
          }
    }
    return boxes;
  }

  private reconcile(now: number, candidates: Box[], changedNow: ReadonlySet<number>): void {
    const used = new Set<Box>();
    for (const l of this.live) {
      const match = candidates.filter((c) => !used.has(c) && overlaps(c, l.box));
      if (match.length === 0) continue;
      const box = match.reduce(merge);
      for (const m of match) used.add(m);
      l.lastHot = now;
      if (!sameBox(box, l.box) && now - l.lastReconfig >= this.opts.minReconfigureMs) {
        l.box = box;
        l.lastReconfig = now;
      }
    }
    this.live = this.live.filter((l) => now - l.lastHot <= this.opts.holdMs);
    const cols = this.grid.cols;
    const coChanged = (b: Box): number => {
      let n = 0;
      for (const i of changedNow) {
        const c = i % cols;
        const r = (i - c) / cols;
        if (c >= b.c0 && c <= b.c1 && r >= b.r0 && r <= b.r1) n++;
      }
      return n;
    };
    for (const c of candidates)
      if (!used.has(c) && coChanged(c) >= this.opts.minTiles)
        this.live.push({ id: this.nextId++, box: c, lastHot: now, lastReconfig: now });
    // two live regions that grew into each other become one
    for (let i = 0; i < this.live.length; i++)
      for (let j = this.live.length - 1; j > i; j--)
        if (overlaps(this.live[i]!.box, this.live[j]!.box)) {
          this.live[i]!.box = merge(this.live[i]!.box, this.live[j]!.box);
          this.live[i]!.lastReconfig = now;
          this.live.splice(j, 1);
        }
  }

  private toRect(b: Box): Rect {
    const s = this.grid.size;
    const x = b.c0 * s;
    const y = b.r0 * s;
    return {
      x,
      y,
      w: Math.min(this.grid.width, (b.c1 + 1) * s) - x,
      h: Math.min(this.grid.height, (b.r1 + 1) * s) - y,
    };
  }
}
