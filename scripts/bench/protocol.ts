/**
 * Wire-protocol throughput on one core.
 *
 *   npm run bench:protocol [-- --quick] [--seconds 3] [--chunk 65536] [--out bench-results/protocol.json]
 *
 * Builds a realistic stream — tile frames (frameBegin, QOI/zstd tiles of 1–12 KiB, fills, cache
 * references, copyRect, frameEnd) interleaved with ROI H.264 access units (2–60 KiB, a keyframe of
 * ~120 KiB every 60) plus cursor, input and feedback traffic — and measures:
 *   decode_mb_s    StreamDecoder.push over the stream in `--chunk` byte reads, messages fully decoded
 *   framing_mb_s   StreamDecoder.pushFrames (header validation and splitting only, as a relay does)
 *   encode_mb_s    encodeInto into one preallocated buffer
 *   heap_bytes_per_frame  heap growth per decoded frame, from GC-free batches
 *   small_frames_per_s    decode rate of a stream of small frames only (input-heavy traffic)
 * and writes bench-results/protocol.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { StreamDecoder, encodeInto, encodedSize, type Message } from '@bpane/protocol';

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    seconds: { type: 'string' },
    chunk: { type: 'string', default: '65536' },
    out: { type: 'string', default: 'bench-results/protocol.json' },
  },
});

const seconds = Number(values.seconds ?? (values.quick ? 1.5 : 4));
const chunkSize = Number(values.chunk);
const TARGET_DECODE_MB_S = 1000;

/** Deterministic PRNG (mulberry32) so every run measures the same stream. */
const rng = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const buildMix = (
  targetBytes: number,
): { messages: Message[]; bytes: number; kinds: Record<string, number> } => {
  const rand = rng(42);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pool = new Uint8Array(256 * 1024).map(() => int(0, 255));
  const bytesOf = (n: number) => pool.subarray(0, n);
  const messages: Message[] = [];
  const kinds: Record<string, number> = {};
  let bytes = 0;
  const add = (m: Message) => {
    messages.push(m);
    bytes += encodedSize(m);
    const k = `${m.channel}.${m.type}`;
    kinds[k] = (kinds[k] ?? 0) + 1;
  };
  let seq = 0;
  let au = 0;
  while (bytes < targetBytes) {
    seq++;
    add({ channel: 'tiles', type: 'frameBegin', seq, timestampUs: seq * 16_667, flags: 0 });
    const tiles = int(2, 40);
    for (let i = 0; i < tiles; i++) {
      const x = int(0, 24) * 64;
      const y = int(0, 13) * 64;
      const r = rand();
      if (r < 0.2) add({ channel: 'tiles', type: 'fill', x, y, width: 64, height: 64, rgba: 0xffffffff });
      else if (r < 0.45) add({ channel: 'tiles', type: 'cacheRef', x, y, cacheId: int(1, 8192) });
      else {
        add({
          channel: 'tiles',
          type: 'lossless',
          x,
          y,
          width: 64,
          height: 64,
          codec: rand() < 0.5 ? 'qoi' : 'zstdRgba',
          cacheId: int(0, 8192),
          data: bytesOf(int(1024, 12 * 1024)),
        });
      }
    }
    if (rand() < 0.1) {
      add({
        channel: 'tiles',
        type: 'copyRect',
        srcX: 0,
        srcY: 120,
        width: 1600,
        height: 660,
        dstX: 0,
        dstY: 0,
      });
    }
    add({ channel: 'tiles', type: 'frameEnd', seq });
    const aus = int(1, 2);
    for (let i = 0; i < aus; i++, au++) {
      const key = au % 60 === 0;
      add({
        channel: 'video',
        type: 'accessUnit',
        streamId: 0,
        seq: au,
        flags: key ? 3 : 0,
        timestampUs: au * 16_667,
        roiX: 320,
        roiY: 180,
        roiWidth: 640,
        roiHeight: 360,
        data: bytesOf(key ? 120 * 1024 : int(2 * 1024, 60 * 1024)),
      });
    }
    add({ channel: 'cursor', type: 'position', x: int(0, 1599), y: int(0, 899) });
    add({ channel: 'input', type: 'pointerMove', x: int(0, 1599), y: int(0, 899), buttons: 0, modifiers: 0 });
    if (seq % 60 === 0) {
      add({
        channel: 'feedback',
        type: 'report',
        intervalMs: 1000,
        rttUs: 20_000,
        decodeTimeUs: 2000,
        framesDecoded: 60,
        framesDropped: 0,
        bandwidthBps: 50_000_000,
        lossPermille: 0,
        queueMs: 10,
      });
    }
  }
  return { messages, bytes, kinds };
};

const mix = buildMix(values.quick ? 24 << 20 : 64 << 20);
const stream = new Uint8Array(mix.bytes);
{
  let at = 0;
  for (const m of mix.messages) at += encodeInto(m, stream, at);
}
const chunks: Uint8Array[] = [];
for (let at = 0; at < stream.length; at += chunkSize) chunks.push(stream.subarray(at, at + chunkSize));
const frames = mix.messages.length;

/** Runs `pass` repeatedly for about `seconds`, after a warm-up; returns the best pass in MB/s. */
const measure = (pass: () => void, bytes: number): { mb_s: number; passes: number } => {
  const warmUntil = performance.now() + 300;
  while (performance.now() < warmUntil) pass();
  const until = performance.now() + seconds * 1000;
  let best = Infinity;
  let passes = 0;
  while (performance.now() < until || passes < 3) {
    const t0 = performance.now();
    pass();
    best = Math.min(best, performance.now() - t0);
    passes++;
  }
  return { mb_s: bytes / 1e6 / (best / 1000), passes };
};

let sink = 0;
// Decoded messages are kept (as a consumer would), so the engine cannot optimise their allocation away.
const held: Message[] = new Array<Message>(frames);
const decodePass = (): void => {
  const d = new StreamDecoder();
  let n = 0;
  for (const c of chunks) {
    d.push(c, (m) => {
      held[n++] = m;
    });
  }
  d.end();
  if (d.frames !== frames) throw new Error(`decoded ${d.frames} of ${frames} frames`);
};
const framingPass = (): void => {
  const d = new StreamDecoder();
  for (const c of chunks) {
    d.pushFrames(c, (_codec, _buf, start, end) => {
      sink += end - start;
    });
  }
  d.end();
};
const out = new Uint8Array(stream.length);
const encodePass = (): void => {
  let at = 0;
  for (const m of mix.messages) at += encodeInto(m, out, at);
  if (at !== stream.length) throw new Error('encode size mismatch');
};

// Input-heavy traffic: only small frames (pointer, keys, cursor, cache references, fills).
const small: Message[] = [];
for (let i = 0; small.length < 200_000; i++) {
  small.push({ channel: 'input', type: 'pointerMove', x: i % 1600, y: i % 900, buttons: 0, modifiers: 0 });
  small.push({ channel: 'cursor', type: 'position', x: i % 1600, y: i % 900 });
  small.push({ channel: 'tiles', type: 'cacheRef', x: 64, y: 128, cacheId: 1 + (i % 8192) });
  small.push({ channel: 'tiles', type: 'fill', x: 0, y: 0, width: 64, height: 64, rgba: 0xffffffff });
  small.push({
    channel: 'input',
    type: 'key',
    code: 30,
    down: true,
    repeat: false,
    modifiers: 0,
    key: 'a',
    text: 'a',
  });
}
const smallStream = new Uint8Array(small.reduce((n, m) => n + encodedSize(m), 0));
{
  let at = 0;
  for (const m of small) at += encodeInto(m, smallStream, at);
}
const smallChunks: Uint8Array[] = [];
for (let at = 0; at < smallStream.length; at += chunkSize)
  smallChunks.push(smallStream.subarray(at, at + chunkSize));
const smallHeld: Message[] = new Array<Message>(small.length);
const smallPass = (): void => {
  const d = new StreamDecoder();
  let n = 0;
  for (const c of smallChunks) {
    d.push(c, (m) => {
      smallHeld[n++] = m;
    });
  }
  d.end();
};

const heapPerFrame = (): number => {
  // Decode in batches; a batch during which the heap shrank saw a GC and is discarded.
  const batch = 2000;
  const samples: number[] = [];
  const kept: Message[] = [];
  for (let round = 0; round < 40 && samples.length < 15; round++) {
    const d = new StreamDecoder();
    let n = 0;
    let ci = 0;
    kept.length = 0;
    const before = process.memoryUsage().heapUsed;
    while (n < batch && ci < chunks.length) {
      d.push(chunks[ci++]!, (m) => {
        kept.push(m);
        n++;
      });
    }
    const after = process.memoryUsage().heapUsed;
    if (after > before) samples.push((after - before) / n);
  }
  samples.sort((a, b) => a - b);
  return samples.length ? Math.round(samples[Math.floor(samples.length / 2)]!) : -1;
};

const decode = measure(decodePass, stream.length);
const framing = measure(framingPass, stream.length);
const encode = measure(encodePass, stream.length);
const smallDecode = measure(smallPass, smallStream.length);
const heap = heapPerFrame();

const result = {
  benchmark: 'protocol',
  at: new Date().toISOString(),
  node: process.version,
  quick: values.quick,
  stream_bytes: stream.length,
  frames,
  mean_frame_bytes: Math.round(stream.length / frames),
  chunk_bytes: chunkSize,
  decode_mb_s: Math.round(decode.mb_s),
  decode_frames_per_s: Math.round((decode.mb_s * 1e6 * frames) / stream.length),
  framing_mb_s: Math.round(framing.mb_s),
  encode_mb_s: Math.round(encode.mb_s),
  heap_bytes_per_frame: heap,
  small_frames_decode_mb_s: Math.round(smallDecode.mb_s),
  small_frames_per_s: Math.round((smallDecode.mb_s * 1e6 * small.length) / smallStream.length),
  target_decode_mb_s: TARGET_DECODE_MB_S,
  meets_target: decode.mb_s >= TARGET_DECODE_MB_S,
  mix: mix.kinds,
};

mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, JSON.stringify(result, null, 2) + '\n');

const fmt = (n: number) => n.toLocaleString('en-US');
console.log(`protocol benchmark (${values.quick ? 'quick' : 'full'}, ${process.version}, one core)`);
console.log(
  `  stream   ${fmt(stream.length)} bytes, ${fmt(frames)} frames (mean ${result.mean_frame_bytes} B), read in ${fmt(chunkSize)} B chunks`,
);
console.log(
  `  decode   ${fmt(result.decode_mb_s)} MB/s  (${fmt(result.decode_frames_per_s)} frames/s; target ${TARGET_DECODE_MB_S} MB/s: ${result.meets_target ? 'met' : 'NOT met'})`,
);
console.log(`  framing  ${fmt(result.framing_mb_s)} MB/s  (split and validate headers only)`);
console.log(`  encode   ${fmt(result.encode_mb_s)} MB/s  (encodeInto a preallocated buffer)`);
console.log(
  `  small    ${fmt(result.small_frames_per_s)} frames/s (${fmt(result.small_frames_decode_mb_s)} MB/s; input, cursor, cache refs, fills only)`,
);
console.log(`  heap     ${heap} bytes per decoded frame`);
console.log(`  wrote ${values.out}${sink < 0 ? '' : ''}`);
