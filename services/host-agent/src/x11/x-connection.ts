import { createRequire } from 'node:module';

/**
 * A typed, promise-based face over the pure-JS npm `x11` client: only the requests the host agent
 * uses (core, DAMAGE, XFIXES, XTEST, RANDR, MIT-SHM). The package ships no typings; the shapes
 * below follow its sources (lib/corereqs.js, lib/ext/*.js) at version 4.2.x.
 */
type Cb<T> = (err: Error | null, value: T) => void;

export type XEvent = Readonly<Record<string, unknown>> & { name: string; type: number };

export type GeometryReply = { width: number; height: number; xPos: number; yPos: number; depth: number };
export type PointerReply = { rootX: number; rootY: number; keyMask: number; child: number };
export type PropertyReply = { type: number; format: number; bytesAfter: number; data: Buffer };

export interface XClientRaw {
  AllocID(): number;
  ReleaseID(id: number): void;
  on(event: 'event', cb: (ev: XEvent) => void): void;
  on(event: 'error', cb: (err: Error) => void): void;
  on(event: 'end' | 'close', cb: () => void): void;
  removeListener(event: string, cb: (...args: never[]) => void): void;
  require(ext: string, cb: Cb<unknown>): void;
  terminate(): void;
  close(cb?: () => void): void;
  GetImage(
    format: number,
    drawable: number,
    x: number,
    y: number,
    w: number,
    h: number,
    planeMask: number,
    cb: Cb<{ data: Buffer; depth: number }>,
  ): void;
  GetGeometry(drawable: number, cb: Cb<GeometryReply>): void;
  QueryPointer(wid: number, cb: Cb<PointerReply>): void;
  InternAtom(onlyIfExists: boolean, name: string, cb: Cb<number>): void;
  GetAtomName(atom: number, cb: Cb<string>): void;
  CreateWindow(
    wid: number,
    parent: number,
    x: number,
    y: number,
    w: number,
    h: number,
    border: number,
    depth: number,
    cls: number,
    visual: number,
    values: Record<string, number>,
  ): void;
  ChangeWindowAttributes(wid: number, values: Record<string, number>): void;
  ChangeProperty(
    mode: number,
    wid: number,
    name: number,
    type: number,
    units: number,
    data: Buffer | number[],
  ): void;
  GetProperty(
    del: number,
    wid: number,
    name: number,
    type: number,
    longOffset: number,
    longLength: number,
    cb: Cb<PropertyReply>,
  ): void;
  DeleteProperty(wid: number, prop: number): void;
  SetSelectionOwner(owner: number, selection: number, time?: number): void;
  GetSelectionOwner(selection: number, cb: Cb<number>): void;
  ConvertSelection(
    requestor: number,
    selection: number,
    target: number,
    property: number,
    time?: number,
  ): void;
  SendEvent(destination: number, propagate: number, eventMask: number, event: Record<string, unknown>): void;
  GetKeyboardMapping(first: number, count: number, cb: Cb<number[][]>): void;
  ChangeKeyboardMapping(first: number, perKeycode: number, keysyms: number[]): void;
  GetInputFocus(cb: Cb<unknown>): void;
  WarpPointer(
    srcWin: number,
    dstWin: number,
    srcX: number,
    srcY: number,
    srcW: number,
    srcH: number,
    dstX: number,
    dstY: number,
  ): void;
}

export type XScreen = {
  root: number;
  pixel_width: number;
  pixel_height: number;
  root_depth: number;
  root_visual: number;
};
export type XDisplayRaw = { client: XClientRaw; screen: XScreen[]; min_keycode: number; max_keycode: number };

export interface DamageExt {
  ReportLevel: { RawRectangles: number; DeltaRectangles: number; BoundingBox: number; NonEmpty: number };
  Create(damage: number, drawable: number, level: number): void;
  Destroy(damage: number): void;
  Subtract(damage: number, repair: number, parts: number): void;
}
export type CursorImage = {
  x: number;
  y: number;
  width: number;
  height: number;
  xhot: number;
  yhot: number;
  cursorSerial: number;
  cursorImage: Buffer | Uint32Array | number[];
};
export interface FixesExt {
  SelectCursorInput(win: number, mask: number): void;
  GetCursorImage(cb: Cb<CursorImage>): void;
  SelectSelectionInput(win: number, selection: number, mask: number): void;
  CursorNotifyMask: { DisplayCursor: number };
  SelectionEventMask: {
    SetSelectionOwner: number;
    SelectionWindowDestroy: number;
    SelectionClientClose: number;
  };
}
export interface XTestExt {
  FakeInput(type: number, detail: number, time: number, wid: number, x: number, y: number): void;
  KeyPress: number;
  KeyRelease: number;
  ButtonPress: number;
  ButtonRelease: number;
  MotionNotify: number;
}
export type ModeInfo = { id: number; width: number; height: number; name: string };
export type ScreenResources = {
  config_timestamp: number;
  crtcs: number[];
  outputs: number[];
  modeinfos: ModeInfo[];
};
export interface RandrExt {
  GetScreenSizeRange(
    win: number,
    cb: Cb<{ minWidth: number; minHeight: number; maxWidth: number; maxHeight: number }>,
  ): void;
  GetScreenResources(win: number, cb: Cb<ScreenResources>): void;
  CreateMode(win: number, mode: Record<string, number | string>, cb: Cb<number>): void;
  AddOutputMode(output: number, mode: number): void;
  DeleteOutputMode(output: number, mode: number): void;
  DestroyMode(mode: number): void;
  SetCrtcConfig(
    crtc: number,
    ts: number,
    configTs: number,
    x: number,
    y: number,
    mode: number,
    rotation: number,
    outputs: number[],
    cb: Cb<{ status: number }>,
  ): void;
  SetScreenSize(win: number, w: number, h: number, mmW: number, mmH: number): void;
  SelectInput(win: number, mask: number): void;
}
export interface ShmSegment {
  shmseg: number;
  size: number;
  buffer: Buffer;
  getImage(
    drawable: number,
    x: number,
    y: number,
    w: number,
    h: number,
    planeMask: number,
    format: number,
    offset: number,
    cb: Cb<{ size: number }>,
  ): void;
  detach(cb?: () => void): void;
}
export interface ShmExt {
  createSegment(size: number, cb: Cb<ShmSegment>): void;
  provider: unknown;
}

type X11Module = {
  createClient(opts: { display: string }, cb: (err: Error | null, display: XDisplayRaw) => void): XClientRaw;
  eventMask: Record<string, number>;
};

const x11 = createRequire(import.meta.url)('x11') as X11Module;
export const eventMask = x11.eventMask;

export const pcall = <T>(fn: (cb: Cb<T>) => void): Promise<T> =>
  new Promise<T>((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));

/** One connection to an X display, with the extensions loaded lazily and cached. */
export class XConnection {
  private readonly exts = new Map<string, Promise<unknown>>();
  private closed = false;
  /** X protocol errors seen on this connection (they arrive asynchronously). */
  readonly errors: Error[] = [];

  private constructor(
    readonly display: XDisplayRaw,
    readonly displayNumber: number,
  ) {
    this.client.on('error', (err) => {
      this.errors.push(err);
      if (this.errors.length > 100) this.errors.shift();
    });
  }

  static async open(displayNumber: number, timeoutMs = 5000): Promise<XConnection> {
    return await new Promise<XConnection>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`X display :${displayNumber} did not answer`)),
        timeoutMs,
      );
      const client = x11.createClient({ display: `:${displayNumber}` }, (err, display) => {
        clearTimeout(timer);
        if (err) reject(err);
        else resolve(new XConnection(display, displayNumber));
      });
      client.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
  }

  get client(): XClientRaw {
    return this.display.client;
  }
  get root(): number {
    return this.display.screen[0]!.root;
  }
  get screen(): XScreen {
    return this.display.screen[0]!;
  }

  private ext<T>(name: string): Promise<T> {
    let p = this.exts.get(name);
    if (!p) {
      p = pcall<unknown>((cb) => this.client.require(name, cb));
      this.exts.set(name, p);
    }
    return p as Promise<T>;
  }
  damage(): Promise<DamageExt> {
    return this.ext<DamageExt>('damage');
  }
  fixes(): Promise<FixesExt> {
    return this.ext<FixesExt>('fixes');
  }
  xtest(): Promise<XTestExt> {
    return this.ext<XTestExt>('xtest');
  }
  randr(): Promise<RandrExt> {
    return this.ext<RandrExt>('randr');
  }
  shm(): Promise<ShmExt> {
    return this.ext<ShmExt>('shm');
  }

  async geometry(): Promise<{ width: number; height: number }> {
    const g = await pcall<GeometryReply>((cb) => this.client.GetGeometry(this.root, cb));
    return { width: g.width, height: g.height };
  }

  async atom(name: string): Promise<number> {
    return await pcall<number>((cb) => this.client.InternAtom(false, name, cb));
  }

  /** A round trip: resolves after the server has processed every request sent before it. */
  async sync(): Promise<void> {
    await pcall<PointerReply>((cb) => this.client.QueryPointer(this.root, cb));
  }

  /** Core GetImage (ZPixmap, BGRx on a 24-bit TrueColor screen). */
  async getImage(x: number, y: number, w: number, h: number): Promise<Buffer> {
    const img = await pcall<{ data: Buffer }>((cb) =>
      this.client.GetImage(2, this.root, x, y, w, h, 0xffffffff, cb),
    );
    return img.data;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.client.terminate();
    } catch {
      /* already closed */
    }
  }
}
