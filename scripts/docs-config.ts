// Regenerates the configuration tables in docs/ from the code's config specs:
//   npx tsx scripts/docs-config.ts          (rewrite)
//   npx tsx scripts/docs-config.ts --check  (exit 1 when a table is stale)
// A table lives between `<!-- config:<name> -->` and `<!-- /config:<name> -->` in its doc.
import { readFileSync, writeFileSync } from 'node:fs';
import { renderConfigTable, type ConfigSpec } from '@bpane/config';
import { gatewayConfigSpec } from '../services/gateway/src/config';

const TABLES: readonly { name: string; doc: string; spec: ConfigSpec }[] = [
  { name: 'gateway', doc: 'docs/gateway.md', spec: gatewayConfigSpec },
];

let stale = 0;
for (const t of TABLES) {
  const text = readFileSync(t.doc, 'utf8');
  const re = new RegExp(`(<!-- config:${t.name} -->\\n)[\\s\\S]*?(\\n<!-- /config:${t.name} -->)`);
  if (!re.test(text)) throw new Error(`${t.doc} has no <!-- config:${t.name} --> block`);
  const next = text.replace(re, `$1${renderConfigTable(t.spec)}$2`);
  if (next === text) continue;
  stale++;
  if (process.argv.includes('--check')) console.error(`${t.doc}: the ${t.name} configuration table is stale`);
  else {
    writeFileSync(t.doc, next);
    console.log(`updated ${t.doc}`);
  }
}
if (stale > 0 && process.argv.includes('--check')) process.exit(1);
