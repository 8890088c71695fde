import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = fileURLToPath(new URL('.', import.meta.url));

// Workspace libraries are imported as `@bpane/<name>`; resolve them to their sources.
const alias = [{ find: /^@bpane\/([a-z0-9-]+)$/, replacement: `${root}libs/$1/src/index.ts` }];

const roots = ['libs/**', 'services/**', 'infra/**', 'scripts/**'];
const ignored = ['**/node_modules/**', '**/dist/**'];

// One runner, four tiers chosen by file suffix:
//   *.spec.ts       unit         (pure, fast, no I/O)
//   *.int.spec.ts   integration  (real PostgreSQL, Redis, NATS, Xvfb, Chromium)
//   *.e2e.spec.ts   end to end   (over HTTP / WebSocket against started services)
//   *.fuzz.spec.ts  fuzz         (seeded, bounded to about a minute)
export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: roots.map((r) => `${r}/*.spec.{ts,tsx}`),
          exclude: [...ignored, '**/*.int.spec.*', '**/*.e2e.spec.*', '**/*.fuzz.spec.*'],
          testTimeout: 10_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'int',
          include: roots.map((r) => `${r}/*.int.spec.ts`),
          exclude: ignored,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: roots.map((r) => `${r}/*.e2e.spec.ts`),
          exclude: ignored,
          testTimeout: 180_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'fuzz',
          include: roots.map((r) => `${r}/*.fuzz.spec.ts`),
          exclude: ignored,
          testTimeout: 180_000,
        },
      },
    ],
  },
});
