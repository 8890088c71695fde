// Bundles the contract fragments in openapi/src/*.yaml (in file-name order) into
// openapi/bpane-control-v1.yaml. `--check` fails (exit 1) when the bundled file is not current.
// A path, operation or component defined twice is an error.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

const SRC = 'openapi/src';
const OUT = 'openapi/bpane-control-v1.yaml';

export const bundle = () => {
  const files = readdirSync(SRC)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const doc = {
    openapi: undefined,
    info: undefined,
    servers: [],
    security: [],
    tags: [],
    paths: {},
    components: {},
  };
  const problems = [];
  for (const file of files) {
    const frag = parse(readFileSync(join(SRC, file), 'utf8')) ?? {};
    for (const key of Object.keys(frag)) {
      if (!['openapi', 'info', 'servers', 'security', 'tags', 'paths', 'components'].includes(key))
        problems.push(`${file}: unknown top-level key ${key}`);
    }
    for (const key of ['openapi', 'info']) {
      if (frag[key] === undefined) continue;
      if (doc[key] !== undefined) problems.push(`${file}: ${key} is already defined`);
      doc[key] = frag[key];
    }
    if (frag.servers) doc.servers.push(...frag.servers);
    if (frag.security) doc.security.push(...frag.security);
    for (const tag of frag.tags ?? []) {
      if (doc.tags.some((t) => t.name === tag.name))
        problems.push(`${file}: tag ${tag.name} is already defined`);
      else doc.tags.push(tag);
    }
    for (const [path, item] of Object.entries(frag.paths ?? {})) {
      const target = (doc.paths[path] ??= {});
      for (const [method, op] of Object.entries(item)) {
        if (target[method] !== undefined)
          problems.push(`${file}: ${method.toUpperCase()} ${path} is already defined`);
        target[method] = op;
      }
    }
    for (const [section, entries] of Object.entries(frag.components ?? {})) {
      const target = (doc.components[section] ??= {});
      for (const [name, value] of Object.entries(entries ?? {})) {
        if (target[name] !== undefined)
          problems.push(`${file}: components.${section}.${name} is already defined`);
        target[name] = value;
      }
    }
  }
  // Any operation may fail with a problem (401, 413, 415, 429, 503…): every operation gets a
  // `default` problem+json response unless it declares its own.
  for (const item of Object.values(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (method === 'parameters' || typeof op !== 'object' || op === null) continue;
      op.responses ??= {};
      op.responses.default ??= { $ref: '#/components/responses/Problem' };
    }
  }
  if (problems.length > 0) throw new Error(`cannot bundle the OpenAPI contract:\n  ${problems.join('\n  ')}`);
  const header =
    '# GENERATED from openapi/src/*.yaml by `node scripts/openapi-bundle.mjs`. Do not edit by hand.\n';
  return header + stringify(doc, { lineWidth: 110 });
};

if (process.argv[1] && process.argv[1].endsWith('openapi-bundle.mjs')) {
  const text = bundle();
  if (process.argv.includes('--check')) {
    if (readFileSync(OUT, 'utf8') !== text) {
      console.error(`${OUT} is out of date; run: node scripts/openapi-bundle.mjs`);
      process.exit(1);
    }
    console.log(`${OUT} is current`);
  } else {
    writeFileSync(OUT, text);
    console.log(`wrote ${OUT}`);
  }
}
