import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Loopback service addresses used by integration and end-to-end tests (overridable by env). */
export const testServices = {
  pgAdminUrl: process.env['BPANE_TEST_PG_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  redisUrl: process.env['BPANE_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
  natsUrl: process.env['BPANE_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222',
} as const;

export type TestDatabase = Readonly<{ name: string; url: string; drop: () => Promise<void> }>;

/** A unique, short random suffix for names of test databases, NATS streams, queues, folders. */
export const uniqueSuffix = (): string => randomBytes(5).toString('hex');

/**
 * Creates a fresh, empty PostgreSQL database for one test file. `drop()` removes it (terminating
 * connections that are still open). Tests never share a database.
 */
export const createTestDatabase = async (prefix = 'bpane_t'): Promise<TestDatabase> => {
  const name = `${prefix}_${uniqueSuffix()}`;
  const admin = new pg.Client({ connectionString: testServices.pgAdminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(testServices.pgAdminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: testServices.pgAdminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
};
