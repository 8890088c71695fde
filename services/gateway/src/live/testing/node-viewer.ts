import { encodePreamble, webSocketTransport, type LiveTransport } from '@bpane/live-transport';
import {
  FrameFlags,
  ProtocolSession,
  type CapabilityName,
  type Message,
  type Negotiated,
} from '@bpane/protocol';
import { inflateSync } from 'node:zlib';
import WebSocket from 'ws';

/**
 * A viewer in Node for tests and the benchmark: the live preamble, the protocol as viewer side, and a
 * framebuffer (0xRRGGBB words) painted from the tile stream exactly as a web client would (fills,
 * QOI lossless tiles, the content cache, copy-rects; video is counted, not decoded). The browser
 * client lives in libs/web-client.
 */

const QOI_END = 8;

/** Decodes a QOI image (qoiformat.org, spec 1.0) to 0xRRGGBB words. */
export const decodeQoi = (bytes: Uint8Array): { width: number; height: number; pixels: Uint32Array } => {
  if (
    bytes.length < 14 + QOI_END ||
    bytes[0] !== 0x71 ||
    bytes[1] !== 0x6f ||
    bytes[2] !== 0x69 ||
    bytes[3] !== 0x66
  )
    throw new Error('not a QOI image');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const width = dv.getUint32(4);
  const height = dv.getUint32(8);
  const pixels = new Uint32Array(width * height);
  const index = new Uint32Array(64 * 4);
  let r = 0;
  let g = 0;
  let b = 0;
  let a = 255;
  let p = 14;
  const end = bytes.length - QOI_END;
  let run = 0;
  for (let i = 0; i < pixels.length; i++) {
    if (run > 0) run--;
    else if (p < end) {
      const b1 = bytes[p++]!;
      if (b1 === 0xfe) {
        r = bytes[p++]!;
        g = bytes[p++]!;
        b = bytes[p++]!;
      } else if (b1 === 0xff) {
        r = bytes[p++]!;
        g = bytes[p++]!;
        b = bytes[p++]!;
        a = bytes[p++]!;
      } else if ((b1 & 0xc0) === 0x00) {
        const k = (b1 & 0x3f) * 4;
        r = index[k]!;
        g = index[k + 1]!;
        b = index[k + 2]!;
        a = index[k + 3]!;
      } else if ((b1 & 0xc0) === 0x40) {
        r = (r + ((b1 >> 4) & 3) - 2) & 255;
        g = (g + ((b1 >> 2) & 3) - 2) & 255;
        b = (b + (b1 & 3) - 2) & 255;
      } else if ((b1 & 0xc0) === 0x80) {
        const b2 = bytes[p++]!;
        const dg = (b1 & 0x3f) - 32;
        r = (r + dg - 8 + ((b2 >> 4) & 15)) & 255;
        g = (g + dg) & 255;
        b = (b + dg - 8 + (b2 & 15)) & 255;
      } else run = b1 & 0x3f;
      const k = ((r * 3 + g * 5 + b * 7 + a * 11) % 64) * 4;
      index[k] = r;
      index[k + 1] = g;
      index[k + 2] = b;
      index[k + 3] = a;
    }
    pixels[i] = (r << 16) | (g << 8) | b;
  }
  return { width, height, pixels };
};

/** Decodes an 8-bit PNG (RGB, RGBA or palette; any filter) to 0xRRGGBB words. */
export const decodePng = (bytes: Uint8Array): { width: number; height: number; pixels: Uint32Array } => {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG image');
  let width = 0;
  let height = 0;
  let type = 0;
  let palette: Buffer = Buffer.alloc(0);
  const idat: Buffer[] = [];
  for (let p = 8; p < buf.length;) {
    const len = buf.readUInt32BE(p);
    const kind = buf.toString('latin1', p + 4, p + 8);
    const data = buf.subarray(p + 8, p + 8 + len);
    if (kind === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8) throw new Error('only 8-bit PNGs are decoded here');
      type = data[9]!;
    } else if (kind === 'PLTE') palette = data;
    else if (kind === 'IDAT') idat.push(data);
    p += 12 + len;
  }
  const bpp = type === 2 ? 3 : type === 6 ? 4 : type === 3 ? 1 : 0;
  if (bpp === 0) throw new Error(`PNG colour type ${type} not decoded here`);
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * bpp;
  const cur = new Uint8Array(stride);
  let prev = new Uint8Array(stride);
  const pixels = new Uint32Array(width * height);
  for (let y = 0; y < height; y++) {
    const f = raw[y * (stride + 1)]!;
    const row = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? cur[i - bpp]! : 0;
      const b = prev[i]!;
      const c = i >= bpp ? prev[i - bpp]! : 0;
      let pr = 0;
      if (f === 1) pr = a;
      else if (f === 2) pr = b;
      else if (f === 3) pr = (a + b) >> 1;
      else if (f === 4) {
        const pa = Math.abs(b - c);
        const pb = Math.abs(a - c);
        const pc = Math.abs(a + b - 2 * c);
        pr = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      cur[i] = (row[i]! + pr) & 255;
    }
    for (let x = 0; x < width; x++) {
      if (type === 3) {
        const k = cur[x]! * 3;
        pixels[y * width + x] = (palette[k]! << 16) | (palette[k + 1]! << 8) | palette[k + 2]!;
      } else {
        const k = x * bpp;
        pixels[y * width + x] = (cur[k]! << 16) | (cur[k + 1]! << 8) | cur[k + 2]!;
      }
    }
    prev = Uint8Array.from(cur);
  }
  return { width, height, pixels };
};

export type NodeViewerOptions = Readonly<{
  url: string;
  ticket: string;
  cacheEntries?: number;
  optional?: readonly CapabilityName[];
}>;

type Cached = { w: number; h: number; pixels: Uint32Array };

export class NodeViewer {
  readonly ws: WebSocket;
  readonly transport: LiveTransport;
  readonly session: ProtocolSession;
  readonly counts: Record<string, number> = {};
  readonly notices: string[] = [];
  readonly roleChanges: { role: string; permissions: number }[] = [];
  /** Text messages before the protocol (refusals). */
  readonly texts: string[] = [];
  width = 0;
  height = 0;
  fb = new Uint32Array(0);
  snapshots = 0;
  framesPresented = 0;
  /** Called at every frameEnd, after the frame is applied. */
  onPresent: ((viewer: NodeViewer) => void) | null = null;
  negotiated: Negotiated | null = null;
  closed: { code: number; reason: string } | null = null;
  readonly opened: Promise<Negotiated>;
  readonly done: Promise<{ code: number; reason: string }>;
  private readonly cache = new Map<number, Cached>();
  private readonly listeners = new Set<(m: Message) => void>();

  constructor(opts: NodeViewerOptions) {
    this.ws = new WebSocket(opts.url, { perMessageDeflate: false });
    this.transport = webSocketTransport(this.ws, {
      onText: (text) => this.texts.push(text),
    });
    let resolveOpen!: (n: Negotiated) => void;
    let rejectOpen!: (e: Error) => void;
    this.opened = new Promise((res, rej) => {
      resolveOpen = res;
      rejectOpen = rej;
    });
    this.opened.catch(() => undefined);
    this.done = new Promise((res) => this.transport.onClose((info) => res(info)));
    this.session = new ProtocolSession(
      {
        side: 'viewer',
        peer: 'tool',
        agent: 'bpane-node-viewer/0.1',
        required: ['tilesLossless'],
        optional: opts.optional ?? [
          'tilesCache',
          'tilesCopyRect',
          'videoH264',
          'cursorImage',
          'clipboardText',
          'feedback',
        ],
      },
      {
        send: (frame) => this.transport.send(frame),
        open: (n) => {
          this.negotiated = n;
          this.session.send({
            channel: 'control',
            type: 'capabilities',
            losslessCodecs: 0x2 | 0x8,
            lossyCodecs: 0,
            cacheEntries: opts.cacheEntries ?? 8192,
            cacheBytes: 128 * 1024 * 1024,
            maxClipboardBytes: 1024 * 1024,
            maxFileBytes: 0,
          });
          resolveOpen(n);
        },
        message: (m) => this.apply(m),
        close: (code, reason) => this.transport.close(code, reason),
      },
    );
    this.transport.onData((c) => this.session.receiveBytes(c));
    this.transport.onClose((info) => {
      this.closed = info;
      this.session.transportClosed();
      rejectOpen(new Error(`closed ${info.code} ${info.reason} ${this.texts.join(' ')}`));
    });
    this.ws.on('open', () => {
      this.ws.send(encodePreamble(opts.ticket));
      this.session.start();
    });
  }

  /** Resolves with the first message that satisfies `pred`. */
  next(pred: (m: Message) => boolean, timeoutMs = 10_000): Promise<Message> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.listeners.delete(l);
        reject(new Error('timed out waiting for a message'));
      }, timeoutMs);
      const l = (m: Message): void => {
        if (!pred(m)) return;
        clearTimeout(t);
        this.listeners.delete(l);
        resolve(m);
      };
      this.listeners.add(l);
    });
  }

  send(m: Message): void {
    this.session.send(m);
  }

  /** Stops reading from the socket (a slow viewer); `resume()` reads again. */
  pause(): void {
    this.ws.pause();
  }

  resume(): void {
    this.ws.resume();
  }

  close(): void {
    this.ws.terminate();
  }

  /** The framebuffer region as 0xRRGGBB words. */
  region(x: number, y: number, w: number, h: number): Uint32Array {
    const out = new Uint32Array(w * h);
    for (let r = 0; r < h; r++)
      out.set(this.fb.subarray((y + r) * this.width + x, (y + r) * this.width + x + w), r * w);
    return out;
  }

  private blit(x: number, y: number, w: number, h: number, px: Uint32Array): void {
    for (let r = 0; r < h; r++) {
      if (y + r >= this.height) break;
      const row = px.subarray(r * w, r * w + Math.min(w, this.width - x));
      this.fb.set(row, (y + r) * this.width + x);
    }
  }

  private apply(m: Message): void {
    const k = `${m.channel}.${m.type}`;
    this.counts[k] = (this.counts[k] ?? 0) + 1;
    if (m.channel === 'control') {
      if (m.type === 'displayConfig' && (m.width !== this.width || m.height !== this.height)) {
        this.width = m.width;
        this.height = m.height;
        this.fb = new Uint32Array(m.width * m.height);
      } else if (m.type === 'sessionNotice') this.notices.push(`${m.kind}:${m.message}`);
      else if (m.type === 'roleChanged') this.roleChanges.push({ role: m.role, permissions: m.permissions });
    } else if (m.channel === 'tiles') {
      switch (m.type) {
        case 'frameBegin':
          if ((m.flags & FrameFlags.snapshot) !== 0) this.snapshots++;
          break;
        case 'frameEnd':
          this.framesPresented++;
          this.onPresent?.(this);
          break;
        case 'fill': {
          const px = new Uint32Array(m.width * m.height).fill(m.rgba >>> 8);
          this.blit(m.x, m.y, m.width, m.height, px);
          break;
        }
        case 'lossless': {
          if (m.codec !== 'qoi' && m.codec !== 'png') throw new Error(`codec ${m.codec} not decoded here`);
          const img = m.codec === 'qoi' ? decodeQoi(m.data) : decodePng(m.data);
          this.blit(m.x, m.y, m.width, m.height, img.pixels);
          if (m.cacheId !== 0) this.cache.set(m.cacheId, { w: m.width, h: m.height, pixels: img.pixels });
          break;
        }
        case 'cacheRef': {
          const c = this.cache.get(m.cacheId);
          if (c === undefined) {
            this.session.send({
              channel: 'tiles',
              type: 'cacheMiss',
              frameSeq: 0,
              cacheId: m.cacheId,
              x: m.x,
              y: m.y,
            });
            break;
          }
          this.blit(m.x, m.y, c.w, c.h, c.pixels);
          break;
        }
        case 'cacheEvict':
          this.cache.delete(m.cacheId);
          break;
        case 'copyRect': {
          const src = this.region(m.srcX, m.srcY, m.width, m.height);
          this.blit(m.dstX, m.dstY, m.width, m.height, src);
          break;
        }
        default:
          break;
      }
    }
    for (const l of [...this.listeners]) l(m);
  }

  get cacheSize(): number {
    return this.cache.size;
  }
}
