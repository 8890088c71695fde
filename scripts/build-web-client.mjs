// Bundles the browser side of live sessions into dist/web-client/ (served by the gateway at /live/):
//   web-client.js    @bpane/web-client as an ES module (for embedders)
//   render-worker.js the render worker the client starts (next to the module that starts it)
//   live.js          the standalone live page (services/gateway/src/live-page/page/live.ts)
// Usage: node scripts/build-web-client.mjs [outDir]; scripts/build.mjs calls buildWebClient() with the gateway.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));

const entries = {
  'web-client.js': 'libs/web-client/src/index.ts',
  'render-worker.js': 'libs/web-client/src/render-worker.ts',
  'live.js': 'services/gateway/src/live-page/page/live.ts',
};

/** Builds the three bundles into `outDir` (default dist/web-client). */
export const buildWebClient = async (dir) => {
  const outDir = resolve(dir ?? join(root, 'dist', 'web-client'));
  mkdirSync(outDir, { recursive: true });
  const t0 = Date.now();
  for (const [file, input] of Object.entries(entries)) {
    await build({
      input: join(root, input),
      platform: 'browser',
      tsconfig: join(root, 'tsconfig.json'),
      logLevel: 'warn',
      output: {
        file: join(outDir, file),
        format: 'esm',
        codeSplitting: false,
        sourcemap: true,
        minify: true,
      },
    });
  }
  console.log(`built web client into ${outDir} in ${Date.now() - t0} ms`);
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  await buildWebClient(process.argv[2]);
