/** Axis-aligned rectangle in screen pixels (x, y of the top-left corner; w, h ≥ 0). */
export type Rect = Readonly<{ x: number; y: number; w: number; h: number }>;

export const rectArea = (r: Rect): number => r.w * r.h;

export const intersect = (a: Rect, b: Rect): Rect | null => {
  const x = Math.max(a.x, b.x);
  const y = Math.max(a.y, b.y);
  const x2 = Math.min(a.x + a.w, b.x + b.w);
  const y2 = Math.min(a.y + a.h, b.y + b.h);
  return x2 > x && y2 > y ? { x, y, w: x2 - x, h: y2 - y } : null;
};

export const union = (a: Rect, b: Rect): Rect => {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  return { x, y, w: Math.max(a.x + a.w, b.x + b.w) - x, h: Math.max(a.y + a.h, b.y + b.h) - y };
};

export const contains = (outer: Rect, inner: Rect): boolean =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.w <= outer.x + outer.w &&
  inner.y + inner.h <= outer.y + outer.h;

export const rectsEqual = (a: Rect, b: Rect): boolean =>
  a.x === b.x && a.y === b.y && a.w === b.w && a.h === b.h;

/**
 * The tile grid of a screen: `cols × rows` tiles of `size` px; the last column and row may be
 * narrower (a 1280×720 screen with 64 px tiles has 20×12 tiles, the last row 16 px tall).
 */
export class TileGrid {
  readonly cols: number;
  readonly rows: number;
  readonly count: number;

  constructor(
    readonly width: number,
    readonly height: number,
    readonly size: number,
  ) {
    this.cols = Math.ceil(width / size);
    this.rows = Math.ceil(height / size);
    this.count = this.cols * this.rows;
  }

  index(col: number, row: number): number {
    return row * this.cols + col;
  }

  /** Pixel rectangle of tile `i` (clipped to the screen). */
  rect(i: number): Rect {
    const col = i % this.cols;
    const row = Math.floor(i / this.cols);
    const x = col * this.size;
    const y = row * this.size;
    return { x, y, w: Math.min(this.size, this.width - x), h: Math.min(this.size, this.height - y) };
  }

  /** Indices of the tiles a pixel rectangle touches. */
  tilesIn(r: Rect, out: Set<number> = new Set()): Set<number> {
    const c = intersect(r, { x: 0, y: 0, w: this.width, h: this.height });
    if (!c) return out;
    const c0 = Math.floor(c.x / this.size);
    const c1 = Math.floor((c.x + c.w - 1) / this.size);
    const r0 = Math.floor(c.y / this.size);
    const r1 = Math.floor((c.y + c.h - 1) / this.size);
    for (let row = r0; row <= r1; row++) for (let col = c0; col <= c1; col++) out.add(row * this.cols + col);
    return out;
  }

  /** Grows a rectangle outwards to tile boundaries (clipped to the screen). */
  align(r: Rect): Rect {
    const s = this.size;
    const x = Math.floor(r.x / s) * s;
    const y = Math.floor(r.y / s) * s;
    const x2 = Math.min(this.width, Math.ceil((r.x + r.w) / s) * s);
    const y2 = Math.min(this.height, Math.ceil((r.y + r.h) / s) * s);
    return { x, y, w: x2 - x, h: y2 - y };
  }
}

/**
 * Merges rectangles into a few non-overlapping bands that cover them (tile-aligned rows of the
 * grid, runs of dirty tiles merged horizontally and then identical runs merged vertically). Used
 * to turn many small damage rectangles into a few capture requests.
 */
export const coverTiles = (grid: TileGrid, tiles: ReadonlySet<number>): Rect[] => {
  const runs: { c0: number; c1: number; r0: number; r1: number }[] = [];
  const open = new Map<string, { c0: number; c1: number; r0: number; r1: number }>();
  for (let row = 0; row < grid.rows; row++) {
    const rowRuns: [number, number][] = [];
    let start = -1;
    for (let col = 0; col <= grid.cols; col++) {
      const on = col < grid.cols && tiles.has(row * grid.cols + col);
      if (on && start < 0) start = col;
      if (!on && start >= 0) {
        rowRuns.push([start, col - 1]);
        start = -1;
      }
    }
    const next = new Map<string, { c0: number; c1: number; r0: number; r1: number }>();
    for (const [c0, c1] of rowRuns) {
      const key = `${c0}:${c1}`;
      const prev = open.get(key);
      if (prev && prev.r1 === row - 1) {
        prev.r1 = row;
        next.set(key, prev);
      } else {
        const run = { c0, c1, r0: row, r1: row };
        runs.push(run);
        next.set(key, run);
      }
    }
    open.clear();
    for (const [k, v] of next) open.set(k, v);
  }
  return runs.map((r) => {
    const x = r.c0 * grid.size;
    const y = r.r0 * grid.size;
    return {
      x,
      y,
      w: Math.min(grid.width, (r.c1 + 1) * grid.size) - x,
      h: Math.min(grid.height, (r.r1 + 1) * grid.size) - y,
    };
  });
};
