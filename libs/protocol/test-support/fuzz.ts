/**
 * Seeded, reproducible fuzzing of the stream decoder and the session. Shared by the fuzz tier
 * (`stream-decoder.fuzz.spec.ts`) and `npm run fuzz:protocol`.
 *
 * Every iteration derives its own PRNG from (seed, iteration), so any single input can be replayed
 * with `--seed S --from I --iterations 1`. Inputs are random bytes, random frames with valid ids,
 * and mutations, splices and concatenations of the golden vectors. Each input is decoded twice —
 * whole and at random split points — and the run checks that:
 *   - nothing but a ProtocolError is ever thrown (a "crash" otherwise);
 *   - both decodes agree (same frames, same error code);
 *   - every accepted frame re-encodes to exactly its input bytes (strict decoders are bijective:
 *     no leniency such as non-canonical booleans or ignored trailing bytes survives);
 *   - a session fed the same bytes closes with a typed code instead of throwing;
 *   - the heap does not grow without bound.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  HEADER_SIZE,
  ProtocolError,
  ProtocolSession,
  StreamDecoder,
  allCodecs,
  encode,
  encodeInto,
  fromHex,
  type ProtocolErrorCode,
} from '../src/index';

export type FuzzOptions = {
  readonly seed: number;
  readonly iterations: number;
  /** First iteration index (to replay one input). Default 0. */
  readonly from?: number;
  /** Frame limit of the decoders under test. Default 1 MiB, so oversize paths are exercised cheaply. */
  readonly maxFrameSize?: number;
  /** Called every `progressEvery` iterations. */
  readonly onProgress?: (done: number, report: FuzzReport) => void;
  readonly progressEvery?: number;
};

export type FuzzCrash = { readonly iteration: number; readonly input: string; readonly error: string };

export type FuzzReport = {
  seed: number;
  iterations: number;
  inputBytes: number;
  framesAccepted: number;
  inputsAccepted: number;
  errors: Partial<Record<ProtocolErrorCode, number>>;
  crashes: FuzzCrash[];
  heapStartBytes: number;
  heapPeakBytes: number;
  heapEndBytes: number;
  elapsedMs: number;
};

const VECTORS_DIR = fileURLToPath(new URL('../../../proto/vectors/', import.meta.url));

/** Every golden vector (valid and invalid) as bytes. */
export const loadCorpus = (): Corpus => {
  const valid: Uint8Array[] = [];
  const invalid: Uint8Array[] = [];
  for (const f of readdirSync(VECTORS_DIR).filter((n) => n.endsWith('.json'))) {
    const file = JSON.parse(readFileSync(join(VECTORS_DIR, f), 'utf8')) as {
      valid: { hex: string }[];
      invalid: { hex: string }[];
    };
    for (const v of file.valid) valid.push(fromHex(v.hex));
    for (const v of file.invalid) if (v.hex.length <= 4096) invalid.push(fromHex(v.hex));
  }
  return { valid, invalid };
};

/** mulberry32 seeded from (seed, iteration). */
const prng = (seed: number, iteration: number): (() => number) => {
  let s = (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(iteration + 1, 0xc2b2ae35)) | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
};

const INTERESTING = [0, 1, 2, 0x7f, 0x80, 0xfe, 0xff, 0x40, 0x20];
const IDS = allCodecs().map((c) => [c.channelId, c.typeId] as const);

const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

type Rand = () => number;

const mutate = (r: Rand, src: Uint8Array): Uint8Array => {
  let b = src.slice();
  const n = 1 + (r() % 4);
  for (let k = 0; k < n; k++) {
    const op = r() % 9;
    const at = b.length ? r() % b.length : 0;
    switch (op) {
      case 0: // flip a bit
        if (b.length) b[at]! ^= 1 << (r() % 8);
        break;
      case 1: // interesting byte
        if (b.length) b[at] = INTERESTING[r() % INTERESTING.length]!;
        break;
      case 2: // random byte
        if (b.length) b[at] = r() & 0xff;
        break;
      case 3: {
        // truncate
        b = b.subarray(0, at);
        break;
      }
      case 4: {
        // insert bytes
        const ins = randomBytes(r, 1 + (r() % 4));
        const out = new Uint8Array(b.length + ins.length);
        out.set(b.subarray(0, at));
        out.set(ins, at);
        out.set(b.subarray(at), at + ins.length);
        b = out;
        break;
      }
      case 5: {
        // delete bytes
        const del = Math.min(1 + (r() % 4), b.length - at);
        const out = new Uint8Array(b.length - del);
        out.set(b.subarray(0, at));
        out.set(b.subarray(at + del), at);
        b = out;
        break;
      }
      case 6: {
        // rewrite the header's length field: off by a little, or anything
        if (b.length >= HEADER_SIZE) {
          const len = b[2]! | (b[3]! << 8) | (b[4]! << 16) | (b[5]! << 24);
          const next = r() % 2 ? len + ((r() % 9) - 4) : r();
          b[2] = next;
          b[3] = next >>> 8;
          b[4] = next >>> 16;
          b[5] = next >>> 24;
        }
        break;
      }
      case 7: {
        // retarget the frame to another message type with the same payload
        if (b.length >= 2) {
          const [c, t] = IDS[r() % IDS.length]!;
          b[0] = c;
          b[1] = t;
        }
        break;
      }
      default: {
        // duplicate a slice
        const end = Math.min(b.length, at + 1 + (r() % 16));
        const slice = b.slice(at, end);
        const out = new Uint8Array(b.length + slice.length);
        out.set(b.subarray(0, end));
        out.set(slice, end);
        out.set(b.subarray(end), end + slice.length);
        b = out;
      }
    }
  }
  return b;
};

const concat = (parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};

type Corpus = { valid: Uint8Array[]; invalid: Uint8Array[] };

const pick = (r: Rand, corpus: Corpus): Uint8Array => {
  const pool = r() % 4 === 0 ? corpus.invalid : corpus.valid;
  return pool[r() % pool.length]!;
};

const randomBytes = (r: Rand, n: number): Uint8Array => {
  const b = new Uint8Array(n);
  for (let k = 0; k < n; k++) b[k] = r() & 0xff;
  return b;
};

const picks = (r: Rand, corpus: Corpus, n: number): Uint8Array[] => {
  const out: Uint8Array[] = [];
  for (let k = 0; k < n; k++) out.push(pick(r, corpus));
  return out;
};

const makeInput = (r: Rand, corpus: Corpus): Uint8Array => {
  const kind = r() % 10;
  switch (kind) {
    case 0: // random bytes
      return randomBytes(r, r() % 48);
    case 1: {
      // a header with valid ids and a random payload of roughly the declared length
      const [c, t] = IDS[r() % IDS.length]!;
      const len = r() % 64;
      const actual = Math.max(0, len + ((r() % 5) - 2));
      const b = randomBytes(r, HEADER_SIZE + actual);
      b[0] = c;
      b[1] = t;
      b[2] = len;
      b[3] = 0;
      b[4] = 0;
      b[5] = 0;
      return b;
    }
    case 2: // a stream of valid frames
      return concat(picks(r, corpus, 2 + (r() % 4)));
    case 3: // a stream whose last frame is mutated
      return concat([...picks(r, corpus, 1 + (r() % 3)), mutate(r, pick(r, corpus))]);
    case 4: {
      // splice two vectors
      const a = pick(r, corpus);
      const b = pick(r, corpus);
      return concat([a.subarray(0, r() % (a.length + 1)), b.subarray(r() % (b.length + 1))]);
    }
    default:
      return mutate(r, pick(r, corpus));
  }
};

const sameBytes = (a: Uint8Array, n: number, b: Uint8Array): boolean => {
  if (n !== b.length) return false;
  for (let k = 0; k < n; k++) if (a[k] !== b[k]) return false;
  return true;
};

/** A valid hello, so that session inputs also reach the open state. */
const HELLO = encode({
  channel: 'control',
  type: 'hello',
  versions: [1],
  required: [1],
  optional: [3, 4, 5, 13, 16],
  maxFrameSize: 1 << 20,
  peer: 'webClient',
  agent: 'fuzz',
});

/** `count` reproducible fuzz inputs (the ones iterations from..from+count of `seed` would use). */
export const fuzzInputs = (seed: number, count: number, from = 0): Uint8Array[] => {
  const corpus = loadCorpus();
  return Array.from({ length: count }, (_, k) => makeInput(prng(seed, from + k), corpus));
};

const crash = (report: FuzzReport, iteration: number, input: Uint8Array, what: string): void => {
  // keep the first 20 in full; count the rest
  if (report.crashes.length < 20) report.crashes.push({ iteration, input: hex(input), error: what });
  else report.crashes.push({ iteration, input: '', error: what });
};

type Outcome = { frames: number; bytes: number; error: ProtocolErrorCode | null };

const isCode = (e: unknown): e is ProtocolError => e instanceof ProtocolError;

export const runFuzz = (options: FuzzOptions): FuzzReport => {
  // Almost every input ends in a thrown ProtocolError; capturing a stack trace for each one would
  // cost more than the decoding under test. The codes are what the run checks.
  const stackTraceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return fuzz(options);
  } finally {
    Error.stackTraceLimit = stackTraceLimit;
  }
};

const fuzz = (options: FuzzOptions): FuzzReport => {
  const corpus = loadCorpus();
  const maxFrameSize = options.maxFrameSize ?? 1 << 20;
  const from = options.from ?? 0;
  const report: FuzzReport = {
    seed: options.seed,
    iterations: 0,
    inputBytes: 0,
    framesAccepted: 0,
    inputsAccepted: 0,
    errors: {},
    crashes: [],
    heapStartBytes: process.memoryUsage().heapUsed,
    heapPeakBytes: 0,
    heapEndBytes: 0,
    elapsedMs: 0,
  };
  const t0 = performance.now();
  const scratch = new Uint8Array(maxFrameSize);
  const every = options.progressEvery ?? 100_000;
  const noop = (): void => undefined;

  for (let i = from; i < from + options.iterations; i++) {
    const r = prng(options.seed, i);
    const input = makeInput(r, corpus);
    report.inputBytes += input.length;
    try {
      // 1. whole input, raw frames: every accepted frame must re-encode to its own bytes
      const whole: Outcome = { frames: 0, bytes: 0, error: null };
      const d = new StreamDecoder({ maxFrameSize });
      try {
        d.pushFrames(input, (codec, buf, start, end) => {
          const message = codec.decode(buf, start, end);
          const n = encodeInto(message, scratch, 0);
          const frame = buf.subarray(start - HEADER_SIZE, end);
          if (!sameBytes(scratch, n, frame)) {
            crash(
              report,
              i,
              input,
              `not bijective: ${codec.channel}.${codec.type} re-encodes to ${hex(scratch.subarray(0, n))}`,
            );
          }
          whole.frames++;
          whole.bytes += frame.length;
        });
        d.end();
      } catch (e) {
        if (!isCode(e)) throw e;
        whole.error = e.code;
      }
      // 2. the same input at random split points
      const split: Outcome = { frames: 0, bytes: 0, error: null };
      const s = new StreamDecoder({ maxFrameSize });
      try {
        let at = 0;
        while (at < input.length) {
          const step = 1 + (r() % Math.max(1, input.length >> 1));
          s.push(input.subarray(at, at + step), (m) => {
            split.frames++;
            split.bytes += m.type.length;
          });
          at += step;
        }
        s.end();
      } catch (e) {
        if (!isCode(e)) throw e;
        split.error = e.code;
      }
      if (whole.frames !== split.frames || whole.error !== split.error) {
        crash(
          report,
          i,
          input,
          `split mismatch: whole ${whole.frames}/${whole.error}, split ${split.frames}/${split.error}`,
        );
      }
      report.framesAccepted += whole.frames;
      if (whole.error === null) report.inputsAccepted++;
      else report.errors[whole.error] = (report.errors[whole.error] ?? 0) + 1;
      // 3. every 16th input also goes through a host-side session, which must close, not throw
      if ((i & 15) === 0) {
        const session = new ProtocolSession(
          {
            side: 'host',
            peer: 'gateway',
            agent: 'fuzz',
            optional: ['tilesLossless', 'videoH264', 'feedback'],
            handshakeTimeoutMs: 0,
          },
          { send: noop, message: noop, close: noop },
        );
        session.start();
        if (r() % 2 === 0) session.receiveBytes(HELLO);
        session.receiveBytes(input);
      }
    } catch (e) {
      crash(report, i, input, e instanceof Error ? `${e.name}: ${e.message}` : String(e));
    }
    report.iterations++;
    if ((i - from + 1) % every === 0) {
      report.heapPeakBytes = Math.max(report.heapPeakBytes, process.memoryUsage().heapUsed);
      options.onProgress?.(i - from + 1, report);
    }
  }
  report.heapEndBytes = process.memoryUsage().heapUsed;
  report.heapPeakBytes = Math.max(report.heapPeakBytes, report.heapEndBytes);
  report.elapsedMs = Math.round(performance.now() - t0);
  return report;
};
