import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildVectors } from '../tools/vectors';
import {
  ProtocolError,
  StreamDecoder,
  allCodecs,
  decodeFrame,
  encode,
  fromHex,
  fromJson,
  toHex,
  toJson,
  type JsonMessage,
} from './index';

type VectorFile = {
  channel: string;
  valid: { name: string; hex: string; decoded: JsonMessage }[];
  invalid: { name: string; hex: string; error: string; frameOnly?: boolean }[];
};

const dir = fileURLToPath(new URL('../../../proto/vectors/', import.meta.url));
const files: [string, VectorFile][] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8')) as VectorFile]);

const errorCode = (fn: () => unknown): string => {
  try {
    fn();
    return 'none';
  } catch (e) {
    expect(e).toBeInstanceOf(ProtocolError);
    return (e as ProtocolError).code;
  }
};

describe('golden vectors (proto/vectors)', () => {
  it('are what `npm run proto:vectors` writes from the catalogue (no drift)', () => {
    const built = buildVectors();
    expect([...built.keys()].sort()).toEqual(files.map(([f]) => f));
    for (const [name, file] of files) expect(file, name).toEqual(built.get(name));
  });

  it('cover every message of the catalogue with at least one valid vector', () => {
    const covered = new Set(
      files.flatMap(([, f]) => f.valid.map((v) => `${v.decoded.channel}.${v.decoded.type}`)),
    );
    const missing = allCodecs()
      .map((c) => `${c.channel}.${c.type}`)
      .filter((n) => !covered.has(n));
    expect(missing).toEqual([]);
  });

  for (const [file, vf] of files) {
    describe(file, () => {
      it.each(vf.valid.map((v) => [v.name, v] as const))(
        '%s decodes to its JSON form and encodes back',
        (_, v) => {
          const bytes = fromHex(v.hex);
          const message = decodeFrame(bytes);
          expect(toJson(message)).toEqual(v.decoded);
          expect(toHex(encode(fromJson(v.decoded)))).toBe(v.hex);
          // the same through the stream decoder, fed one byte at a time
          const d = new StreamDecoder();
          const got = [];
          for (let i = 0; i < bytes.length; i++) got.push(...d.decode(bytes.subarray(i, i + 1)));
          d.end();
          expect(got.map(toJson)).toEqual([v.decoded]);
        },
      );

      if (vf.invalid.length > 0) {
        it.each(vf.invalid.map((v) => [v.name, v] as const))('%s is rejected', (_, v) => {
          const bytes = fromHex(v.hex);
          expect(errorCode(() => decodeFrame(bytes))).toBe(v.error);
          const stream = errorCode(() => {
            const d = new StreamDecoder();
            d.decode(bytes);
            d.end();
          });
          // frameOnly vectors mean something else as a stream (an empty stream is valid; bytes after a
          // frame start the next one); errorCode() still requires any error to be a ProtocolError.
          if (!v.frameOnly) expect(stream).toBe(v.error);
        });
      }
    });
  }
});
