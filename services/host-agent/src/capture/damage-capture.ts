import { pcall, XConnection, type ShmSegment, type XEvent } from '../x11/x-connection';
import type { Rect } from '../tiles/geometry';

/**
 * Damage-scoped screen capture (ADR 0004). XDAMAGE (raw rectangles) on the root window says what
 * changed; only those rectangles are read back, through MIT-SHM `GetImage` into a shared segment
 * (core `GetImage` when SHM cannot attach), and copied into `frame`, the agent's copy of the
 * screen. Nothing reads the whole screen unless the whole screen changed.
 */
export class DamageCapture {
  frame: Uint32Array;
  width: number;
  height: number;
  private pending: Rect[] = [];
  private damageId = 0;
  private seg: ShmSegment | null = null;
  private segView: Uint32Array | null = null;
  private listeners = new Set<() => void>();
  bytesRead = 0;
  requests = 0;

  private constructor(
    readonly x: XConnection,
    size: { width: number; height: number },
  ) {
    this.width = size.width;
    this.height = size.height;
    this.frame = new Uint32Array(size.width * size.height);
  }

  static async open(
    display: number,
    opts: { shm?: boolean; maxPixels?: number } = {},
  ): Promise<DamageCapture> {
    const x = await XConnection.open(display);
    const cap = new DamageCapture(x, await x.geometry());
    const damage = await x.damage();
    cap.damageId = x.client.AllocID();
    damage.Create(cap.damageId, x.root, damage.ReportLevel.RawRectangles);
    x.client.on('event', (ev: XEvent) => {
      if (ev.name !== 'DamageNotify') return;
      const a = ev['area'] as { x: number; y: number; w: number; h: number };
      cap.pending.push({ x: a.x, y: a.y, w: a.w, h: a.h });
      for (const l of cap.listeners) l();
    });
    if (opts.shm !== false) {
      try {
        const shm = await x.shm();
        if (shm.provider) {
          const size = (opts.maxPixels ?? 3840 * 2160) * 4;
          cap.seg = await pcall<ShmSegment>((cb) => shm.createSegment(size, cb));
          const b = cap.seg.buffer;
          cap.segView =
            b.byteOffset % 4 === 0 ? new Uint32Array(b.buffer, b.byteOffset, b.length >> 2) : null;
        }
      } catch {
        cap.seg = null; // fall back to core GetImage
      }
    }
    await x.sync();
    return cap;
  }

  get usesShm(): boolean {
    return this.seg !== null;
  }

  /** Called on every damage notification (the engine schedules a frame). */
  onDamage(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The damage rectangles since the last call, clipped to the screen. */
  takeDamage(): Rect[] {
    const out: Rect[] = [];
    for (const r of this.pending) {
      const x = Math.max(0, r.x);
      const y = Math.max(0, r.y);
      const x2 = Math.min(this.width, r.x + r.w);
      const y2 = Math.min(this.height, r.y + r.h);
      if (x2 > x && y2 > y) out.push({ x, y, w: x2 - x, h: y2 - y });
    }
    this.pending = [];
    return out;
  }

  get hasDamage(): boolean {
    return this.pending.length > 0;
  }

  /** Screen size changed (RANDR): a new, fully captured frame. */
  async resize(size: { width: number; height: number }): Promise<void> {
    this.width = size.width;
    this.height = size.height;
    this.frame = new Uint32Array(size.width * size.height);
    this.pending = [];
    await this.capture([{ x: 0, y: 0, w: size.width, h: size.height }]);
  }

  /** Reads the given rectangles of the screen into `frame`. */
  async capture(rects: readonly Rect[]): Promise<void> {
    for (const r of rects) {
      if (r.w <= 0 || r.h <= 0) continue;
      this.requests++;
      this.bytesRead += r.w * r.h * 4;
      let src: Uint32Array;
      if (this.seg && r.w * r.h * 4 <= this.seg.size) {
        const seg = this.seg;
        await pcall<{ size: number }>((cb) =>
          seg.getImage(this.x.root, r.x, r.y, r.w, r.h, 0xffffffff, 2, 0, cb),
        );
        src = this.segView ?? new Uint32Array(Uint8Array.from(seg.buffer.subarray(0, r.w * r.h * 4)).buffer);
      } else {
        const data = await this.x.getImage(r.x, r.y, r.w, r.h);
        src =
          data.byteOffset % 4 === 0
            ? new Uint32Array(data.buffer, data.byteOffset, data.length >> 2)
            : new Uint32Array(Uint8Array.from(data).buffer);
      }
      for (let row = 0; row < r.h; row++)
        this.frame.set(src.subarray(row * r.w, (row + 1) * r.w), (r.y + row) * this.width + r.x);
    }
  }

  close(): void {
    try {
      if (this.damageId) void this.x.damage().then((d) => d.Destroy(this.damageId));
      this.seg?.detach();
    } catch {
      /* connection gone */
    }
    setTimeout(() => this.x.close(), 20);
  }
}
