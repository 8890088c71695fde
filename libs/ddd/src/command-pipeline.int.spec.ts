import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the pipeline is tested against the real PostgreSQL adapter
import { createPostgresEventStore, type EventStore } from '@bpane/event-store';
// eslint-disable-next-line @nx/enforce-module-boundaries -- throw-away databases are a test helper
import { createTestDatabase, type TestDatabase } from '@bpane/testing';
import { handleCommand } from './command-pipeline';
import { DeciderRegistry } from './registry';
import { counterDecider, meta, type CounterCommand } from './test-fixtures/counter';

let db: TestDatabase;
let store: EventStore;

beforeAll(async () => {
  db = await createTestDatabase('bpane_ddd');
  store = await createPostgresEventStore({ connectionString: db.url });
});

afterAll(async () => {
  await store?.close();
  await db?.drop();
});

const open = (counterId: string, over: Parameters<typeof meta>[0] = {}): CounterCommand => ({
  type: 'OpenCounter',
  data: { counterId },
  metadata: meta(over),
});
const bump = (by: number, over: Parameters<typeof meta>[0] = {}): CounterCommand => ({
  type: 'IncrementCounter',
  data: { by },
  metadata: meta(over),
});

describe('handleCommand on the PostgreSQL store', () => {
  it('appends decided events with full metadata and returns revision, position and state', async () => {
    const streamId = `counter-${randomUUID()}`;
    const eventId = randomUUID();
    const r = await handleCommand(store, {
      streamId,
      decider: counterDecider,
      command: open('c1', { causationId: 'req-9', idempotencyKey: 'k-open' }),
      newEventIds: [eventId],
    });
    expect(r).toMatchObject({ nextExpectedRevision: 0n, idempotentReplay: false, attempts: 1 });
    expect(r.state).toEqual({ status: 'open', counterId: 'c1', ownerId: 'user-1', value: 0 });
    const [stored] = await store.readStream(streamId);
    expect(stored).toMatchObject({
      id: eventId,
      type: 'CounterOpened',
      position: r.position,
      metadata: {
        correlationId: 'corr-1',
        causationId: 'req-9',
        actor: { kind: 'user', id: 'user-1' },
        occurredAt: '2026-01-01T00:00:00.000Z',
        ownerId: 'user-1',
        idempotencyKey: 'k-open',
      },
    });
  });

  it('returns the earlier result for an idempotency key already applied, without deciding again', async () => {
    const streamId = `counter-${randomUUID()}`;
    await handleCommand(store, { streamId, decider: counterDecider, command: open('c2') });
    const first = await handleCommand(store, {
      streamId,
      decider: counterDecider,
      command: bump(3, { idempotencyKey: 'pay-1' }),
    });
    await handleCommand(store, { streamId, decider: counterDecider, command: bump(10) });
    const again = await handleCommand(store, {
      streamId,
      decider: counterDecider,
      command: bump(3, { idempotencyKey: 'pay-1' }),
    });
    expect(again.idempotentReplay).toBe(true);
    expect(again.events.map((e) => e.id)).toEqual(first.events.map((e) => e.id));
    expect(again.position).toBe(first.position);
    expect(again.nextExpectedRevision).toBe(first.nextExpectedRevision);
    expect(again.state).toMatchObject({ value: 3 });
    const all = await store.readStream(streamId);
    expect(all.map((e) => e.type)).toEqual(['CounterOpened', 'CounterIncremented', 'CounterIncremented']);
  });

  it('lets a domain error through and appends nothing', async () => {
    const streamId = `counter-${randomUUID()}`;
    await expect(
      handleCommand(store, { streamId, decider: counterDecider, command: bump(1) }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(store.readStream(streamId)).rejects.toMatchObject({ code: 'stream_not_found' });
  });

  it('appends nothing when the decider decides nothing', async () => {
    const streamId = `counter-${randomUUID()}`;
    const opened = await handleCommand(store, { streamId, decider: counterDecider, command: open('c3') });
    await handleCommand(store, {
      streamId,
      decider: counterDecider,
      command: { type: 'CloseCounter', data: {}, metadata: meta() },
    });
    const noop = await handleCommand(store, {
      streamId,
      decider: counterDecider,
      command: { type: 'CloseCounter', data: {}, metadata: meta() },
    });
    expect(noop.events).toEqual([]);
    expect(noop.nextExpectedRevision).toBe(1n);
    expect(noop.position).toBeGreaterThan(opened.position!);
  });

  it('retries concurrent writers on one stream until every command is applied once', async () => {
    const streamId = `counter-${randomUUID()}`;
    await handleCommand(store, { streamId, decider: counterDecider, command: open('c4') });
    const n = 8;
    const results = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        handleCommand(store, {
          streamId,
          decider: counterDecider,
          command: bump(i + 1),
          retry: { maxAttempts: 20, delayMs: () => Math.floor(Math.random() * 10) },
        }),
      ),
    );
    const events = await store.readStream(streamId);
    expect(events).toHaveLength(n + 1);
    expect(events.map((e) => Number(e.revision))).toEqual(Array.from({ length: n + 1 }, (_, i) => i));
    const final = await new DeciderRegistry()
      .register({ name: 'counter', streamPrefix: 'counter-', decider: counterDecider })
      .stateAt(store, streamId);
    expect(final.state).toMatchObject({ value: (n * (n + 1)) / 2 });
    // Writers raced: somebody had to retry.
    expect(results.some((r) => r.attempts > 1)).toBe(true);
    expect(new Set(results.map((r) => r.nextExpectedRevision)).size).toBe(n);
  });

  it('reconstructs state as of a position', async () => {
    const streamId = `counter-${randomUUID()}`;
    const registry = new DeciderRegistry().register({
      name: 'counter',
      streamPrefix: 'counter-',
      decider: counterDecider,
    });
    await handleCommand(store, { streamId, decider: counterDecider, command: open('c5') });
    const a = await handleCommand(store, { streamId, decider: counterDecider, command: bump(2) });
    await handleCommand(store, { streamId, decider: counterDecider, command: bump(5) });
    const at = await registry.stateAt(store, streamId, a.position!);
    expect(at).toMatchObject({ aggregate: 'counter', eventCount: 2, revision: 1n, state: { value: 2 } });
    const now = await registry.stateAt(store, streamId);
    expect(now).toMatchObject({ eventCount: 3, state: { value: 7 } });
    const before = await registry.stateAt(store, streamId, 0n);
    expect(before).toMatchObject({ eventCount: 0, revision: null, state: { status: 'empty' } });
    await expect(registry.stateAt(store, streamId, -1n)).rejects.toMatchObject({ code: 'invalid_position' });
  });

  it('rejects event ids that are missing or not UUIDs', async () => {
    const streamId = `counter-${randomUUID()}`;
    await expect(
      handleCommand(store, { streamId, decider: counterDecider, command: open('c6'), newEventIds: [] }),
    ).rejects.toMatchObject({ code: 'event_ids_exhausted' });
    await expect(
      handleCommand(store, { streamId, decider: counterDecider, command: open('c6'), newEventIds: ['x'] }),
    ).rejects.toMatchObject({ code: 'invalid_event_id' });
  });
});
