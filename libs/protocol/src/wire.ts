/**
 * Little-endian primitives shared by the generated codecs. Plain Uint8Array arithmetic: no DataView
 * allocation per frame, no Buffer, no node: imports — the same code runs in Node and in browsers.
 */
import { ProtocolError } from './errors';

export const r8 = (b: Uint8Array, p: number): number => b[p]!;
export const r16 = (b: Uint8Array, p: number): number => b[p]! | (b[p + 1]! << 8);
export const ri16 = (b: Uint8Array, p: number): number => ((b[p]! | (b[p + 1]! << 8)) << 16) >> 16;
export const r32 = (b: Uint8Array, p: number): number =>
  (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) + b[p + 3]! * 0x1000000;
export const ri32 = (b: Uint8Array, p: number): number =>
  b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);

/** Largest high word of a u64 whose value is still a safe integer (2^53 - 1). */
const MAX_HIGH = 0x1fffff;

export const w8 = (b: Uint8Array, p: number, v: number): void => {
  b[p] = v;
};
export const w16 = (b: Uint8Array, p: number, v: number): void => {
  b[p] = v;
  b[p + 1] = v >>> 8;
};
export const w32 = (b: Uint8Array, p: number, v: number): void => {
  b[p] = v;
  b[p + 1] = v >>> 8;
  b[p + 2] = v >>> 16;
  b[p + 3] = v >>> 24;
};
export const w64 = (b: Uint8Array, p: number, v: number): void => {
  const lo = v % 0x100000000;
  w32(b, p, lo);
  w32(b, p + 4, (v - lo) / 0x100000000);
};

export type Where = string; // "channel.type"

const places = new Map<Where, { readonly channel: string; readonly type: string }>();
const split = (where: Where): { readonly channel: string; readonly type: string } => {
  let place = places.get(where);
  if (place === undefined) {
    const dot = where.indexOf('.');
    place = { channel: where.slice(0, dot), type: where.slice(dot + 1) };
    places.set(where, place);
  }
  return place;
};

export const truncated = (where: Where, field: string, offset: number): never => {
  throw new ProtocolError('truncated', `${where}: payload ends inside field '${field}'`, {
    ...split(where),
    field,
    offset,
  });
};

export const trailing = (where: Where, extra: number, offset: number): never => {
  throw new ProtocolError('trailing_bytes', `${where}: ${extra} byte(s) after the last field`, {
    ...split(where),
    offset,
  });
};

export const invalid = (
  code:
    'invalid_bool' | 'invalid_enum' | 'invalid_flags' | 'invalid_utf8' | 'invalid_value' | 'length_exceeded',
  where: Where,
  field: string,
  value: unknown,
  why: string,
): never => {
  throw new ProtocolError(code, `${where}.${field}: ${why}`, { ...split(where), field, value });
};

/** Reads a u64 that must be a safe integer. */
export const r64 = (b: Uint8Array, p: number, where: Where, field: string): number => {
  const hi = r32(b, p + 4);
  if (hi > MAX_HIGH) invalid('invalid_value', where, field, hi, 'u64 above 2^53-1');
  return hi * 0x100000000 + r32(b, p);
};

export const rbool = (b: Uint8Array, p: number, where: Where, field: string): boolean => {
  const v = b[p]!;
  if (v > 1) invalid('invalid_bool', where, field, v, `boolean byte must be 0 or 1, got ${v}`);
  return v === 1;
};

// ---- UTF-8 ---------------------------------------------------------------------------------------

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Strict UTF-8 decode (no replacement characters, BOM kept). */
export const rstr = (b: Uint8Array, start: number, end: number, where: Where, field: string): string => {
  const n = end - start;
  if (n <= 64) {
    let ascii = true;
    for (let i = start; i < end; i++) {
      if (b[i]! >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      let s = '';
      for (let i = start; i < end; i++) s += String.fromCharCode(b[i]!);
      return s;
    }
  }
  try {
    return decoder.decode(b.subarray(start, end));
  } catch {
    return invalid('invalid_utf8', where, field, undefined, 'not well-formed UTF-8');
  }
};

/** UTF-8 length of a string; a lone surrogate (not encodable) is an error. */
export const utf8Length = (s: string, where: Where, field: string): number => {
  const len = s.length;
  let n = len;
  for (let i = 0; i < len; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdfff) {
      const d = i + 1 < len ? s.charCodeAt(i + 1) : 0;
      if (c > 0xdbff || d < 0xdc00 || d > 0xdfff) {
        return invalid('invalid_value', where, field, undefined, 'string holds a lone surrogate');
      }
      n += 2; // 4 bytes for 2 UTF-16 units
      i++;
    } else n += 2;
  }
  return n;
};

/** Writes a string already measured by {@link utf8Length}; returns the new position. */
export const wstr = (b: Uint8Array, p: number, s: string): number => {
  const len = s.length;
  for (let i = 0; i < len; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) b[p++] = c;
    else if (c < 0x800) {
      b[p++] = 0xc0 | (c >> 6);
      b[p++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdbff) {
      c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
      b[p++] = 0xf0 | (c >> 18);
      b[p++] = 0x80 | ((c >> 12) & 0x3f);
      b[p++] = 0x80 | ((c >> 6) & 0x3f);
      b[p++] = 0x80 | (c & 0x3f);
    } else {
      b[p++] = 0xe0 | (c >> 12);
      b[p++] = 0x80 | ((c >> 6) & 0x3f);
      b[p++] = 0x80 | (c & 0x3f);
    }
  }
  return p;
};

// ---- encoder-side validation ----------------------------------------------------------------------

export const checkUint = (v: number, min: number, max: number, where: Where, field: string): void => {
  if (!(Number.isInteger(v) && v >= min && v <= max)) {
    invalid('invalid_value', where, field, v, `must be an integer in [${min}, ${max}]`);
  }
};

export const checkBool = (v: boolean, where: Where, field: string): void => {
  if (typeof v !== 'boolean') invalid('invalid_bool', where, field, v, 'must be a boolean');
};

export const checkBytes = (v: Uint8Array, where: Where, field: string): void => {
  if (!(v instanceof Uint8Array)) invalid('invalid_value', where, field, undefined, 'must be a Uint8Array');
};

export const checkString = (v: string, where: Where, field: string): void => {
  if (typeof v !== 'string') invalid('invalid_value', where, field, v, 'must be a string');
};

export const checkList = (
  v: readonly unknown[],
  min: number,
  max: number,
  where: Where,
  field: string,
): void => {
  if (!Array.isArray(v)) return invalid('invalid_value', where, field, undefined, 'must be an array');
  if (v.length > max) invalid('length_exceeded', where, field, v.length, `at most ${max} item(s)`);
  if (v.length < min) invalid('invalid_value', where, field, v.length, `at least ${min} item(s)`);
};

export const enumValue = <T extends string>(
  values: Readonly<Record<T, number>>,
  v: T,
  where: Where,
  field: string,
): number => {
  const n = Object.prototype.hasOwnProperty.call(values, v) ? values[v] : undefined;
  if (n === undefined) invalid('invalid_enum', where, field, v, `unknown value '${String(v)}'`);
  return n!;
};
