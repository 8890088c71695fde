// Bundles every service entry point (services/<name>/src/main.ts) into dist/services/<name>/main.mjs.
// Workspace libraries (@bpane/*) are bundled in; npm packages stay external. Decorator metadata is
// emitted (NestJS dependency injection needs it).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'rolldown';

const only = process.argv.slice(2);
const services = readdirSync('services', { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(join('services', d.name, 'src', 'main.ts')))
  .map((d) => d.name)
  .filter((name) => only.length === 0 || only.includes(name));

const external = (id) =>
  !id.startsWith('.') &&
  !id.startsWith('/') &&
  !id.startsWith('\0') &&
  !id.startsWith('@bpane/') &&
  !id.startsWith('@oxc-project/runtime');

for (const name of services) {
  const t0 = Date.now();
  await build({
    input: join('services', name, 'src', 'main.ts'),
    platform: 'node',
    tsconfig: 'tsconfig.json',
    external,
    logLevel: 'warn',
    // One file per service: dynamic imports (e.g. the optional EventStoreDB adapter) are inlined.
    output: {
      codeSplitting: false,
      file: join('dist', 'services', name, 'main.mjs'),
      format: 'esm',
      sourcemap: true,
    },
  });
  console.log(`built ${name} in ${Date.now() - t0} ms`);
}
if (services.length === 0) console.log('no services to build');
// The browser bundle the gateway serves at /live/ (docs/web-client.md).
if (only.length === 0 || only.includes('gateway'))
  await (await import('./build-web-client.mjs')).buildWebClient();
// The admin console the gateway serves at /admin/ (docs/admin-web.md).
if ((only.length === 0 || only.includes('gateway')) && existsSync('services/admin-web'))
  await (await import('./build-admin-web.mjs')).buildAdminWeb();
