/**
 * The shape of proto/catalogue.json, and a loader that validates it. Shared by the code generator,
 * the vector generator and the drift test. Node-only (reads files); not part of the library.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export type IntType = 'u8' | 'u16' | 'u32' | 'i16' | 'i32' | 'u64';
export type FieldType =
  | IntType
  | 'bool'
  | 'enum'
  | 'flags'
  | 'str8'
  | 'str16'
  | 'str32'
  | 'bytes16'
  | 'bytes32'
  | 'fixed'
  | 'rest'
  | 'list';

export type Field = {
  name: string;
  type: FieldType;
  doc?: string;
  const?: number;
  min?: number;
  max?: number;
  enum?: string;
  flags?: string;
  maxBytes?: number;
  size?: number;
  count?: 'u8' | 'u16';
  of?: string;
  ascending?: boolean;
  nonZero?: boolean;
};

export type Check =
  | { kind: 'disjoint'; fields: [string, string] }
  | { kind: 'less' | 'lessOrEqual'; fields: [string, string] }
  | { kind: 'byteLength'; field: string; product: string[]; times: number };

export type MessageDef = {
  id: number;
  name: string;
  direction: 'up' | 'down' | 'both';
  handshake?: boolean;
  capability?: string;
  permission?: string;
  doc?: string;
  fields: Field[];
  checks?: Check[];
  examples: Record<string, unknown>[];
};

export type ChannelDef = {
  id: number;
  name: string;
  doc: string;
  capability?: string;
  webtransport: string;
  messages: MessageDef[];
};

export type Catalogue = {
  protocol: string;
  versions: number[];
  byteOrder: 'little-endian';
  envelope: { headerSize: number; fields: { name: string; type: string; doc?: string }[] };
  limits: Record<string, number>;
  magic: { ascii: string; u32: number };
  capabilities: { id: number; name: string; doc: string; requires?: string[] }[];
  enums: Record<string, { type: 'u8' | 'u16'; values: Record<string, number> }>;
  flags: Record<string, { type: 'u8' | 'u16' | 'u32'; bits: Record<string, number> }>;
  structs: Record<string, { doc?: string; fields: Field[] }>;
  channels: ChannelDef[];
};

export const CATALOGUE_PATH = fileURLToPath(new URL('../../../proto/catalogue.json', import.meta.url));

export const INT_SIZE: Record<IntType | 'bool', number> = {
  u8: 1,
  u16: 2,
  u32: 4,
  i16: 2,
  i32: 4,
  u64: 8,
  bool: 1,
};

export const LEN_SIZE = { str8: 1, str16: 2, str32: 4, bytes16: 2, bytes32: 4 } as const;

export const INT_RANGE: Record<IntType, [number, number]> = {
  u8: [0, 0xff],
  u16: [0, 0xffff],
  u32: [0, 0xffffffff],
  i16: [-0x8000, 0x7fff],
  i32: [-0x80000000, 0x7fffffff],
  u64: [0, Number.MAX_SAFE_INTEGER],
};

/** Fixed size of a field in bytes, or null when it depends on the value. */
export const fieldSize = (cat: Catalogue, f: Field): number | null => {
  switch (f.type) {
    case 'u8':
    case 'u16':
    case 'u32':
    case 'i16':
    case 'i32':
    case 'u64':
    case 'bool':
      return INT_SIZE[f.type];
    case 'enum':
      return cat.enums[f.enum!]!.type === 'u8' ? 1 : 2;
    case 'flags':
      return INT_SIZE[cat.flags[f.flags!]!.type];
    case 'fixed':
      return f.size!;
    default:
      return null;
  }
};

export const structSize = (cat: Catalogue, name: string): number =>
  cat.structs[name]!.fields.reduce((n, f) => n + fieldSize(cat, f)!, 0);

const fail = (msg: string): never => {
  throw new Error(`catalogue: ${msg}`);
};

/** Structural validation: ids unique, references resolve, layouts are decodable. */
export const validateCatalogue = (cat: Catalogue): Catalogue => {
  const capNames = new Set(cat.capabilities.map((c) => c.name));
  if (capNames.size !== cat.capabilities.length) fail('duplicate capability name');
  if (new Set(cat.capabilities.map((c) => c.id)).size !== cat.capabilities.length)
    fail('duplicate capability id');
  for (const c of cat.capabilities)
    for (const r of c.requires ?? []) if (!capNames.has(r)) fail(`${c.name} requires ${r}`);
  const perms = new Set(Object.keys(cat.flags['Permissions']?.bits ?? {}));
  const checkFields = (where: string, fields: Field[], inStruct: boolean): void => {
    const names = new Set<string>();
    fields.forEach((f, i) => {
      if (names.has(f.name)) fail(`${where}: duplicate field ${f.name}`);
      names.add(f.name);
      if (f.name === 'channel' || f.name === 'type') fail(`${where}: reserved field name ${f.name}`);
      if (f.type === 'enum' && !cat.enums[f.enum ?? '']) fail(`${where}.${f.name}: unknown enum ${f.enum}`);
      if (f.type === 'flags' && !cat.flags[f.flags ?? ''])
        fail(`${where}.${f.name}: unknown flags ${f.flags}`);
      if (f.type === 'rest' && i !== fields.length - 1)
        fail(`${where}.${f.name}: rest must be the last field`);
      if (f.type === 'fixed' && !(f.size! > 0)) fail(`${where}.${f.name}: fixed needs a size`);
      if (f.type === 'list') {
        if (!f.count || !f.of || f.max === undefined) fail(`${where}.${f.name}: list needs count, of, max`);
        if (!(f.of! in INT_RANGE) && !cat.structs[f.of!])
          fail(`${where}.${f.name}: unknown item type ${f.of}`);
      }
      if (f.type.startsWith('str') || f.type.startsWith('bytes')) {
        if (f.maxBytes === undefined) fail(`${where}.${f.name}: needs maxBytes`);
      }
      if (inStruct && fieldSize(cat, f) === null)
        fail(`${where}.${f.name}: struct fields must be fixed-size`);
    });
  };
  for (const [name, s] of Object.entries(cat.structs)) checkFields(name, s.fields, true);
  const chIds = new Set<number>();
  for (const ch of cat.channels) {
    if (ch.id < 1 || ch.id > 255 || chIds.has(ch.id)) fail(`channel ${ch.name}: bad or duplicate id`);
    chIds.add(ch.id);
    if (ch.capability && !capNames.has(ch.capability)) fail(`channel ${ch.name}: unknown capability`);
    const ids = new Set<number>();
    const names = new Set<string>();
    for (const m of ch.messages) {
      const where = `${ch.name}.${m.name}`;
      if (m.id < 1 || m.id > 255 || ids.has(m.id) || names.has(m.name))
        fail(`${where}: bad or duplicate id/name`);
      ids.add(m.id);
      names.add(m.name);
      if (m.capability && !capNames.has(m.capability)) fail(`${where}: unknown capability`);
      if (m.permission && !perms.has(m.permission)) fail(`${where}: unknown permission`);
      checkFields(where, m.fields, false);
      if (m.examples.length === 0) fail(`${where}: needs at least one example`);
    }
  }
  return cat;
};

export const loadCatalogue = (path = CATALOGUE_PATH): Catalogue =>
  validateCatalogue(JSON.parse(readFileSync(path, 'utf8')) as Catalogue);

export const pascal = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
