/// <reference lib="webworker" />
/**
 * The render worker (ADR 0015): owns the visible canvas (an OffscreenCanvas), decodes tile payloads
 * and ROI video off the main thread, and draws with Canvas2D.
 *
 * - A tiles frame arrives whole (frameBegin … frameEnd). Payloads are decoded first — cache
 *   references never decode: the cache is consulted before anything else — then every operation is
 *   applied in order in one task, so the frame appears atomically.
 * - PNG payloads go through `createImageBitmap` (no colour conversion); QOI is decoded in JS into
 *   `ImageData`; raw RGBA becomes `ImageData` directly.
 * - H.264 ROI streams decode with WebCodecs `VideoDecoder`; each picture is drawn at its access
 *   unit's ROI rectangle.
 */
import { BitmapCache } from './bitmap-cache';
import { decodeQoiRgba } from './qoi';
import type { FromWorker, RenderMessage, ToWorker } from './render-messages';

type Pixels =
  | { readonly kind: 'bitmap'; readonly image: ImageBitmap }
  | { readonly kind: 'data'; readonly image: ImageData };

type VideoStream = {
  decoder: VideoDecoder | null;
  codec: string;
  width: number;
  height: number;
  needKey: boolean;
  /** ROI rectangle and submit time of each unit in the decoder, in decode order. */
  pending: { x: number; y: number; w: number; h: number; at: number }[];
};

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (m: FromWorker, transfer: Transferable[] = []): void => scope.postMessage(m, transfer);

let canvas: OffscreenCanvas | null = null;
let ctx: OffscreenCanvasRenderingContext2D | null = null;
let cache = new BitmapCache<Pixels>(8192, 128 * 1024 * 1024, (p) => {
  if (p.kind === 'bitmap') p.image.close();
});
const streams = new Map<number, VideoStream>();
let queue: Promise<void> = Promise.resolve();
let generation = 0;

const decodePayload = async (m: Extract<RenderMessage, { type: 'lossless' | 'lossy' }>): Promise<Pixels> => {
  if (m.type === 'lossless' && m.codec === 'qoi')
    return {
      kind: 'data',
      image: new ImageData(decodeQoiRgba(m.data, m.width, m.height), m.width, m.height),
    };
  if (m.type === 'lossless' && m.codec === 'rawRgba') {
    if (m.data.length !== m.width * m.height * 4) throw new Error('raw tile has the wrong size');
    const rgba = new Uint8ClampedArray(m.data.length);
    rgba.set(m.data);
    return { kind: 'data', image: new ImageData(rgba, m.width, m.height) };
  }
  if (m.type === 'lossless' && m.codec === 'zstdRgba')
    throw new Error('zstdRgba tiles are not decoded by this client');
  const mime = m.type === 'lossy' ? (m.codec === 'jpeg' ? 'image/jpeg' : 'image/webp') : 'image/png';
  const image = await createImageBitmap(new Blob([m.data as Uint8Array<ArrayBuffer>], { type: mime }), {
    colorSpaceConversion: 'none',
    premultiplyAlpha: 'none',
  });
  return { kind: 'bitmap', image };
};

const draw = (c: OffscreenCanvasRenderingContext2D, p: Pixels, x: number, y: number): void => {
  if (p.kind === 'data') c.putImageData(p.image, x, y);
  else c.drawImage(p.image, x, y);
};

const rgbaCss = (v: number): string =>
  `rgba(${v >>> 24},${(v >>> 16) & 255},${(v >>> 8) & 255},${(v & 255) / 255})`;

const applyFrame = async (messages: readonly RenderMessage[]): Promise<void> => {
  const gen = generation;
  const t0 = performance.now();
  let frameSeq = 0;
  // decode every payload of the frame first (in parallel); cache references decode nothing
  const decoded = new Map<RenderMessage, Pixels>();
  await Promise.all(
    messages.map(async (m) => {
      if (m.channel === 'tiles' && (m.type === 'lossless' || m.type === 'lossy'))
        decoded.set(m, await decodePayload(m));
    }),
  );
  if (gen !== generation || ctx === null) {
    for (const p of decoded.values()) if (p.kind === 'bitmap') p.image.close();
    return;
  }
  const c = ctx;
  let tiles = 0;
  let hits = 0;
  for (const m of messages) {
    if (m.channel !== 'tiles') continue;
    switch (m.type) {
      case 'frameBegin':
        frameSeq = m.seq;
        break;
      case 'fill':
        c.fillStyle = rgbaCss(m.rgba);
        c.fillRect(m.x, m.y, m.width, m.height);
        break;
      case 'lossless':
      case 'lossy': {
        const p = decoded.get(m)!;
        draw(c, p, m.x, m.y);
        tiles++;
        if (m.cacheId !== 0) cache.set(m.cacheId, p, m.width * m.height * 4);
        else if (p.kind === 'bitmap') p.image.close();
        break;
      }
      case 'cacheRef': {
        const p = cache.get(m.cacheId);
        if (p === undefined) post({ t: 'cacheMiss', frameSeq, cacheId: m.cacheId, x: m.x, y: m.y });
        else {
          draw(c, p, m.x, m.y);
          hits++;
        }
        break;
      }
      case 'cacheEvict':
        cache.delete(m.cacheId);
        break;
      case 'copyRect':
        if (canvas !== null)
          c.drawImage(canvas, m.srcX, m.srcY, m.width, m.height, m.dstX, m.dstY, m.width, m.height);
        break;
      case 'invalidate':
        c.fillStyle = '#202124';
        c.fillRect(m.x, m.y, m.width, m.height);
        break;
      case 'frameEnd':
        post({
          t: 'presented',
          seq: m.seq,
          decodeUs: Math.round((performance.now() - t0) * 1000),
          tiles,
          cacheHits: hits,
        });
        break;
      default:
        break;
    }
  }
};

const closeStream = (id: number): void => {
  const s = streams.get(id);
  if (s === undefined) return;
  if (s.decoder !== null && s.decoder.state !== 'closed') s.decoder.close();
  streams.delete(id);
};

const makeDecoder = (id: number, s: VideoStream): VideoDecoder => {
  const decoder = new VideoDecoder({
    output: (frame) => {
      const r = s.pending.shift();
      if (r !== undefined && ctx !== null) {
        ctx.drawImage(frame, r.x, r.y, r.w, r.h);
        post({ t: 'video', streamId: id, decodeUs: Math.round((performance.now() - r.at) * 1000) });
      }
      frame.close();
    },
    error: (e) => {
      post({ t: 'error', message: `video stream ${id}: ${e.message}` });
      s.decoder = null;
      s.needKey = true;
      s.pending = [];
      post({ t: 'keyframe', streamId: id });
    },
  });
  decoder.configure({ codec: s.codec, optimizeForLatency: true, codedWidth: s.width, codedHeight: s.height });
  return decoder;
};

const applyVideo = (m: Extract<RenderMessage, { channel: 'video' }>): void => {
  switch (m.type) {
    case 'streamConfig': {
      closeStream(m.streamId);
      streams.set(m.streamId, {
        decoder: null,
        codec: m.codecString,
        width: m.width,
        height: m.height,
        needKey: true,
        pending: [],
      });
      return;
    }
    case 'accessUnit': {
      const s = streams.get(m.streamId);
      if (s === undefined) return;
      const key = (m.flags & 1) !== 0;
      if (s.needKey && !key) {
        post({ t: 'dropped', streamId: m.streamId, count: 1 });
        return;
      }
      if (s.decoder === null || (m.flags & 4) !== 0) {
        if (s.decoder !== null && s.decoder.state !== 'closed') s.decoder.close();
        s.pending = [];
        s.decoder = makeDecoder(m.streamId, s);
      }
      s.needKey = false;
      s.pending.push({ x: m.roiX, y: m.roiY, w: m.roiWidth, h: m.roiHeight, at: performance.now() });
      s.decoder.decode(
        new EncodedVideoChunk({
          type: key ? 'key' : 'delta',
          timestamp: m.timestampUs,
          data: m.data,
        }),
      );
      return;
    }
    case 'streamEnd':
      closeStream(m.streamId);
      return;
    case 'fragment':
      // fragments only travel as WebTransport datagrams (videoDatagrams), never negotiated here
      return;
  }
};

const reset = (): void => {
  generation++;
  cache.clear();
  for (const id of [...streams.keys()]) closeStream(id);
};

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const m = event.data;
  switch (m.t) {
    case 'init':
      canvas = m.canvas;
      ctx = canvas.getContext('2d', { alpha: false });
      if (ctx !== null) ctx.imageSmoothingEnabled = false;
      cache = new BitmapCache<Pixels>(m.cacheEntries, m.cacheBytes, (p) => {
        if (p.kind === 'bitmap') p.image.close();
      });
      return;
    case 'display':
      if (canvas !== null && (canvas.width !== m.width || canvas.height !== m.height)) {
        canvas.width = m.width;
        canvas.height = m.height;
        if (ctx !== null) ctx.imageSmoothingEnabled = false;
      }
      return;
    case 'batch': {
      const messages = m.messages;
      const first = messages[0];
      if (first === undefined) return;
      if (first.channel === 'video') {
        // video keeps its own order; it is queued behind pending tile frames
        queue = queue.then(() => {
          for (const v of messages) if (v.channel === 'video') applyVideo(v);
        });
        return;
      }
      queue = queue.then(() =>
        applyFrame(messages).catch((e: unknown) => {
          post({ t: 'error', message: `tile frame: ${e instanceof Error ? e.message : String(e)}` });
        }),
      );
      return;
    }
    case 'reset':
      reset();
      return;
    case 'read': {
      queue = queue.then(() => {
        if (ctx === null) return post({ t: 'read', id: m.id, rgba: null });
        const data = ctx.getImageData(m.x, m.y, m.width, m.height).data;
        post({ t: 'read', id: m.id, rgba: data }, [data.buffer]);
      });
      return;
    }
  }
};
