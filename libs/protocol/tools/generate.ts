/**
 * Generates libs/protocol/src/generated/catalogue.ts from proto/catalogue.json.
 *
 *   npm run proto:generate           write the file
 *   npm run proto:generate -- --check   exit 1 when the checked-in file differs (drift)
 *
 * The unit test `generated.spec.ts` runs the same check, so drift fails the build.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import {
  type Catalogue,
  type Check,
  type Field,
  type IntType,
  type MessageDef,
  INT_RANGE,
  INT_SIZE,
  LEN_SIZE,
  fieldSize,
  loadCatalogue,
  pascal,
  structSize,
} from './catalogue';

export const GENERATED_PATH = fileURLToPath(new URL('../src/generated/catalogue.ts', import.meta.url));
const PRETTIER_CONFIG = fileURLToPath(new URL('../../../.prettierrc.json', import.meta.url));

const READ: Record<string, string> = { u8: 'r8', u16: 'r16', u32: 'r32', i16: 'ri16', i32: 'ri32' };
const WRITE: Record<string, string> = { u8: 'w8', u16: 'w16', u32: 'w32', i16: 'w16', i32: 'w32' };

const isInt = (t: string): t is IntType => t in INT_RANGE;

const tsType = (cat: Catalogue, f: Field): string => {
  switch (f.type) {
    case 'bool':
      return 'boolean';
    case 'enum':
      return f.enum!;
    case 'str8':
    case 'str16':
    case 'str32':
      return 'string';
    case 'bytes16':
    case 'bytes32':
    case 'fixed':
    case 'rest':
      return 'Uint8Array';
    case 'list':
      return `readonly ${isInt(f.of!) ? 'number' : f.of!}[]`;
    default:
      void cat;
      return 'number';
  }
};

const doc = (text: string | undefined, indent = ''): string => (text ? `${indent}/** ${text} */\n` : '');

const typeName = (channel: string, m: MessageDef): string => `${pascal(channel)}${pascal(m.name)}`;

/** Value constraints shared by the decoder and the encoder (v = JS expression of the value). */
const intConstraints = (f: Field, t: IntType, v: string, W: string, labelExpr: string): string => {
  const [lo, hi] = INT_RANGE[t];
  let out = '';
  if (f.const !== undefined) {
    out += `if (${v} !== ${f.const}) invalid('invalid_value', ${W}, ${labelExpr}, ${v}, 'must be ${f.const}');\n`;
    return out;
  }
  const min = f.min ?? (f.nonZero ? 1 : lo);
  const max = f.max ?? hi;
  const conds: string[] = [];
  if (min > lo) conds.push(`${v} < ${min}`);
  if (max < hi) conds.push(`${v} > ${max}`);
  if (conds.length) {
    out += `if (${conds.join(' || ')}) invalid('invalid_value', ${W}, ${labelExpr}, ${v}, 'must be in [${min}, ${max}]');\n`;
  }
  return out;
};

const encodeRange = (f: Field, t: IntType): [number, number] => {
  const [lo, hi] = INT_RANGE[t];
  if (f.const !== undefined) return [f.const, f.const];
  return [f.min ?? (f.nonZero ? 1 : lo), f.max ?? hi];
};

const checkCode = (c: Check, W: string, get: (name: string) => string): string => {
  switch (c.kind) {
    case 'disjoint': {
      const [a, b] = c.fields;
      return `for (const v of ${get(b)}) if (${get(a)}.includes(v)) invalid('invalid_value', ${W}, '${b}', v, 'also listed in ${a}');\n`;
    }
    case 'less':
    case 'lessOrEqual': {
      const [a, b] = c.fields;
      const op = c.kind === 'less' ? '<' : '<=';
      return `if (!(${get(a)} ${op} ${get(b)})) invalid('invalid_value', ${W}, '${a}', ${get(a)}, 'must be ${op} ${b}');\n`;
    }
    case 'byteLength': {
      const expr = [...c.product.map(get), String(c.times)].join(' * ');
      return `if (${get(c.field)}.length !== ${expr}) invalid('invalid_value', ${W}, '${c.field}', ${get(c.field)}.length, 'must be ${[...c.product, String(c.times)].join(' * ')} bytes');\n`;
    }
  }
};

// ---- decoder ---------------------------------------------------------------------------------------

const genDecodeField = (cat: Catalogue, f: Field, W: string, v: string, label: string): string => {
  let out = '';
  const need = (n: string): string => `if (q + ${n} > end) truncated(${W}, '${label}', q - p);\n`;
  if (isInt(f.type)) {
    const t = f.type;
    out += need(String(INT_SIZE[t]));
    out += t === 'u64' ? `const ${v} = r64(b, q, ${W}, '${label}');\n` : `const ${v} = ${READ[t]}(b, q);\n`;
    out += `q += ${INT_SIZE[t]};\n`;
    out += intConstraints(f, t, v, W, `'${label}'`);
    return out;
  }
  switch (f.type) {
    case 'bool':
      return need('1') + `const ${v} = rbool(b, q, ${W}, '${label}');\nq += 1;\n`;
    case 'enum': {
      const e = cat.enums[f.enum!]!;
      const sz = e.type === 'u8' ? 1 : 2;
      return (
        need(String(sz)) +
        `const ${v}Raw = ${READ[e.type]}(b, q);\nq += ${sz};\n` +
        `const ${v} = ${f.enum}ByValue[${v}Raw];\n` +
        `if (${v} === undefined) return invalid('invalid_enum', ${W}, '${label}', ${v}Raw, 'not a ${f.enum} value');\n`
      );
    }
    case 'flags': {
      const fl = cat.flags[f.flags!]!;
      const sz = INT_SIZE[fl.type];
      return (
        need(String(sz)) +
        `const ${v} = ${READ[fl.type]}(b, q);\nq += ${sz};\n` +
        `if ((${v} & ~${f.flags}Mask) !== 0) invalid('invalid_flags', ${W}, '${label}', ${v}, 'reserved ${f.flags} bits set');\n`
      );
    }
    case 'str8':
    case 'str16':
    case 'str32':
    case 'bytes16':
    case 'bytes32': {
      const L = LEN_SIZE[f.type];
      let s = need(String(L)) + `const ${v}Len = ${READ[`u${L * 8}`]}(b, q);\nq += ${L};\n`;
      s += `if (${v}Len > ${f.maxBytes}) invalid('length_exceeded', ${W}, '${label}', ${v}Len, 'at most ${f.maxBytes} bytes');\n`;
      s += need(`${v}Len`);
      s += f.type.startsWith('str')
        ? `const ${v} = rstr(b, q, q + ${v}Len, ${W}, '${label}');\n`
        : `const ${v} = b.subarray(q, q + ${v}Len);\n`;
      return s + `q += ${v}Len;\n`;
    }
    case 'fixed':
      return need(String(f.size)) + `const ${v} = b.subarray(q, q + ${f.size});\nq += ${f.size};\n`;
    case 'rest': {
      let s = '';
      if (f.maxBytes !== undefined) {
        s += `if (end - q > ${f.maxBytes}) invalid('length_exceeded', ${W}, '${label}', end - q, 'at most ${f.maxBytes} bytes');\n`;
      }
      return s + `const ${v} = b.subarray(q, end);\nq = end;\n`;
    }
    case 'list': {
      const cnt = f.count!;
      const item = f.of!;
      const itemSize = isInt(item) ? INT_SIZE[item] : structSize(cat, item);
      let s = need(String(INT_SIZE[cnt])) + `const ${v}Count = ${READ[cnt]}(b, q);\nq += ${INT_SIZE[cnt]};\n`;
      s += `if (${v}Count > ${f.max}) invalid('length_exceeded', ${W}, '${label}', ${v}Count, 'at most ${f.max} item(s)');\n`;
      if (f.min) {
        s += `if (${v}Count < ${f.min}) invalid('invalid_value', ${W}, '${label}', ${v}Count, 'at least ${f.min} item(s)');\n`;
      }
      s += need(`${v}Count * ${itemSize}`);
      const T = isInt(item) ? 'number' : item;
      s += `const ${v}: ${T}[] = [];\n`;
      if (isInt(item)) {
        s += `for (let i = 0; i < ${v}Count; i++) {\n`;
        s +=
          item === 'u64' ? `const it = r64(b, q, ${W}, '${label}');\n` : `const it = ${READ[item]}(b, q);\n`;
        s += `q += ${INT_SIZE[item]};\n`;
        s += intConstraints(
          { name: f.name, type: item, min: f.nonZero ? 1 : undefined },
          item,
          'it',
          W,
          `'${label}'`,
        );
        if (f.ascending) {
          s += `if (i > 0 && it <= ${v}[i - 1]!) invalid('invalid_value', ${W}, '${label}', it, 'items must be strictly ascending');\n`;
        }
        s += `${v}.push(it);\n}\n`;
      } else {
        s += `for (let i = 0; i < ${v}Count; i++) {\n`;
        s += `const it = decode${item}(b, q, ${W}, '${label}');\nq += ${itemSize};\n${v}.push(it);\n}\n`;
      }
      return s;
    }
  }
  throw new Error(`unhandled field type ${String(f.type)}`);
};

const genStructCodec = (cat: Catalogue, name: string): string => {
  const s = cat.structs[name]!;
  let dec = `const decode${name} = (b: Uint8Array, q: number, W: string, label: string): ${name} => {\n`;
  let off = 0;
  const names: string[] = [];
  for (const f of s.fields) {
    const v = `f_${f.name}`;
    names.push(`${f.name}: ${v}`);
    const lbl = `\`\${label}.${f.name}\``;
    if (isInt(f.type)) {
      dec +=
        f.type === 'u64'
          ? `const ${v} = r64(b, q + ${off}, W, ${lbl});\n`
          : `const ${v} = ${READ[f.type]}(b, q + ${off});\n`;
      dec += intConstraints(f, f.type, v, 'W', lbl);
    } else if (f.type === 'bool') {
      dec += `const ${v} = rbool(b, q + ${off}, W, ${lbl});\n`;
    } else if (f.type === 'enum') {
      const e = cat.enums[f.enum!]!;
      dec += `const ${v}Raw = ${READ[e.type]}(b, q + ${off});\nconst ${v} = ${f.enum}ByValue[${v}Raw];\n`;
      dec += `if (${v} === undefined) return invalid('invalid_enum', W, ${lbl}, ${v}Raw, 'not a ${f.enum} value');\n`;
    } else if (f.type === 'flags') {
      dec += `const ${v} = ${READ[cat.flags[f.flags!]!.type]}(b, q + ${off});\n`;
      dec += `if ((${v} & ~${f.flags}Mask) !== 0) invalid('invalid_flags', W, ${lbl}, ${v}, 'reserved bits set');\n`;
    }
    off += fieldSize(cat, f)!;
  }
  dec += `return { ${names.join(', ')} };\n};\n`;
  if (!/\bW\b/.test(dec.slice(dec.indexOf('=>'))))
    dec = dec.replace('W: string, label: string', '_W: string, _label: string');

  let enc = `const encode${name} = (m: ${name}, b: Uint8Array, q: number, W: string, label: string): void => {\n`;
  enc += `if (m === null || typeof m !== 'object') invalid('invalid_value', W, label, m, 'must be an object');\n`;
  off = 0;
  for (const f of s.fields) {
    const lbl = `\`\${label}.${f.name}\``;
    if (isInt(f.type)) {
      const [lo, hi] = encodeRange(f, f.type);
      enc += `checkUint(m.${f.name}, ${lo}, ${hi}, W, ${lbl});\n`;
      enc +=
        f.type === 'u64'
          ? `w64(b, q + ${off}, m.${f.name});\n`
          : `${WRITE[f.type]}(b, q + ${off}, m.${f.name});\n`;
    } else if (f.type === 'bool') {
      enc += `checkBool(m.${f.name}, W, ${lbl});\nw8(b, q + ${off}, m.${f.name} ? 1 : 0);\n`;
    } else if (f.type === 'enum') {
      const e = cat.enums[f.enum!]!;
      enc += `${WRITE[e.type]}(b, q + ${off}, enumValue(${f.enum}, m.${f.name}, W, ${lbl}));\n`;
    } else if (f.type === 'flags') {
      const fl = cat.flags[f.flags!]!;
      enc += `checkUint(m.${f.name}, 0, ${INT_RANGE[fl.type as IntType][1]}, W, ${lbl});\n`;
      enc += `if ((m.${f.name} & ~${f.flags}Mask) !== 0) invalid('invalid_flags', W, ${lbl}, m.${f.name}, 'reserved bits set');\n`;
      enc += `${WRITE[fl.type]}(b, q + ${off}, m.${f.name});\n`;
    }
    off += fieldSize(cat, f)!;
  }
  enc += '};\n';
  return dec + '\n' + enc;
};

const genDecode = (cat: Catalogue, channel: string, m: MessageDef): string => {
  const W = `'${channel}.${m.name}'`;
  const T = typeName(channel, m);
  let body = m.fields.length ? 'let q = p;\n' : 'const q = p;\n';
  for (const f of m.fields) body += genDecodeField(cat, f, W, `f_${f.name}`, f.name);
  body += `if (q !== end) trailing(${W}, end - q, q - p);\n`;
  for (const c of m.checks ?? []) body += checkCode(c, W, (n) => `f_${n}`);
  const props = m.fields.filter((f) => f.const === undefined).map((f) => `${f.name}: f_${f.name}`);
  body += `return { channel: '${channel}', type: '${m.name}'${props.length ? ', ' : ''}${props.join(', ')} };\n`;
  return `const decode${T} = (b: Uint8Array, p: number, end: number): ${T} => {\n${body}};\n`;
};

// ---- encoder ---------------------------------------------------------------------------------------

const genSize = (cat: Catalogue, channel: string, m: MessageDef): string => {
  const W = `'${channel}.${m.name}'`;
  const T = typeName(channel, m);
  let fixed = 0;
  const parts: string[] = [];
  let pre = '';
  for (const f of m.fields) {
    const sz = fieldSize(cat, f);
    if (sz !== null) {
      fixed += sz;
      continue;
    }
    const v = `m.${f.name}`;
    switch (f.type) {
      case 'str8':
      case 'str16':
      case 'str32':
        pre += `checkString(${v}, ${W}, '${f.name}');\n`;
        fixed += LEN_SIZE[f.type];
        parts.push(`utf8Length(${v}, ${W}, '${f.name}')`);
        break;
      case 'bytes16':
      case 'bytes32':
        pre += `checkBytes(${v}, ${W}, '${f.name}');\n`;
        fixed += LEN_SIZE[f.type];
        parts.push(`${v}.length`);
        break;
      case 'rest':
        pre += `checkBytes(${v}, ${W}, '${f.name}');\n`;
        parts.push(`${v}.length`);
        break;
      case 'list': {
        pre += `checkList(${v}, ${f.min ?? 0}, ${f.max}, ${W}, '${f.name}');\n`;
        fixed += INT_SIZE[f.count!];
        const itemSize = isInt(f.of!) ? INT_SIZE[f.of] : structSize(cat, f.of!);
        parts.push(`${v}.length * ${itemSize}`);
        break;
      }
      default:
        throw new Error(`size: ${String(f.type)}`);
    }
  }
  const expr = [String(fixed), ...parts].join(' + ');
  const param = m.fields.length && parts.length ? 'm' : '_m';
  return `const size${T} = (${param}: ${T}): number => {\n${pre}return ${expr};\n};\n`;
};

const genEncode = (cat: Catalogue, channel: string, m: MessageDef): string => {
  const W = `'${channel}.${m.name}'`;
  const T = typeName(channel, m);
  let body = '';
  for (const f of m.fields) {
    const v = f.const !== undefined ? String(f.const) : `m.${f.name}`;
    if (isInt(f.type)) {
      const [lo, hi] = encodeRange(f, f.type);
      if (f.const === undefined) body += `checkUint(${v}, ${lo}, ${hi}, ${W}, '${f.name}');\n`;
      body += f.type === 'u64' ? `w64(b, q, ${v});\n` : `${WRITE[f.type]}(b, q, ${v});\n`;
      body += `q += ${INT_SIZE[f.type]};\n`;
      continue;
    }
    switch (f.type) {
      case 'bool':
        body += `checkBool(${v}, ${W}, '${f.name}');\nb[q++] = ${v} ? 1 : 0;\n`;
        break;
      case 'enum': {
        const e = cat.enums[f.enum!]!;
        body += `${WRITE[e.type]}(b, q, enumValue(${f.enum}, ${v}, ${W}, '${f.name}'));\nq += ${e.type === 'u8' ? 1 : 2};\n`;
        break;
      }
      case 'flags': {
        const fl = cat.flags[f.flags!]!;
        body += `checkUint(${v}, 0, ${INT_RANGE[fl.type as IntType][1]}, ${W}, '${f.name}');\n`;
        body += `if ((${v} & ~${f.flags}Mask) !== 0) invalid('invalid_flags', ${W}, '${f.name}', ${v}, 'reserved ${f.flags} bits set');\n`;
        body += `${WRITE[fl.type]}(b, q, ${v});\nq += ${INT_SIZE[fl.type]};\n`;
        break;
      }
      case 'str8':
      case 'str16':
      case 'str32': {
        const L = LEN_SIZE[f.type];
        body += `const ${f.name}Len = utf8Length(${v}, ${W}, '${f.name}');\n`;
        body += `if (${f.name}Len > ${f.maxBytes}) invalid('length_exceeded', ${W}, '${f.name}', ${f.name}Len, 'at most ${f.maxBytes} bytes');\n`;
        body += `${WRITE[`u${L * 8}`]}(b, q, ${f.name}Len);\nq = wstr(b, q + ${L}, ${v});\n`;
        break;
      }
      case 'bytes16':
      case 'bytes32': {
        const L = LEN_SIZE[f.type];
        body += `if (${v}.length > ${f.maxBytes}) invalid('length_exceeded', ${W}, '${f.name}', ${v}.length, 'at most ${f.maxBytes} bytes');\n`;
        body += `${WRITE[`u${L * 8}`]}(b, q, ${v}.length);\nb.set(${v}, q + ${L});\nq += ${L} + ${v}.length;\n`;
        break;
      }
      case 'fixed':
        body += `checkBytes(${v}, ${W}, '${f.name}');\n`;
        body += `if (${v}.length !== ${f.size}) invalid('invalid_value', ${W}, '${f.name}', ${v}.length, 'must be ${f.size} bytes');\n`;
        body += `b.set(${v}, q);\nq += ${f.size};\n`;
        break;
      case 'rest':
        if (f.maxBytes !== undefined) {
          body += `if (${v}.length > ${f.maxBytes}) invalid('length_exceeded', ${W}, '${f.name}', ${v}.length, 'at most ${f.maxBytes} bytes');\n`;
        }
        body += `b.set(${v}, q);\nq += ${v}.length;\n`;
        break;
      case 'list': {
        body += `${WRITE[f.count!]}(b, q, ${v}.length);\nq += ${INT_SIZE[f.count!]};\n`;
        const item = f.of!;
        if (isInt(item)) {
          const [lo, hi] = INT_RANGE[item];
          body += `for (let i = 0; i < ${v}.length; i++) {\nconst it = ${v}[i]!;\n`;
          body += `checkUint(it, ${f.nonZero ? 1 : lo}, ${hi}, ${W}, '${f.name}');\n`;
          if (f.ascending) {
            body += `if (i > 0 && it <= ${v}[i - 1]!) invalid('invalid_value', ${W}, '${f.name}', it, 'items must be strictly ascending');\n`;
          }
          body += item === 'u64' ? `w64(b, q, it);\n` : `${WRITE[item]}(b, q, it);\n`;
          body += `q += ${INT_SIZE[item]};\n}\n`;
        } else {
          const sz = structSize(cat, item);
          body += `for (const it of ${v}) {\nencode${item}(it, b, q, ${W}, '${f.name}');\nq += ${sz};\n}\n`;
        }
        break;
      }
      default:
        throw new Error(`encode: ${String(f.type)}`);
    }
  }
  for (const c of m.checks ?? []) body += checkCode(c, W, (n) => `m.${n}`);
  const param = m.fields.some((f) => f.const === undefined) ? 'm' : '_m';
  return `const encode${T} = (${param}: ${T}, b: Uint8Array, q: number): number => {\n${body}return q;\n};\n`;
};

// ---- whole file -------------------------------------------------------------------------------------

const fixedOffsets = (cat: Catalogue, m: MessageDef): (number | null)[] => {
  let off: number | null = 0;
  return m.fields.map((f) => {
    const here = off;
    const sz = fieldSize(cat, f);
    off = off === null || sz === null ? null : off + sz;
    return here;
  });
};

export const generateSource = (cat: Catalogue): string => {
  const out: string[] = [];
  out.push(
    `// GENERATED from proto/catalogue.json by libs/protocol/tools/generate.ts — do not edit.\n` +
      `// Regenerate with \`npm run proto:generate\`; the unit tier fails when this file drifts.\n` +
      `__IMPORTS__\n`,
  );
  out.push(`/** Protocol versions this build speaks, ascending. */`);
  out.push(`export const PROTOCOL_VERSIONS: readonly number[] = ${JSON.stringify(cat.versions)};`);
  out.push(`/** First four bytes of every hello payload: ASCII '${cat.magic.ascii}'. */`);
  out.push(`export const MAGIC = ${cat.magic.u32};`);
  out.push(`/** Size of the frame header: channel u8, type u8, payload length u32 LE. */`);
  out.push(`export const HEADER_SIZE = ${cat.envelope.headerSize};`);
  out.push(`export const LIMITS = ${JSON.stringify(cat.limits)} as const;`);

  out.push('\n// ---- capabilities\n');
  out.push(
    `export const Capability = {\n${cat.capabilities.map((c) => `${doc(c.doc, '  ')}  ${c.name}: ${c.id},`).join('\n')}\n} as const;`,
  );
  out.push(`export type CapabilityName = keyof typeof Capability;`);
  out.push(
    `export const CapabilityByValue: Readonly<Partial<Record<number, CapabilityName>>> = {${cat.capabilities.map((c) => `${c.id}: '${c.name}'`).join(', ')}};`,
  );
  out.push(
    `/** Capabilities that are only valid together with others. */\nexport const CAPABILITY_REQUIRES: Readonly<Partial<Record<CapabilityName, readonly CapabilityName[]>>> = {${cat.capabilities
      .filter((c) => c.requires)
      .map((c) => `${c.name}: ${JSON.stringify(c.requires)}`)
      .join(', ')}};`,
  );

  out.push('\n// ---- enums (string literal unions on the API, integers on the wire)\n');
  for (const [name, e] of Object.entries(cat.enums)) {
    const entries = Object.entries(e.values);
    out.push(`export const ${name} = {${entries.map(([k, v]) => `${k}: ${v}`).join(', ')}} as const;`);
    out.push(`export type ${name} = keyof typeof ${name};`);
    out.push(
      `export const ${name}ByValue: Readonly<Partial<Record<number, ${name}>>> = {${entries.map(([k, v]) => `${v}: '${k}'`).join(', ')}};`,
    );
  }
  out.push('\n// ---- flags (numbers on the API; reserved bits must be zero)\n');
  for (const [name, f] of Object.entries(cat.flags)) {
    const entries = Object.entries(f.bits);
    const mask = entries.reduce((a, [, v]) => a | v, 0);
    out.push(`export const ${name} = {${entries.map(([k, v]) => `${k}: ${v}`).join(', ')}} as const;`);
    out.push(`export const ${name}Mask = ${mask};`);
  }

  out.push('\n// ---- structs\n');
  for (const [name, s] of Object.entries(cat.structs)) {
    out.push(
      `${doc(s.doc)}export type ${name} = {\n${s.fields.map((f) => `${doc(f.doc, '  ')}  readonly ${f.name}: ${tsType(cat, f)};`).join('\n')}\n};`,
    );
  }

  out.push('\n// ---- messages\n');
  const channelUnions: string[] = [];
  for (const ch of cat.channels) {
    const names: string[] = [];
    for (const m of ch.messages) {
      const T = typeName(ch.name, m);
      names.push(T);
      const fields = m.fields
        .filter((f) => f.const === undefined)
        .map((f) => `${doc(f.doc, '  ')}  readonly ${f.name}: ${tsType(cat, f)};`);
      const header = `${ch.name}.${m.name} (channel ${ch.id}, type ${m.id}, ${m.direction})${m.doc ? `: ${m.doc}` : ''}`;
      out.push(
        `${doc(header)}export type ${T} = {\n  readonly channel: '${ch.name}';\n  readonly type: '${m.name}';\n${fields.join('\n')}${fields.length ? '\n' : ''}};`,
      );
    }
    const U = `${pascal(ch.name)}Message`;
    channelUnions.push(U);
    out.push(`export type ${U} = ${names.join(' | ')};`);
  }
  out.push(`/** Every message, discriminated by \`channel\` and then \`type\`. */`);
  out.push(`export type Message = ${channelUnions.join(' | ')};`);
  out.push(`export type ChannelName = Message['channel'];`);
  out.push(
    `export type MessageType<C extends ChannelName = ChannelName> = Extract<Message, { channel: C }>['type'];`,
  );
  out.push(
    `export type MessageOf<C extends ChannelName, T extends MessageType<C>> = Extract<Message, { channel: C; type: T }>;`,
  );
  out.push(`export const Channel = {${cat.channels.map((c) => `${c.name}: ${c.id}`).join(', ')}} as const;`);
  out.push(
    `export const ChannelByValue: Readonly<Partial<Record<number, ChannelName>>> = {${cat.channels.map((c) => `${c.id}: '${c.name}'`).join(', ')}};`,
  );

  out.push('\n// ---- codecs\n');
  for (const name of Object.keys(cat.structs)) out.push(genStructCodec(cat, name));
  for (const ch of cat.channels) {
    for (const m of ch.messages) {
      out.push(genDecode(cat, ch.name, m));
      out.push(genSize(cat, ch.name, m));
      out.push(genEncode(cat, ch.name, m));
    }
  }

  out.push('\n// ---- tables\n');
  out.push(`export type Direction = 'up' | 'down' | 'both';`);
  out.push(
    `/** Field layout, for tools (JSON conversion, vector mutation). offset is null after a variable-size field. */\nexport type FieldInfo = { readonly name: string; readonly type: string; readonly offset: number | null; readonly size: number | null; readonly enum?: string; readonly flags?: string; readonly const?: number };`,
  );
  out.push(
    `export type MessageCodec<M extends Message = Message> = {\n  readonly channel: M['channel'];\n  readonly type: M['type'];\n  readonly channelId: number;\n  readonly typeId: number;\n  readonly direction: Direction;\n  /** Part of the version/capability handshake (allowed before the session is open). */\n  readonly handshake: boolean;\n  /** Capability that must have been negotiated, or null. */\n  readonly capability: CapabilityName | null;\n  /** Permission the viewer side needs to send it (for the gateway's role checks), or null. */\n  readonly permission: keyof typeof Permissions | null;\n  readonly fields: readonly FieldInfo[];\n  readonly decode: (b: Uint8Array, start: number, end: number) => M;\n  readonly size: (m: M) => number;\n  readonly encode: (m: M, b: Uint8Array, at: number) => number;\n};`,
  );
  const codecEntries: string[] = [];
  for (const ch of cat.channels) {
    const rows: string[] = [];
    for (const m of ch.messages) {
      const T = typeName(ch.name, m);
      const offs = fixedOffsets(cat, m);
      const fields = m.fields.map((f, i) => {
        const info: Record<string, unknown> = {
          name: f.name,
          type: f.type,
          offset: offs[i],
          size: fieldSize(cat, f),
        };
        if (f.enum) info['enum'] = f.enum;
        if (f.flags) info['flags'] = f.flags;
        if (f.const !== undefined) info['const'] = f.const;
        return JSON.stringify(info);
      });
      const cap = m.capability ?? ch.capability ?? null;
      rows.push(
        `${m.name}: {channel: '${ch.name}', type: '${m.name}', channelId: ${ch.id}, typeId: ${m.id}, direction: '${m.direction}', handshake: ${m.handshake === true}, capability: ${cap ? `'${cap}'` : 'null'}, permission: ${m.permission ? `'${m.permission}'` : 'null'}, fields: [${fields.join(', ')}], decode: decode${T}, size: size${T}, encode: encode${T}} satisfies MessageCodec<${T}>,`,
      );
    }
    codecEntries.push(`${ch.name}: {\n${rows.join('\n')}\n},`);
  }
  out.push(
    `/** Codec and metadata of every message, by channel and type. */\nexport const CODECS = {\n${codecEntries.join('\n')}\n} as const;`,
  );
  const body = out.join('\n');
  const helpers = [
    'checkBool',
    'checkBytes',
    'checkList',
    'checkString',
    'checkUint',
    'enumValue',
    'invalid',
    'r16',
    'r32',
    'r64',
    'r8',
    'rbool',
    'ri16',
    'ri32',
    'rstr',
    'trailing',
    'truncated',
    'utf8Length',
    'w16',
    'w32',
    'w64',
    'w8',
    'wstr',
  ].filter((h) => new RegExp(`\\b${h}\\(`).test(body));
  return body.replace('__IMPORTS__', `import { ${helpers.join(', ')} } from '../wire';`);
};

// ---- the message reference in proto/SPEC.md ---------------------------------------------------------

export const SPEC_PATH = fileURLToPath(new URL('../../../proto/SPEC.md', import.meta.url));
const BEGIN = '<!-- BEGIN GENERATED from proto/catalogue.json by npm run proto:generate; do not edit -->';
const END = '<!-- END GENERATED -->';

const fieldType = (cat: Catalogue, f: Field): string => {
  switch (f.type) {
    case 'enum':
      return `${cat.enums[f.enum!]!.type} enum ${f.enum}`;
    case 'flags':
      return `${cat.flags[f.flags!]!.type} flags ${f.flags}`;
    case 'fixed':
      return `bytes[${f.size}]`;
    case 'list':
      return `${f.count} count + ${f.of}[]`;
    default:
      return f.type;
  }
};

const fieldRule = (f: Field): string => {
  const rules: string[] = [];
  if (f.const !== undefined) rules.push(`= ${f.const}`);
  if (f.min !== undefined && f.type !== 'list') rules.push(`≥ ${f.min}`);
  if (f.max !== undefined && f.type !== 'list') rules.push(`≤ ${f.max}`);
  if (f.type === 'list') rules.push(`${f.min ?? 0}–${f.max} items`);
  if (f.nonZero) rules.push('items ≠ 0');
  if (f.ascending) rules.push('strictly ascending');
  if (f.maxBytes !== undefined) rules.push(`≤ ${f.maxBytes} bytes`);
  return rules.join(', ');
};

const checkText = (c: Check): string => {
  switch (c.kind) {
    case 'disjoint':
      return `${c.fields[0]} and ${c.fields[1]} share no item`;
    case 'less':
      return `${c.fields[0]} < ${c.fields[1]}`;
    case 'lessOrEqual':
      return `${c.fields[0]} ≤ ${c.fields[1]}`;
    case 'byteLength':
      return `length of ${c.field} = ${[...c.product, String(c.times)].join(' × ')}`;
  }
};

export const renderReference = (cat: Catalogue): string => {
  const out: string[] = [BEGIN, ''];
  out.push('### Capabilities', '', '| id | name | requires | meaning |', '| --- | --- | --- | --- |');
  for (const c of cat.capabilities)
    out.push(`| ${c.id} | \`${c.name}\` | ${(c.requires ?? []).join(', ')} | ${c.doc} |`);
  out.push('', '### Enumerations', '', '| enum | wire type | values |', '| --- | --- | --- |');
  for (const [name, e] of Object.entries(cat.enums)) {
    out.push(
      `| ${name} | ${e.type} | ${Object.entries(e.values)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')} |`,
    );
  }
  out.push(
    '',
    '### Flags',
    '',
    'Bits not listed are reserved and must be zero.',
    '',
    '| flags | wire type | bits |',
    '| --- | --- | --- |',
  );
  for (const [name, f] of Object.entries(cat.flags)) {
    out.push(
      `| ${name} | ${f.type} | ${Object.entries(f.bits)
        .map(([k, v]) => `0x${v.toString(16)} ${k}`)
        .join(', ')} |`,
    );
  }
  out.push('', '### Structures', '');
  for (const [name, st] of Object.entries(cat.structs)) {
    out.push(`**${name}** (${structSize(cat, name)} bytes)${st.doc ? ` — ${st.doc}` : ''}`, '');
    out.push('| field | type | rule |', '| --- | --- | --- |');
    for (const f of st.fields) out.push(`| ${f.name} | ${fieldType(cat, f)} | ${fieldRule(f)} |`);
    out.push('');
  }
  out.push('### Messages', '');
  for (const ch of cat.channels) {
    out.push(`#### Channel ${ch.id} \`${ch.name}\``, '');
    out.push(
      `${ch.doc} Capability: ${ch.capability ? `\`${ch.capability}\`` : 'none (always available)'}. WebTransport: ${ch.webtransport}.`,
      '',
    );
    for (const m of ch.messages) {
      const offs = fixedOffsets(cat, m);
      const fixed = m.fields.every((f) => fieldSize(cat, f) !== null);
      const size = m.fields.reduce((n, f) => n + (fieldSize(cat, f) ?? 0), 0);
      const attrs = [
        `type ${m.id}`,
        m.direction === 'up' ? 'viewer → host' : m.direction === 'down' ? 'host → viewer' : 'both directions',
        fixed ? `payload ${size} bytes` : `payload ≥ ${size} bytes`,
      ];
      if (m.handshake) attrs.push('handshake');
      if (m.capability) attrs.push(`capability \`${m.capability}\``);
      if (m.permission) attrs.push(`permission \`${m.permission}\``);
      out.push(`**${ch.name}.${m.name}** — ${attrs.join(' · ')}${m.doc ? `  \n${m.doc}` : ''}`, '');
      if (m.fields.length === 0) out.push('No fields (empty payload).', '');
      else {
        out.push('| offset | field | type | rule | meaning |', '| --- | --- | --- | --- | --- |');
        m.fields.forEach((f, i) => {
          out.push(
            `| ${offs[i] ?? '…'} | ${f.name} | ${fieldType(cat, f)} | ${fieldRule(f)} | ${f.doc ?? ''} |`,
          );
        });
        out.push('');
      }
      if (m.checks?.length) out.push(`Checks: ${m.checks.map(checkText).join('; ')}.`, '');
    }
  }
  out.push(END);
  return out.join('\n');
};

/** SPEC.md with its generated reference section replaced (and formatted as Prettier would). */
export const renderSpec = async (current: string, cat: Catalogue): Promise<string> => {
  const a = current.indexOf(BEGIN);
  const b = current.indexOf(END);
  if (a < 0 || b < a) throw new Error(`${SPEC_PATH} lacks the generated-section markers`);
  const options = (await prettier.resolveConfig(PRETTIER_CONFIG)) ?? {};
  const next = current.slice(0, a) + renderReference(cat) + current.slice(b + END.length);
  return prettier.format(next, { ...options, parser: 'markdown' });
};

export const formatSource = async (src: string): Promise<string> => {
  const options = (await prettier.resolveConfig(PRETTIER_CONFIG)) ?? {};
  return prettier.format(src, { ...options, parser: 'typescript' });
};

export const generate = async (cat: Catalogue = loadCatalogue()): Promise<string> =>
  formatSource(generateSource(cat));

const main = async (): Promise<void> => {
  const check = process.argv.includes('--check');
  const spec = readFileSync(SPEC_PATH, 'utf8');
  const nextSpec = await renderSpec(spec, loadCatalogue());
  if (spec !== nextSpec) {
    if (check) {
      console.error(`${SPEC_PATH}: the message reference is out of date: run npm run proto:generate`);
      process.exit(1);
    }
    writeFileSync(SPEC_PATH, nextSpec);
    console.log(`wrote ${SPEC_PATH}`);
  }
  const next = await generate();
  const current = (() => {
    try {
      return readFileSync(GENERATED_PATH, 'utf8');
    } catch {
      return '';
    }
  })();
  if (check) {
    if (current !== next) {
      console.error(`${GENERATED_PATH} is out of date: run npm run proto:generate`);
      process.exit(1);
    }
    console.log('generated codecs match proto/catalogue.json');
    return;
  }
  if (current === next) console.log('unchanged');
  else {
    writeFileSync(GENERATED_PATH, next);
    console.log(`wrote ${GENERATED_PATH}`);
  }
};

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
