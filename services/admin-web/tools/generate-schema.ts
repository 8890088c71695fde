import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { parse } from 'yaml';

/**
 * Generates TypeScript types for every schema of the v1 contract (`openapi/bpane-control-v1.yaml`)
 * into `services/admin-web/src/api/schema.gen.ts`. Only the JSON Schema keywords the contract uses
 * are understood: `$ref`, `type` (also as a list), `enum`, `const`, `oneOf`/`anyOf`/`allOf`,
 * `properties` with `required`, `additionalProperties` and `items`. A unit test fails when the
 * checked-in file differs from a fresh run.
 */

type Schema = Readonly<{
  $ref?: string;
  type?: string | readonly string[];
  enum?: readonly unknown[];
  const?: unknown;
  oneOf?: readonly Schema[];
  anyOf?: readonly Schema[];
  allOf?: readonly Schema[];
  properties?: Readonly<Record<string, Schema>>;
  required?: readonly string[];
  additionalProperties?: boolean | Schema;
  items?: Schema;
  description?: string;
}>;

const root = fileURLToPath(new URL('../../..', import.meta.url));
export const CONTRACT_PATH = `${root}openapi/bpane-control-v1.yaml`;
export const OUTPUT_PATH = `${root}services/admin-web/src/api/schema.gen.ts`;

const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const key = (name: string): string => (IDENT.test(name) ? name : JSON.stringify(name));
const indent = (text: string, by: string): string => text.replace(/\n/g, `\n${by}`);

const union = (parts: readonly string[]): string => {
  const unique = [...new Set(parts)];
  return unique.length === 0 ? 'never' : unique.join(' | ');
};

const primitive = (type: string, s: Schema, pad: string): string => {
  switch (type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return s.items === undefined ? 'unknown[]' : `Array<${typeOf(s.items, pad)}>`;
    case 'object':
      return objectType(s, pad);
    default:
      return 'unknown';
  }
};

const objectType = (s: Schema, pad: string): string => {
  const props = Object.entries(s.properties ?? {});
  const required = new Set(s.required ?? []);
  const inner = `${pad}  `;
  const lines = props.map(([name, p]) => {
    const doc =
      p.description === undefined ? '' : `${inner}/** ${p.description.replace(/\*\//g, '*\\/')} */\n`;
    return `${doc}${inner}${key(name)}${required.has(name) ? '' : '?'}: ${typeOf(p, inner)};`;
  });
  const extra = s.additionalProperties;
  if (extra !== undefined && extra !== false) {
    const value = extra === true ? 'unknown' : typeOf(extra, inner);
    lines.push(`${inner}[key: string]: ${props.length > 0 ? 'unknown' : value};`);
  }
  if (lines.length === 0) return extra === false ? 'Record<string, never>' : 'Record<string, unknown>';
  return `{\n${lines.join('\n')}\n${pad}}`;
};

/** The TypeScript type of one schema; `pad` is the indentation of the line it starts on. */
export const typeOf = (s: Schema, pad = ''): string => {
  if (s.$ref !== undefined) return s.$ref.replace('#/components/schemas/', '');
  if (s.const !== undefined) return JSON.stringify(s.const);
  if (s.enum !== undefined) return union(s.enum.map((v) => JSON.stringify(v)));
  if (s.oneOf !== undefined) return union(s.oneOf.map((x) => typeOf(x, pad)));
  if (s.anyOf !== undefined) return union(s.anyOf.map((x) => typeOf(x, pad)));
  if (s.allOf !== undefined) return s.allOf.map((x) => `(${typeOf(x, pad)})`).join(' & ');
  if (Array.isArray(s.type)) return union((s.type as readonly string[]).map((t) => primitive(t, s, pad)));
  if (typeof s.type === 'string') return primitive(s.type, s, pad);
  if (s.properties !== undefined) return objectType(s, pad);
  return 'unknown';
};

/** The whole generated module for a contract's YAML text. */
export const generateSchemaTypes = (yamlText: string): string => {
  const doc = parse(yamlText) as { components?: { schemas?: Record<string, Schema> } };
  const schemas = Object.entries(doc.components?.schemas ?? {});
  const out = [
    '// GENERATED from openapi/bpane-control-v1.yaml by services/admin-web/tools/generate-schema.ts.',
    '// Do not edit by hand: run `npx tsx services/admin-web/tools/generate-schema.ts`.',
    '',
  ];
  for (const [name, schema] of schemas) {
    if (schema.description !== undefined) out.push(`/** ${indent(schema.description, ' * ')} */`);
    out.push(`export type ${name} = ${typeOf(schema)};`, '');
  }
  out.push(`export type SchemaName = ${union(schemas.map(([n]) => JSON.stringify(n)))};`, '');
  return out.join('\n');
};

/** The generated module formatted the way the repository formats TypeScript. */
export const formattedSchemaTypes = async (): Promise<string> =>
  format(generateSchemaTypes(readFileSync(CONTRACT_PATH, 'utf8')), {
    ...(await resolveConfig(OUTPUT_PATH)),
    filepath: OUTPUT_PATH,
  });

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(OUTPUT_PATH, await formattedSchemaTypes());
  console.log(`wrote ${OUTPUT_PATH}`);
}
