/**
 * fast-check arbitraries for every message of the catalogue, built from proto/catalogue.json and
 * respecting its constraints (ranges, lengths, list orders, cross-field checks). Test-only.
 */
import fc from 'fast-check';
import type { Message } from '../src/index';
import { type Catalogue, type Field, type MessageDef, INT_RANGE, loadCatalogue } from '../tools/catalogue';

const cat: Catalogue = loadCatalogue();

/** Fields whose value multiplies into a byte length stay small so samples stay small. */
const smallFields = (m: MessageDef): Set<string> =>
  new Set((m.checks ?? []).flatMap((c) => (c.kind === 'byteLength' ? c.product : [])));

const intArb = (f: Field, type: keyof typeof INT_RANGE, small: boolean): fc.Arbitrary<number> => {
  const [lo, hi] = INT_RANGE[type];
  if (f.const !== undefined) return fc.constant(f.const);
  const min = f.min ?? (f.nonZero ? 1 : lo);
  const max = small ? Math.min(f.max ?? hi, min + 15) : (f.max ?? hi);
  return type === 'u64' ? fc.integer({ min, max }) : fc.integer({ min, max });
};

const utf8Bytes = (s: string): number => new TextEncoder().encode(s).length;

const stringArb = (maxBytes: number): fc.Arbitrary<string> =>
  fc
    .string({
      unit: fc.oneof(
        fc.constant('a'),
        fc.constant('é'),
        fc.constant('日'),
        fc.constant('😀'),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      ),
      maxLength: Math.min(40, maxBytes),
    })
    .filter((s) => utf8Bytes(s) <= maxBytes);

const bytesArb = (maxBytes: number | undefined): fc.Arbitrary<Uint8Array> =>
  fc.uint8Array({ maxLength: Math.min(maxBytes ?? 2048, 2048) });

const fieldArb = (f: Field, small: boolean): fc.Arbitrary<unknown> => {
  if (f.type in INT_RANGE) return intArb(f, f.type as keyof typeof INT_RANGE, small);
  switch (f.type) {
    case 'bool':
      return fc.boolean();
    case 'enum':
      return fc.constantFrom(...Object.keys(cat.enums[f.enum!]!.values));
    case 'flags': {
      const bits = Object.values(cat.flags[f.flags!]!.bits);
      return fc.subarray(bits).map((bs) => bs.reduce((a, b) => a | b, 0));
    }
    case 'str8':
    case 'str16':
    case 'str32':
      return stringArb(f.maxBytes!);
    case 'bytes16':
    case 'bytes32':
    case 'rest':
      return bytesArb(f.maxBytes);
    case 'fixed':
      return fc.uint8Array({ minLength: f.size!, maxLength: f.size! });
    case 'list': {
      const item = f.of!;
      if (item in INT_RANGE) {
        const [lo, hi] = INT_RANGE[item as keyof typeof INT_RANGE];
        const itemArb = fc.integer({ min: f.nonZero ? Math.max(1, lo) : lo, max: hi });
        const arr = f.ascending
          ? fc
              .uniqueArray(itemArb, { minLength: f.min ?? 0, maxLength: f.max! })
              .map((a) => [...a].sort((x, y) => x - y))
          : fc.array(itemArb, { minLength: f.min ?? 0, maxLength: f.max! });
        return arr;
      }
      const s = cat.structs[item]!;
      const rec = fc.record(Object.fromEntries(s.fields.map((sf) => [sf.name, fieldArb(sf, false)])));
      return fc.array(rec, { minLength: f.min ?? 0, maxLength: f.max! });
    }
    default:
      break;
  }
  throw new Error(`no arbitrary for ${f.type}`);
};

const fixup = (m: MessageDef, v: Record<string, unknown>): Record<string, unknown> => {
  for (const c of m.checks ?? []) {
    if (c.kind === 'disjoint') {
      const a = v[c.fields[0]] as number[];
      v[c.fields[1]] = (v[c.fields[1]] as number[]).filter((x) => !a.includes(x));
    } else if (c.kind === 'less') {
      const [a, b] = c.fields;
      v[a] = (v[a] as number) % (v[b] as number);
    } else if (c.kind === 'lessOrEqual') {
      const [a, b] = c.fields;
      if ((v[a] as number) > (v[b] as number)) [v[a], v[b]] = [v[b], v[a]];
    } else if (c.kind === 'byteLength') {
      const n = c.product.reduce((p, f) => p * (v[f] as number), c.times);
      const old = v[c.field] as Uint8Array;
      const bytes = new Uint8Array(n);
      bytes.set(old.subarray(0, n));
      v[c.field] = bytes;
    }
  }
  return v;
};

export const messageArbitrary = (channel: string, m: MessageDef): fc.Arbitrary<Message> => {
  const small = smallFields(m);
  const fields = m.fields.filter((f) => f.const === undefined);
  return fc
    .record(Object.fromEntries(fields.map((f) => [f.name, fieldArb(f, small.has(f.name))])))
    .map((v) => fixup(m, { channel, type: m.name, ...v }) as unknown as Message);
};

/** One arbitrary per message of the catalogue. */
export const MESSAGE_ARBITRARIES: readonly { name: string; arb: fc.Arbitrary<Message> }[] =
  cat.channels.flatMap((ch) =>
    ch.messages.map((m) => ({ name: `${ch.name}.${m.name}`, arb: messageArbitrary(ch.name, m) })),
  );

/** Any message. */
export const anyMessage: fc.Arbitrary<Message> = fc.oneof(...MESSAGE_ARBITRARIES.map((a) => a.arb));

export const catalogue = cat;
