// Sums the vitest JSON reports of every tier and prints one closing line: "N passed, N failed".
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const [dir, ...failedSteps] = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const rows = [];
for (const file of existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : []) {
  const report = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const p = report.numPassedTests ?? 0;
  const f = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  const s = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  passed += p;
  failed += f;
  skipped += s;
  rows.push(
    `  ${file.replace(/\.json$/, '').padEnd(6)} ${p} passed, ${f} failed${s ? `, ${s} skipped` : ''}`,
  );
}
console.log('\n=== summary ===');
for (const row of rows) console.log(row);
for (const step of failedSteps) {
  if (!step.startsWith('tests:')) console.log(`  step failed: ${step}`);
}
// A failed step that is not a test tier (lint, typecheck, build) counts as one failed check.
const stepFailures = failedSteps.filter((s) => !s.startsWith('tests:')).length;
const tierCrashes = failedSteps.filter((s) => s.startsWith('tests:')).length > 0 && failed === 0 ? 1 : 0;
failed += stepFailures + tierCrashes;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
