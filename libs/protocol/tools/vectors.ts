/**
 * Writes the golden vectors proto/vectors/<channel>.json and proto/vectors/envelope.json.
 *
 *   npm run proto:vectors             (re)write the files
 *   npm run proto:vectors -- --check  exit 1 when the files differ from what would be written
 *
 * Valid vectors come from the catalogue's examples. Invalid vectors are mutations of them, each
 * made with an intended error code; the generator refuses to write a vector that the TypeScript
 * decoder does not reject with exactly that code, so every vector is also a test of the decoder.
 * Field offsets are found by walking the payload with the catalogue's layout (a second, independent
 * reading of the format).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeFrame, encode, fromHex, fromJson, toHex, toJson } from '../src/index';
import { ProtocolError } from '../src/errors';
import {
  type Catalogue,
  type Field,
  type MessageDef,
  INT_RANGE,
  INT_SIZE,
  LEN_SIZE,
  fieldSize,
  loadCatalogue,
  structSize,
} from './catalogue';

export const VECTORS_DIR = fileURLToPath(new URL('../../../proto/vectors/', import.meta.url));

export type ValidVector = { name: string; hex: string; decoded: Record<string, unknown> };
export type InvalidVector = { name: string; hex: string; error: string; frameOnly?: boolean; note: string };
export type VectorFile = {
  $comment: string;
  channel: string;
  valid: ValidVector[];
  invalid: InvalidVector[];
};

const HEADER = 6;

const readLen = (b: Uint8Array, p: number, n: number): number =>
  n === 1
    ? b[p]!
    : n === 2
      ? b[p]! | (b[p + 1]! << 8)
      : (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) + b[p + 3]! * 2 ** 24;

/** Offset (in the payload) and size of every field of an encoded message. */
const walk = (
  cat: Catalogue,
  m: MessageDef,
  payload: Uint8Array,
): { field: Field; at: number; size: number }[] => {
  let p = 0;
  return m.fields.map((f) => {
    const at = p;
    const fixed = fieldSize(cat, f);
    let size: number;
    if (fixed !== null) size = fixed;
    else if (f.type === 'rest') size = payload.length - p;
    else if (f.type === 'list') {
      const item = f.of! in INT_RANGE ? INT_SIZE[f.of as keyof typeof INT_SIZE] : structSize(cat, f.of!);
      const c = INT_SIZE[f.count!];
      size = c + readLen(payload, p, c) * item;
    } else {
      const L = LEN_SIZE[f.type as keyof typeof LEN_SIZE];
      size = L + readLen(payload, p, L);
    }
    p += size;
    return { field: f, at, size };
  });
};

const frame = (channel: number, type: number, payload: Uint8Array, declared = payload.length): Uint8Array => {
  const out = new Uint8Array(HEADER + payload.length);
  out[0] = channel;
  out[1] = type;
  new DataView(out.buffer).setUint32(2, declared, true);
  out.set(payload, HEADER);
  return out;
};

const writeInt = (b: Uint8Array, at: number, size: number, v: number): void => {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (size === 1) dv.setUint8(at, v);
  else if (size === 2) dv.setUint16(at, v, true);
  else if (size === 4) dv.setUint32(at, v >>> 0, true);
  else if (size === 8) {
    dv.setUint32(at, v % 2 ** 32, true);
    dv.setUint32(at + 4, Math.floor(v / 2 ** 32), true);
  }
};

const errorOf = (bytes: Uint8Array): string => {
  try {
    decodeFrame(bytes);
    return 'none';
  } catch (e) {
    if (e instanceof ProtocolError) return e.code;
    throw e;
  }
};

const mutations = (
  cat: Catalogue,
  chId: number,
  m: MessageDef,
  where: string,
  payload: Uint8Array,
): InvalidVector[] => {
  const out: InvalidVector[] = [];
  const layout = walk(cat, m, payload);
  const add = (name: string, error: string, note: string, p: Uint8Array, declared?: number): void => {
    out.push({ name: `${where}/${name}`, hex: toHex(frame(chId, m.id, p, declared)), error, note });
  };
  const patched = (at: number, size: number, v: number): Uint8Array => {
    const p = payload.slice();
    writeInt(p, at, size, v);
    return p;
  };
  const last = m.fields[m.fields.length - 1];
  // truncation: cut inside the last fixed-size part
  if (payload.length > 0) {
    const restAt = last?.type === 'rest' ? layout[layout.length - 1]!.at : payload.length;
    if (restAt > 0)
      add('truncated', 'truncated', `payload cut to ${restAt - 1} byte(s)`, payload.subarray(0, restAt - 1));
  }
  if (last?.type !== 'rest')
    add('trailing', 'trailing_bytes', 'one extra byte after the last field', Uint8Array.of(...payload, 0));
  for (const { field: f, at, size } of layout) {
    const n = f.name;
    if (f.type === 'bool') add(`${n}=2`, 'invalid_bool', `boolean byte 2 in ${n}`, patched(at, 1, 2));
    if (f.type === 'enum') {
      const e = cat.enums[f.enum!]!;
      const used = new Set(Object.values(e.values));
      let bad = e.type === 'u8' ? 0xff : 0xffff;
      while (used.has(bad)) bad--;
      add(`${n}=${bad}`, 'invalid_enum', `${bad} is not a ${f.enum}`, patched(at, size, bad));
    }
    if (f.type === 'flags') {
      const fl = cat.flags[f.flags!]!;
      const mask = Object.values(fl.bits).reduce((a, b) => a | b, 0);
      const top = fl.type === 'u8' ? 0x80 : fl.type === 'u16' ? 0x8000 : 0x80000000;
      if ((mask & top) === 0)
        add(`${n}-reserved`, 'invalid_flags', `reserved bit ${top} set in ${n}`, patched(at, size, top));
    }
    if (f.type in INT_RANGE) {
      const [lo, hi] = INT_RANGE[f.type as keyof typeof INT_RANGE];
      if (f.const !== undefined)
        add(`${n}-wrong`, 'invalid_value', `${n} must be ${f.const}`, patched(at, size, f.const ^ 1));
      if (f.min !== undefined && f.min > lo)
        add(`${n}<min`, 'invalid_value', `${n} below ${f.min}`, patched(at, size, f.min - 1));
      if (f.max !== undefined && f.max < hi && f.type !== 'u64') {
        add(`${n}>max`, 'invalid_value', `${n} above ${f.max}`, patched(at, size, f.max + 1));
      }
      if (f.type === 'u64') {
        const p = payload.slice();
        writeInt(p, at + 4, 4, 0x200000);
        add(`${n}>2^53`, 'invalid_value', `${n} above 2^53-1`, p);
      }
    }
    if (f.type.startsWith('str')) {
      const L = LEN_SIZE[f.type as keyof typeof LEN_SIZE];
      // replace the string by one invalid byte (0xff)
      const p = Uint8Array.of(
        ...payload.subarray(0, at),
        ...new Uint8Array(L),
        0xff,
        ...payload.subarray(at + size),
      );
      writeInt(p, at, L, 1);
      add(`${n}-utf8`, 'invalid_utf8', `byte 0xff in ${n}`, p);
      // an overlong UTF-8 encoding of '/' (C0 AF) and a UTF-16 surrogate (ED A0 80) are not UTF-8 either
      const q = Uint8Array.of(
        ...payload.subarray(0, at),
        ...new Uint8Array(L),
        0xed,
        0xa0,
        0x80,
        ...payload.subarray(at + size),
      );
      writeInt(q, at, L, 3);
      add(`${n}-surrogate`, 'invalid_utf8', `encoded surrogate in ${n}`, q);
      if (f.maxBytes! + 1 < 2 ** (8 * L)) {
        add(
          `${n}-too-long`,
          'length_exceeded',
          `${n} declares ${f.maxBytes! + 1} bytes`,
          patched(at, L, f.maxBytes! + 1),
        );
      }
    }
    if (f.type === 'list') {
      const c = INT_SIZE[f.count!];
      if (f.max! + 1 < 2 ** (8 * c))
        add(
          `${n}-too-many`,
          'length_exceeded',
          `${n} declares ${f.max! + 1} items`,
          patched(at, c, f.max! + 1),
        );
      if (f.min)
        add(`${n}-empty`, 'invalid_value', `${n} needs at least ${f.min} item(s)`, patched(at, c, 0));
    }
    if (f.type === 'rest' && f.maxBytes !== undefined && f.maxBytes <= 16384) {
      const p = new Uint8Array(at + f.maxBytes + 1);
      p.set(payload.subarray(0, at));
      add(`${n}-too-long`, 'length_exceeded', `${n} of ${f.maxBytes + 1} bytes`, p);
    }
    if (f.type === 'fixed' && f !== last) {
      add(`${n}-short`, 'truncated', `${n} cut short`, payload.subarray(0, at + size - 1));
    }
  }
  return out;
};

/** Hand-made invalid vectors for cross-field rules and list orders. */
const special = (): { channel: string; vectors: InvalidVector[] }[] => {
  const v = (
    name: string,
    error: string,
    note: string,
    bytes: Uint8Array,
    frameOnly?: boolean,
  ): InvalidVector => ({
    name,
    hex: toHex(bytes),
    error,
    note,
    ...(frameOnly ? { frameOnly } : {}),
  });
  const hello = (versions: number[], required: number[], optional: number[]): Uint8Array =>
    frame(
      1,
      1,
      Uint8Array.of(
        0x42,
        0x50,
        0x57,
        0x50,
        versions.length,
        ...versions.flatMap((x) => [x & 0xff, x >> 8]),
        required.length,
        ...required.flatMap((x) => [x & 0xff, x >> 8]),
        optional.length,
        ...optional.flatMap((x) => [x & 0xff, x >> 8]),
        0,
        0,
        0,
        1,
        0,
        0,
      ),
    );
  const cursor = (w: number, h: number, hx: number, hy: number, n: number): Uint8Array =>
    frame(3, 1, Uint8Array.of(1, 0, 0, 0, w, 0, h, 0, hx, 0, hy, 0, ...new Uint8Array(n)));
  const fragment = (index: number, count: number): Uint8Array =>
    frame(
      7,
      3,
      Uint8Array.of(0, 1, 0, 0, 0, index, 0, count, 0, 0, ...new Uint8Array(8), 0, 0, 0, 0, 1, 0, 1, 0, 0xaa),
    );
  return [
    {
      channel: 'control',
      vectors: [
        v(
          'control.hello/versions-descending',
          'invalid_value',
          'versions must be strictly ascending',
          hello([2, 1], [1], []),
        ),
        v(
          'control.hello/versions-duplicate',
          'invalid_value',
          'versions must be unique',
          hello([1, 1], [1], []),
        ),
        v('control.hello/version-zero', 'invalid_value', 'version 0 is invalid', hello([0], [1], [])),
        v(
          'control.hello/required-optional-overlap',
          'invalid_value',
          'required and optional must be disjoint',
          hello([1], [1, 2], [2]),
        ),
        v('control.hello/capability-zero', 'invalid_value', 'capability 0 is invalid', hello([1], [0], [])),
      ],
    },
    {
      channel: 'cursor',
      vectors: [
        v(
          'cursor.shape/rgba-short',
          'invalid_value',
          'rgba must be width*height*4 bytes',
          cursor(2, 2, 0, 0, 15),
        ),
        v(
          'cursor.shape/rgba-long',
          'invalid_value',
          'rgba must be width*height*4 bytes',
          cursor(2, 2, 0, 0, 17),
        ),
        v('cursor.shape/hotspot-outside', 'invalid_value', 'hotX must be < width', cursor(2, 2, 2, 0, 16)),
      ],
    },
    {
      channel: 'video',
      vectors: [
        v('video.fragment/index-not-below-count', 'invalid_value', 'index must be < count', fragment(3, 3)),
        v('video.fragment/count-zero', 'invalid_value', 'count must be >= 1', fragment(0, 0)),
      ],
    },
    {
      channel: 'input',
      vectors: [
        v(
          'input.composition/selection-reversed',
          'invalid_value',
          'selectionStart must be <= selectionEnd',
          frame(2, 5, Uint8Array.of(1, 3, 0, 2, 0, 0, 0)),
        ),
      ],
    },
  ];
};

const envelope = (): VectorFile => {
  const v = (
    name: string,
    error: string,
    note: string,
    bytes: number[],
    frameOnly?: boolean,
  ): InvalidVector => ({
    name,
    hex: toHex(Uint8Array.from(bytes)),
    error,
    note,
    ...(frameOnly ? { frameOnly } : {}),
  });
  return {
    $comment:
      'Envelope-level vectors: decode each hex string as exactly one frame (16 MiB limit). frameOnly: a stream decoder reads the input differently (as the start of a further frame).',
    channel: '*',
    valid: [
      {
        name: 'envelope/empty-payload',
        hex: '020700000000',
        decoded: { channel: 'input', type: 'releaseAll' },
      },
    ],
    invalid: [
      v(
        'envelope/empty',
        'truncated',
        'no bytes at all (an empty stream is fine; an empty datagram is not)',
        [],
        true,
      ),
      v('envelope/short-header', 'truncated', 'three bytes of a header', [1, 5, 12]),
      v('envelope/channel-0', 'unknown_channel', 'channel 0 is reserved', [0, 1, 0, 0, 0, 0]),
      v('envelope/channel-12', 'unknown_channel', 'first unassigned channel', [12, 1, 0, 0, 0, 0]),
      v('envelope/channel-255', 'unknown_channel', 'channel 255', [255, 1, 0, 0, 0, 0]),
      v('envelope/type-0', 'unknown_type', 'type 0 is reserved', [6, 0, 0, 0, 0, 0]),
      v('envelope/tiles-type-255', 'unknown_type', 'unassigned tiles type', [6, 255, 0, 0, 0, 0]),
      v(
        'envelope/unknown-before-length',
        'unknown_channel',
        'an unknown channel wins over an oversize length',
        [99, 1, 255, 255, 255, 255],
      ),
      v(
        'envelope/oversize',
        'frame_too_large',
        'declares 16 MiB - 5 bytes of payload: frame of 16 MiB + 1',
        [7, 2, 0xfb, 0xff, 0xff, 0x00],
      ),
      v(
        'envelope/oversize-max',
        'frame_too_large',
        'declares 4 GiB - 1 bytes',
        [6, 4, 0xff, 0xff, 0xff, 0xff],
      ),
      v('envelope/payload-short', 'truncated', 'declares 4 bytes, holds 2', [6, 2, 4, 0, 0, 0, 1, 2]),
      v(
        'envelope/extra-byte',
        'trailing_bytes',
        'one byte after a complete frame',
        [6, 2, 4, 0, 0, 0, 1, 2, 3, 4, 5],
        true,
      ),
    ],
  };
};

export const buildVectors = (cat: Catalogue = loadCatalogue()): Map<string, VectorFile> => {
  const files = new Map<string, VectorFile>();
  const specials = special();
  for (const ch of cat.channels) {
    const file: VectorFile = {
      $comment: `Golden vectors for the ${ch.name} channel (id ${ch.id}). valid: hex frame <-> decoded JSON (byte fields as hex). invalid: decoding the hex as one frame must fail with error.`,
      channel: ch.name,
      valid: [],
      invalid: [],
    };
    for (const m of ch.messages) {
      m.examples.forEach((ex, i) => {
        const message = fromJson({ channel: ch.name, type: m.name, ...ex });
        const bytes = encode(message);
        const decoded = toJson(decodeFrame(bytes)) as Record<string, unknown>;
        file.valid.push({ name: `${ch.name}.${m.name}#${i}`, hex: toHex(bytes), decoded });
        if (i === 0)
          file.invalid.push(...mutations(cat, ch.id, m, `${ch.name}.${m.name}`, bytes.subarray(HEADER)));
      });
    }
    for (const s of specials) if (s.channel === ch.name) file.invalid.push(...s.vectors);
    files.set(`${ch.name}.json`, file);
  }
  files.set('envelope.json', envelope());
  // every invalid vector must fail with its intended code
  for (const [name, file] of files) {
    for (const v of file.invalid) {
      const got = errorOf(fromHex(v.hex));
      if (got !== v.error) throw new Error(`${name} ${v.name}: intended ${v.error}, decoder says ${got}`);
    }
    const seen = new Set<string>();
    for (const v of [...file.valid, ...file.invalid]) {
      if (seen.has(v.name)) throw new Error(`${name}: duplicate vector name ${v.name}`);
      seen.add(v.name);
    }
  }
  return files;
};

const render = (file: VectorFile): string => JSON.stringify(file, null, 2) + '\n';

const main = (): void => {
  const check = process.argv.includes('--check');
  const files = buildVectors();
  let stale = 0;
  mkdirSync(VECTORS_DIR, { recursive: true });
  for (const [name, file] of files) {
    const path = join(VECTORS_DIR, name);
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      /* new file */
    }
    if (current === render(file)) continue;
    stale++;
    if (check) console.error(`${path} differs from the generated vectors`);
    else writeFileSync(path, render(file));
  }
  const total = [...files.values()].reduce((n, f) => n + f.valid.length + f.invalid.length, 0);
  console.log(`${files.size} vector files, ${total} vectors, ${stale} ${check ? 'stale' : 'written'}`);
  if (check && stale > 0) process.exit(1);
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
