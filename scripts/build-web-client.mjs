// Bundles the browser side of live sessions into dist/web-client/ (served by the gateway at /live/):
//   web-client.js    @bpane/web-client as an ES module (for embedders)
//   render-worker.js the render worker the client starts (next to the module that starts it)
//   live.js          the standalone live page (services/gateway/src/live-page/page/live.ts)
// Usage: node scripts/build-web-client.mjs [outDir]
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = resolve(process.argv[2] ?? join(root, 'dist', 'web-client'));
mkdirSync(outDir, { recursive: true });

const entries = {
  'web-client.js': 'libs/web-client/src/index.ts',
  'render-worker.js': 'libs/web-client/src/render-worker.ts',
  'live.js': 'services/gateway/src/live-page/page/live.ts',
};

const t0 = Date.now();
for (const [file, input] of Object.entries(entries)) {
  await build({
    input: join(root, input),
    platform: 'browser',
    tsconfig: join(root, 'tsconfig.json'),
    logLevel: 'warn',
    output: { file: join(outDir, file), format: 'esm', codeSplitting: false, sourcemap: true, minify: true },
  });
}
console.log(`built web client into ${outDir} in ${Date.now() - t0} ms`);
