// Bundles the admin console (services/admin-web) into dist/admin-web/ (served by the gateway at /admin/):
//   index.html          the page (script and stylesheet under /admin/assets/)
//   assets/app.js       the React application, minified, one file
//   assets/app.css      the stylesheet
// Usage: node scripts/build-admin-web.mjs [outDir]; scripts/build.mjs calls buildAdminWeb() with the gateway.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'rolldown';

const root = fileURLToPath(new URL('..', import.meta.url));
const app = join(root, 'services', 'admin-web');

/** Builds the console into `outDir` (default dist/admin-web). */
export const buildAdminWeb = async (dir) => {
  const outDir = resolve(dir ?? join(root, 'dist', 'admin-web'));
  mkdirSync(join(outDir, 'assets'), { recursive: true });
  const t0 = Date.now();
  await build({
    input: join(app, 'src', 'main.tsx'),
    platform: 'browser',
    tsconfig: join(root, 'tsconfig.json'),
    logLevel: 'warn',
    // React Query marks its modules "use client"; a single browser bundle has no server components.
    onLog: (level, log, handler) => {
      if (log.code !== 'MODULE_LEVEL_DIRECTIVE') handler(level, log);
    },
    transform: {
      jsx: { runtime: 'automatic' },
      define: { 'process.env.NODE_ENV': JSON.stringify('production') },
    },
    output: {
      file: join(outDir, 'assets', 'app.js'),
      format: 'esm',
      codeSplitting: false,
      sourcemap: true,
      minify: true,
    },
  });
  copyFileSync(join(app, 'src', 'app.css'), join(outDir, 'assets', 'app.css'));
  writeFileSync(join(outDir, 'index.html'), readFileSync(join(app, 'index.html')));
  console.log(`built admin console into ${outDir} in ${Date.now() - t0} ms`);
};

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href)
  await buildAdminWeb(process.argv[2]);
