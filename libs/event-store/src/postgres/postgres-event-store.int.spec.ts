import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// eslint-disable-next-line @nx/enforce-module-boundaries -- throw-away databases are a test helper
import { createTestDatabase, type TestDatabase } from '@bpane/testing';
import { createPostgresEventStore, type PostgresEventStore } from './postgres-event-store';

const meta = {
  correlationId: 'c',
  causationId: null,
  actor: { kind: 'system', id: 'test' },
  occurredAt: '2026-01-01T00:00:00.000Z',
} as const;
const event = (type: string) => ({ id: randomUUID(), type, data: { type }, metadata: meta });

let db: TestDatabase;
let store: PostgresEventStore;

beforeAll(async () => {
  db = await createTestDatabase('bpane_es');
  store = await createPostgresEventStore({ connectionString: db.url });
});

afterAll(async () => {
  await store?.close();
  await db?.drop();
});

describe('PostgresEventStore (smoke)', () => {
  it('appends, reads back and follows the log', async () => {
    const batch = [event('A'), event('B')];
    const first = await store.appendToStream('smoke-1', batch, { expectedRevision: 'no_stream' });
    expect(first.nextExpectedRevision).toBe(1n);
    await expect(store.appendToStream('smoke-1', batch, { expectedRevision: 'no_stream' })).resolves.toEqual(first);
    const read = await store.readStream('smoke-1');
    expect(read.map((e) => e.type)).toEqual(['A', 'B']);
    const all = await store.readAll();
    expect(all.map((e) => e.id)).toEqual(batch.map((e) => e.id));
    expect(await store.headPosition()).toBe(first.position);
  });
});
