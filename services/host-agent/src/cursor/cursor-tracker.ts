import type { MediaSink } from '../media/media-output';
import {
  pcall,
  type CursorImage,
  type PointerReply,
  type XConnection,
  type XEvent,
} from '../x11/x-connection';

/** Premultiplied ARGB32 (X cursor image, little-endian words) → straight RGBA bytes. */
export const cursorToRgba = (argb: Buffer, width: number, height: number): Uint8Array => {
  const out = new Uint8Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const b = argb[i * 4]!;
    const g = argb[i * 4 + 1]!;
    const r = argb[i * 4 + 2]!;
    const a = argb[i * 4 + 3]!;
    const un = (c: number): number => (a === 0 ? 0 : Math.min(255, Math.round((c * 255) / a)));
    out[i * 4] = un(r);
    out[i * 4 + 1] = un(g);
    out[i * 4 + 2] = un(b);
    out[i * 4 + 3] = a;
  }
  return out;
};

/**
 * The cursor, sent beside the picture instead of drawn into it (capture never includes it):
 * XFIXES CursorNotify says the shape changed; its image is fetched once per cursor serial and
 * cached, so a shape seen before is announced as `cursor-cached`. The position is polled
 * (QueryPointer, `pollHz`) and sent only when it moved.
 */
export class CursorTracker {
  private readonly seen = new Set<number>();
  private lastSerial = -1;
  private last = { x: -1, y: -1 };
  private timer: NodeJS.Timeout | null = null;
  private onEvent = (ev: XEvent): void => {
    if (ev.name === 'CursorNotify') void this.refreshShape();
  };

  private constructor(
    private readonly x: XConnection,
    private readonly sink: MediaSink,
  ) {}

  static async start(x: XConnection, sink: MediaSink, pollHz = 30): Promise<CursorTracker> {
    const t = new CursorTracker(x, sink);
    const fixes = await x.fixes();
    x.client.on('event', t.onEvent);
    fixes.SelectCursorInput(x.root, fixes.CursorNotifyMask.DisplayCursor);
    await t.refreshShape();
    await t.poll();
    t.timer = setInterval(() => void t.poll().catch(() => undefined), 1000 / pollHz);
    return t;
  }

  /** Forget what viewers have (a new viewer): the next shape is sent in full. */
  reset(): void {
    this.seen.clear();
    this.lastSerial = -1;
    this.last = { x: -1, y: -1 };
    void this.refreshShape();
  }

  private async refreshShape(): Promise<void> {
    const fixes = await this.x.fixes();
    const img = await pcall<CursorImage>((cb) => fixes.GetCursorImage(cb));
    if (img.cursorSerial === this.lastSerial) return;
    this.lastSerial = img.cursorSerial;
    if (this.seen.has(img.cursorSerial)) {
      this.sink.emit({ kind: 'cursor-cached', serial: img.cursorSerial });
      return;
    }
    this.seen.add(img.cursorSerial);
    this.sink.emit({
      kind: 'cursor-shape',
      serial: img.cursorSerial,
      width: img.width,
      height: img.height,
      hotX: img.xhot,
      hotY: img.yhot,
      rgba: cursorToRgba(img.cursorImage as Buffer, img.width, img.height),
    });
  }

  private async poll(): Promise<void> {
    const p = await pcall<PointerReply>((cb) => this.x.client.QueryPointer(this.x.root, cb));
    if (p.rootX === this.last.x && p.rootY === this.last.y) return;
    this.last = { x: p.rootX, y: p.rootY };
    this.sink.emit({ kind: 'cursor-position', x: p.rootX, y: p.rootY, visible: true });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.x.client.removeListener('event', this.onEvent);
  }
}
