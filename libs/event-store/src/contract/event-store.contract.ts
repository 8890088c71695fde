/**
 * The event-store contract: one suite that every adapter must pass. An adapter's integration spec
 * calls `describeEventStoreContract(name, harness)`. Tests never assume an empty store (the
 * EventStoreDB run may share a server): each uses its own stream-id prefix and reads the global log
 * from a checkpoint taken at its start, filtered by that prefix.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStoreConfig } from '../config';
import {
  IdempotencyConflictError,
  InvalidEventError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '../errors';
import type { EventStore, ExpectedRevision, NewEvent, RecordedEvent } from '../types';
import { newEvent, reader, sleep, testMetadata, uniquePrefix, untilVisible, waitUntil } from './helpers';

export type SlowAppend = Readonly<{
  /** Commits the held transaction. */
  commit: () => Promise<void>;
}>;

export type EventStoreContractHarness = Readonly<{
  /** A store connected to the system under test (called once per suite). */
  store: () => Promise<EventStore>;
  /** Configuration from which a child process builds an equivalent store with `createEventStore`. */
  childConfig: () => EventStoreConfig;
  capabilities: Readonly<{
    /** Event ids are unique across the whole store (not only inside one stream). */
    globallyUniqueEventIds: boolean;
    /** A retry whose ids match but whose type or data differ is a conflict, not a no-op. */
    idempotencyComparesContent: boolean;
  }>;
  /**
   * Starts an append that takes its place in the global order now but commits only on `commit()`
   * (an explicit, held transaction). Adapters whose log has a single writer omit it; the
   * gap-safety case then runs with concurrent writers only.
   */
  beginSlowAppend?: (streamId: string, events: readonly NewEvent[]) => Promise<SlowAppend>;
  teardown?: () => Promise<void>;
  /**
   * Size of the concurrent-writers case. Real stores run the default, 8 writers × 5,000 events;
   * the in-memory gRPC stand-in runs a smaller one.
   */
  concurrency?: Readonly<{ writers: number; eventsPerWriter: number }>;
}>;

const here = fileURLToPath(new URL('.', import.meta.url));
const repoRoot = resolve(here, '../../../..');

const ids = (events: readonly { id: string }[]) => events.map((e) => e.id);

const expectStrictlyIncreasing = (positions: readonly bigint[]) => {
  for (let i = 1; i < positions.length; i++) {
    if (positions[i]! <= positions[i - 1]!) {
      throw new Error(`positions not strictly increasing at ${i}: ${positions[i - 1]} then ${positions[i]}`);
    }
  }
};

/** Reads our part of the global log after `after`, page by page. */
const readAllOf = async (store: EventStore, prefix: string, after: bigint): Promise<RecordedEvent[]> => {
  const out: RecordedEvent[] = [];
  let cursor = after;
  for (;;) {
    const page = await store.readAll({ after: cursor, maxCount: 1_000 });
    if (page.length === 0) return out;
    for (const e of page) if (e.streamId.startsWith(prefix)) out.push(e);
    cursor = page[page.length - 1]!.position;
  }
};

export const describeEventStoreContract = (name: string, harness: EventStoreContractHarness): void => {
  describe(`event store contract: ${name}`, () => {
    let store: EventStore;

    beforeAll(async () => {
      store = await harness.store();
    });

    afterAll(async () => {
      await store?.close();
      await harness.teardown?.();
    });

    describe('expected revision', () => {
      const rejects = async (
        streamId: string,
        expected: ExpectedRevision,
        actual: bigint | null,
      ): Promise<void> => {
        const error = await store.appendToStream(streamId, [newEvent()], { expectedRevision: expected }).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(WrongExpectedVersionError);
        const wrong = error as WrongExpectedVersionError;
        expect(wrong.code).toBe('wrong_expected_version');
        expect(wrong.streamId).toBe(streamId);
        expect(wrong.expected).toBe(typeof expected === 'bigint' ? expected.toString() : expected);
        expect(wrong.actual).toBe(actual);
      };

      it("'no_stream' creates a stream and fails once it exists", async () => {
        const s = `${uniquePrefix('ns')}1`;
        const r = await store.appendToStream(s, [newEvent(), newEvent()], { expectedRevision: 'no_stream' });
        expect(r.nextExpectedRevision).toBe(1n);
        await rejects(s, 'no_stream', 1n);
      });

      it("'stream_exists' fails on a missing stream and succeeds on an existing one", async () => {
        const s = `${uniquePrefix('se')}1`;
        await rejects(s, 'stream_exists', null);
        await expect(store.readStream(s)).rejects.toBeInstanceOf(StreamNotFoundError);
        await store.appendToStream(s, [newEvent()]);
        const r = await store.appendToStream(s, [newEvent()], { expectedRevision: 'stream_exists' });
        expect(r.nextExpectedRevision).toBe(1n);
      });

      it("'any' appends whatever the stream's state (and is the default)", async () => {
        const s = `${uniquePrefix('any')}1`;
        expect(
          (await store.appendToStream(s, [newEvent()], { expectedRevision: 'any' })).nextExpectedRevision,
        ).toBe(0n);
        expect((await store.appendToStream(s, [newEvent()])).nextExpectedRevision).toBe(1n);
        expect(
          (await store.appendToStream(s, [newEvent()], { expectedRevision: 'any' })).nextExpectedRevision,
        ).toBe(2n);
      });

      it('an exact revision must equal the last revision of the stream', async () => {
        const s = `${uniquePrefix('exact')}1`;
        await rejects(s, 0n, null);
        await store.appendToStream(s, [newEvent(), newEvent(), newEvent()], {
          expectedRevision: 'no_stream',
        });
        await rejects(s, 1n, 2n);
        await rejects(s, 3n, 2n);
        const r = await store.appendToStream(s, [newEvent()], { expectedRevision: 2n });
        expect(r.nextExpectedRevision).toBe(3n);
        await rejects(s, 2n, 3n);
      });

      it('a rejected append writes nothing', async () => {
        const s = `${uniquePrefix('nowrite')}1`;
        await store.appendToStream(s, [newEvent()]);
        const before = await store.readStream(s);
        await rejects(s, 5n, 0n);
        expect(await store.readStream(s)).toEqual(before);
      });

      it('of two racing appends with the same expected revision, exactly one wins', async () => {
        const s = `${uniquePrefix('race')}1`;
        await store.appendToStream(s, [newEvent()]);
        const results = await Promise.allSettled(
          Array.from({ length: 8 }, () => store.appendToStream(s, [newEvent()], { expectedRevision: 0n })),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results) {
          if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(WrongExpectedVersionError);
        }
        expect(await store.readStream(s)).toHaveLength(2);
      });
    });

    describe('idempotent append by event id', () => {
      it('re-sending the same batch returns the original result and stores nothing new', async () => {
        const s = `${uniquePrefix('idem')}1`;
        const after = await store.headPosition();
        const batch = [newEvent('A', { n: 1 }), newEvent('B', { n: 2 })];
        const first = await store.appendToStream(s, batch, { expectedRevision: 'no_stream' });
        await expect(store.appendToStream(s, batch, { expectedRevision: 'no_stream' })).resolves.toEqual(
          first,
        );
        await expect(store.appendToStream(s, batch, { expectedRevision: 'any' })).resolves.toEqual(first);
        // The stream moved on: a late retry still gets the original result, not a conflict.
        const third = await store.appendToStream(s, [newEvent('C')], { expectedRevision: 1n });
        await expect(store.appendToStream(s, batch, { expectedRevision: 'no_stream' })).resolves.toEqual(
          first,
        );
        expect(ids(await store.readStream(s))).toEqual([...ids(batch), expect.any(String)]);
        await untilVisible(store, third.position);
        expect((await readAllOf(store, s, after)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
      });

      it('a batch that overlaps a stored batch only partly is a conflict and writes nothing', async () => {
        const s = `${uniquePrefix('partial')}1`;
        const a = newEvent('A');
        const b = newEvent('B');
        await store.appendToStream(s, [a, b], { expectedRevision: 'no_stream' });
        const fresh = newEvent('C');
        const attempts: [NewEvent[], ExpectedRevision][] = [
          [[a, fresh], 'no_stream'],
          [[fresh, a], 'no_stream'],
          [[b, fresh], 0n],
          [[b, a], 'no_stream'], // the same events in another order
        ];
        if (harness.capabilities.globallyUniqueEventIds) {
          attempts.push([[b, fresh], 'any'], [[fresh, a], 'any']);
        }
        for (const [batch, expectedRevision] of attempts) {
          const error = await store.appendToStream(s, batch, { expectedRevision }).catch((e: unknown) => e);
          expect(error, `${batch.map((e) => e.type).join(',')} @ ${String(expectedRevision)}`).toBeInstanceOf(
            IdempotencyConflictError,
          );
        }
        expect(ids(await store.readStream(s))).toEqual(ids([a, b]));
        // A contiguous run of stored events, sent where it was stored, is a retry too.
        await expect(store.appendToStream(s, [b], { expectedRevision: 0n })).resolves.toMatchObject({
          nextExpectedRevision: 1n,
        });
      });

      it('ids already stored in another stream are a conflict', async () => {
        if (!harness.capabilities.globallyUniqueEventIds) return;
        const p = uniquePrefix('cross');
        const batch = [newEvent()];
        await store.appendToStream(`${p}1`, batch);
        const error = await store.appendToStream(`${p}2`, batch).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(IdempotencyConflictError);
        expect((error as IdempotencyConflictError).code).toBe('idempotency_conflict');
        await expect(store.readStream(`${p}2`)).rejects.toBeInstanceOf(StreamNotFoundError);
      });

      it('same ids with different content are a conflict', async () => {
        if (!harness.capabilities.idempotencyComparesContent) return;
        const s = `${uniquePrefix('content')}1`;
        const e = newEvent('A', { n: 1 });
        await store.appendToStream(s, [e]);
        await expect(store.appendToStream(s, [{ ...e, data: { n: 2 } }])).rejects.toBeInstanceOf(
          IdempotencyConflictError,
        );
        await expect(store.appendToStream(s, [{ ...e, type: 'B' }])).rejects.toBeInstanceOf(
          IdempotencyConflictError,
        );
        // Metadata is the envelope, not the event: a retry with fresh metadata is still a retry.
        await expect(store.appendToStream(s, [{ ...e, metadata: testMetadata() }])).resolves.toMatchObject({
          nextExpectedRevision: 0n,
        });
      });
    });

    describe('bad input is an InvalidEventError and writes nothing', () => {
      const bad: [string, () => [string, NewEvent[]]][] = [
        ['an empty stream id', () => ['', [newEvent()]]],
        ['a stream id starting with $', () => ['$system', [newEvent()]]],
        ['a non-UUID event id', () => ['s', [{ ...newEvent(), id: 'not-a-uuid' }]]],
        ['an empty batch', () => ['s', []]],
        ['an empty event type', () => ['s', [{ ...newEvent(), type: '' }]]],
        ['data that is not an object', () => ['s', [{ ...newEvent(), data: [1, 2] as never }]]],
        ['undefined inside data', () => ['s', [{ ...newEvent(), data: { a: undefined } as never }]]],
        ['a Date inside data', () => ['s', [{ ...newEvent(), data: { at: new Date() } as never }]]],
        ['NaN inside data', () => ['s', [{ ...newEvent(), data: { n: Number.NaN } }]]],
        ['a bigint inside data', () => ['s', [{ ...newEvent(), data: { n: 1n } as never }]]],
        ['a NUL character inside data', () => ['s', [{ ...newEvent(), data: { s: 'a\u0000b' } }]]],
        [
          'a circular reference',
          () => {
            const data: Record<string, unknown> = {};
            data['self'] = data;
            return ['s', [{ ...newEvent(), data: data as never }]];
          },
        ],
        ['metadata that is not an object', () => ['s', [{ ...newEvent(), metadata: null as never }]]],
        [
          'the same id twice in one batch',
          () => {
            const e = newEvent();
            return ['s', [e, e]];
          },
        ],
      ];
      it.each(bad)('%s', async (_, make) => {
        const [streamSuffix, events] = make();
        const s = streamSuffix === 's' ? `${uniquePrefix('bad')}1` : streamSuffix;
        const error = await store.appendToStream(s, events).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidEventError);
        expect((error as InvalidEventError).code).toBe('invalid_event');
        if (streamSuffix === 's')
          await expect(store.readStream(s)).rejects.toBeInstanceOf(StreamNotFoundError);
      });

      it('an invalid expected revision', async () => {
        const s = `${uniquePrefix('badrev')}1`;
        await expect(store.appendToStream(s, [newEvent()], { expectedRevision: -1n })).rejects.toBeInstanceOf(
          InvalidEventError,
        );
        await expect(
          store.appendToStream(s, [newEvent()], { expectedRevision: 3 as unknown as bigint }),
        ).rejects.toBeInstanceOf(InvalidEventError);
      });

      it('invalid read options', async () => {
        await expect(store.readStream('')).rejects.toBeInstanceOf(InvalidEventError);
        await expect(store.readAll({ maxCount: -1 })).rejects.toBeInstanceOf(InvalidEventError);
        await expect(store.readAll({ after: -1n })).rejects.toBeInstanceOf(InvalidEventError);
        expect(() => store.subscribeToAll({ after: 1 as unknown as bigint })).toThrow(InvalidEventError);
      });
    });

    describe('reading a stream', () => {
      let s: string;
      let events: NewEvent[];

      beforeAll(async () => {
        s = `${uniquePrefix('read')}1`;
        events = Array.from({ length: 10 }, (_, i) =>
          newEvent(`E${i}`, { i, text: 'naïve ☃ "quoted" \\ back', nested: { list: [1, null, true] } }),
        );
        await store.appendToStream(s, events.slice(0, 4));
        await store.appendToStream(s, events.slice(4));
      });

      it('forwards returns every event with its envelope, in revision order', async () => {
        const read = await store.readStream(s);
        expect(ids(read)).toEqual(ids(events));
        read.forEach((e, i) => {
          expect(e.revision).toBe(BigInt(i));
          expect(e.streamId).toBe(s);
          expect(e.type).toBe(events[i]!.type);
          expect(e.data).toEqual(events[i]!.data);
          expect(e.metadata).toEqual(events[i]!.metadata);
          expect(e.recordedAt).toBeInstanceOf(Date);
          expect(Math.abs(e.recordedAt.getTime() - Date.now())).toBeLessThan(5 * 60_000);
        });
        expectStrictlyIncreasing(read.map((e) => e.position));
      });

      it('forwards from a revision, with a maximum count', async () => {
        expect((await store.readStream(s, { fromRevision: 3n, maxCount: 4 })).map((e) => e.revision)).toEqual(
          [3n, 4n, 5n, 6n],
        );
        expect(await store.readStream(s, { fromRevision: 10n })).toEqual([]);
        expect(await store.readStream(s, { maxCount: 0 })).toEqual([]);
      });

      it('backwards from the end or from a revision', async () => {
        expect((await store.readStream(s, { direction: 'backwards' })).map((e) => e.revision)).toEqual(
          Array.from({ length: 10 }, (_, i) => BigInt(9 - i)),
        );
        expect(
          (await store.readStream(s, { direction: 'backwards', fromRevision: 5n, maxCount: 3 })).map(
            (e) => e.revision,
          ),
        ).toEqual([5n, 4n, 3n]);
        expect((await store.readStream(s, { direction: 'backwards', maxCount: 1 }))[0]?.id).toBe(
          events[9]!.id,
        );
      });

      it('a stream without events is StreamNotFoundError', async () => {
        const error = await store.readStream(`${uniquePrefix('missing')}1`).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(StreamNotFoundError);
        expect((error as StreamNotFoundError).code).toBe('stream_not_found');
      });
    });

    describe('reading the global log', () => {
      it('forwards after an exclusive position, backwards before one, with a maximum count', async () => {
        const p = uniquePrefix('all');
        const after = await store.headPosition();
        const written: NewEvent[] = [];
        let last = 0n;
        for (let i = 0; i < 6; i++) {
          const batch = [newEvent(`A${i}`), newEvent(`B${i}`)];
          written.push(...batch);
          last = (await store.appendToStream(`${p}${i % 3}`, batch)).position;
        }
        await untilVisible(store, last);
        const forwards = await readAllOf(store, p, after);
        expect(ids(forwards)).toEqual(ids(written));
        expectStrictlyIncreasing(forwards.map((e) => e.position));

        const [, second, third] = forwards;
        const fromSecond = await store.readAll({ after: second!.position, maxCount: 1 });
        expect(fromSecond[0]?.id).toBe(third!.id);

        const head = await store.headPosition();
        expect(head).toBeGreaterThanOrEqual(last);
        const backwards = (await store.readAll({ direction: 'backwards', maxCount: 2_000 })).filter((e) =>
          e.streamId.startsWith(p),
        );
        expect(ids(backwards)).toEqual(ids(written).reverse());
        const before = await store.readAll({ direction: 'backwards', after: third!.position, maxCount: 2 });
        expect(ids(before)).toEqual([second!.id, forwards[0]!.id]);
        expect(await store.readAll({ after: head, maxCount: 10 })).toEqual([]);
      });

      it('headPosition is the position of the newest event a reader can see', async () => {
        const s = `${uniquePrefix('head')}1`;
        const r = await store.appendToStream(s, [newEvent(), newEvent()]);
        await untilVisible(store, r.position);
        const head = await store.headPosition();
        expect(head).toBeGreaterThanOrEqual(r.position);
        const newest = await store.readAll({ direction: 'backwards', maxCount: 1 });
        expect(newest[0]?.position).toBeGreaterThanOrEqual(head);
        const mine = await store.readStream(s, { direction: 'backwards', maxCount: 1 });
        expect(mine[0]?.position).toBe(r.position);
      });
    });

    describe('stream metadata', () => {
      it('is null until set, then reads back what was last set', async () => {
        const s = `${uniquePrefix('meta')}1`;
        expect(await store.getStreamMetadata(s)).toBeNull();
        await store.setStreamMetadata(s, { maxAgeSec: 3600, custom: { owner: 'u-1', tags: ['a', 'b'] } });
        expect(await store.getStreamMetadata(s)).toEqual({
          maxAgeSec: 3600,
          custom: { owner: 'u-1', tags: ['a', 'b'] },
        });
        await store.setStreamMetadata(s, { maxCount: 10 });
        expect(await store.getStreamMetadata(s)).toEqual({ maxCount: 10 });
        // Metadata does not create the stream.
        await expect(store.readStream(s)).rejects.toBeInstanceOf(StreamNotFoundError);
      });

      it('rejects invalid metadata', async () => {
        const s = `${uniquePrefix('badmeta')}1`;
        await expect(store.setStreamMetadata(s, { maxCount: -1 })).rejects.toBeInstanceOf(InvalidEventError);
        await expect(
          store.setStreamMetadata(s, { custom: { d: new Date() } as never }),
        ).rejects.toBeInstanceOf(InvalidEventError);
        await expect(store.setStreamMetadata('', {})).rejects.toBeInstanceOf(InvalidEventError);
      });
    });

    describe('subscribeToAll', () => {
      it('catches up, then goes live, from an exclusive checkpoint', async () => {
        const p = uniquePrefix('sub');
        const after = await store.headPosition();
        const early = [newEvent('E1'), newEvent('E2'), newEvent('E3')];
        await store.appendToStream(`${p}1`, early);
        const subscription = store.subscribeToAll({ after, filter: { streamPrefixes: [p] } });
        const sub = reader(subscription);
        const caughtUp = await sub.take(3);
        expect(ids(caughtUp)).toEqual(ids(early));
        const late = [newEvent('L1'), newEvent('L2')];
        setTimeout(() => void store.appendToStream(`${p}2`, late), 50);
        const live = await sub.take(2);
        expect(ids(live)).toEqual(ids(late));
        expectStrictlyIncreasing([...caughtUp, ...live].map((e) => e.position));
        await subscription.close();

        const resumed = store.subscribeToAll({
          after: caughtUp[1]!.position,
          filter: { streamPrefixes: [p] },
        });
        expect(ids(await reader(resumed).take(3))).toEqual([early[2]!.id, ...ids(late)]);
        await resumed.close();
      });

      it('filters by stream prefix and by event type', async () => {
        const p = uniquePrefix('filt');
        const after = await store.headPosition();
        await store.appendToStream(`${p}a-1`, [newEvent('Kept'), newEvent('Dropped')]);
        await store.appendToStream(`${p}b-1`, [newEvent('Kept')]);
        await store.appendToStream(`${p}a-2`, [newEvent('Kept')]);
        const byPrefix = store.subscribeToAll({ after, filter: { streamPrefixes: [`${p}a-`] } });
        expect(
          (await reader(byPrefix).take(3)).map((e) => `${e.streamId.slice(p.length)}:${e.type}`),
        ).toEqual(['a-1:Kept', 'a-1:Dropped', 'a-2:Kept']);
        await byPrefix.close();
        const byType = store.subscribeToAll({ after, filter: { streamPrefixes: [p], eventTypes: ['Kept'] } });
        const typed = reader(byType);
        expect((await typed.take(3)).map((e) => e.streamId.slice(p.length))).toEqual(['a-1', 'b-1', 'a-2']);
        expect(await typed.next(300)).toBe('timeout');
        await byType.close();
      });

      it('ends when closed, when aborted, or at once when already aborted', async () => {
        const after = await store.headPosition();
        const p = uniquePrefix('end');

        const closed = store.subscribeToAll({ after, filter: { streamPrefixes: [p] } });
        const it1 = closed[Symbol.asyncIterator]();
        const pending = it1.next();
        await sleep(50);
        await closed.close();
        expect((await pending).done).toBe(true);

        const controller = new AbortController();
        const aborted = store.subscribeToAll({
          after,
          filter: { streamPrefixes: [p] },
          signal: controller.signal,
        });
        const it2 = aborted[Symbol.asyncIterator]();
        const pending2 = it2.next();
        await sleep(50);
        controller.abort();
        expect((await pending2).done).toBe(true);

        const pre = store.subscribeToAll({ after, signal: AbortSignal.abort() });
        expect((await pre[Symbol.asyncIterator]().next()).done).toBe(true);

        const broken = store.subscribeToAll({ after, filter: { streamPrefixes: [p] } });
        let seen = 0;
        setTimeout(() => void store.appendToStream(`${p}1`, [newEvent(), newEvent()]), 20);
        for await (const _ of broken) {
          seen++;
          break; // `break` closes the subscription
        }
        expect(seen).toBe(1);
        expect((await broken[Symbol.asyncIterator]().next()).done).toBe(true);
      });
    });

    describe('concurrency', () => {
      const { writers, eventsPerWriter: perWriter } = harness.concurrency ?? {
        writers: 8,
        eventsPerWriter: 5_000,
      };
      it(`${writers} writers × ${perWriter} events into overlapping streams: the live subscriber sees every event once, in order`, async () => {
        const p = uniquePrefix('conc');
        const streams = 24; // shared by all writers
        const after = await store.headPosition();
        const appended = new Set<string>();

        const seen: RecordedEvent[] = [];
        const subscription = store.subscribeToAll({ after, filter: { streamPrefixes: [p] } });
        const subscriber = (async () => {
          for await (const e of subscription) {
            seen.push(e);
            if (seen.length === writers * perWriter) break;
          }
        })();
        // A second reader polls readAll while the writers run: it must never skip an event either.
        const polled: RecordedEvent[] = [];
        const poller = (async () => {
          let cursor = after;
          const deadline = Date.now() + 280_000;
          while (polled.length < writers * perWriter && Date.now() < deadline) {
            const page = await store.readAll({ after: cursor, maxCount: 2_000 });
            for (const e of page) if (e.streamId.startsWith(p)) polled.push(e);
            if (page.length > 0) cursor = page[page.length - 1]!.position;
            else await sleep(5);
          }
        })();

        // mulberry32: seeded, so a failure replays; 32-bit integer steps (no float precision loss).
        let seed = 42;
        const random = (n: number) => {
          seed = (seed + 0x6d2b79f5) | 0;
          let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
          t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
          return ((((t ^ (t >>> 14)) >>> 0) / 4_294_967_296) * n) >>> 0;
        };
        await Promise.all(
          Array.from({ length: writers }, async (_, w) => {
            let left = perWriter;
            const known = new Map<string, bigint>();
            while (left > 0) {
              const size = Math.min(left, 1 + random(10));
              const streamId = `${p}${random(streams)}`;
              const batch = Array.from({ length: size }, (_, i) =>
                newEvent('Concurrent', { w, i: perWriter - left + i }),
              );
              if (w % 2 === 0) {
                await store.appendToStream(streamId, batch, { expectedRevision: 'any' });
              } else {
                // The command-handler path: append at the revision it knows, and on a conflict
                // take the current revision from the error and try again.
                for (;;) {
                  try {
                    const r = await store.appendToStream(streamId, batch, {
                      expectedRevision: known.get(streamId) ?? 'no_stream',
                    });
                    known.set(streamId, r.nextExpectedRevision);
                    break;
                  } catch (error) {
                    if (!(error instanceof WrongExpectedVersionError)) throw error;
                    if (error.actual === null) known.delete(streamId);
                    else known.set(streamId, error.actual);
                  }
                }
              }
              for (const e of batch) appended.add(e.id);
              left -= size;
            }
          }),
        );
        await Promise.race([
          subscriber,
          sleep(120_000).then(() => {
            throw new Error(`subscriber saw ${seen.length} of ${appended.size}`);
          }),
        ]);
        await poller;
        await subscription.close();

        expect(appended.size).toBe(writers * perWriter);
        for (const [reader, events] of [
          ['subscriber', seen],
          ['poller', polled],
        ] as const) {
          expect(events, reader).toHaveLength(appended.size);
          expect(new Set(ids(events)).size, `${reader}: duplicates`).toBe(appended.size);
          expect(
            ids(events).every((id) => appended.has(id)),
            `${reader}: unknown ids`,
          ).toBe(true);
          expectStrictlyIncreasing(events.map((e) => e.position));
          const nextRevision = new Map<string, bigint>();
          for (const e of events) {
            const expected = nextRevision.get(e.streamId) ?? 0n;
            if (e.revision !== expected) {
              throw new Error(
                `${reader}: ${e.streamId} revision ${e.revision} arrived, expected ${expected}`,
              );
            }
            nextRevision.set(e.streamId, expected + 1n);
          }
        }
        expect(ids(polled)).toEqual(ids(seen));
        expect(ids(await readAllOf(store, p, after))).toEqual(ids(seen));
        // A few seconds on an idle 2-core machine; generous because shared CI machines are not idle.
      }, 300_000);

      it('gap safety: a reader never skips an event that a slower transaction commits later', async () => {
        const p = uniquePrefix('gap');
        const after = await store.headPosition();
        const subscription = store.subscribeToAll({ after, filter: { streamPrefixes: [p] } });
        const sub = reader(subscription);
        if (harness.beginSlowAppend !== undefined) {
          const slowEvent = newEvent('Slow');
          const slow = await harness.beginSlowAppend(`${p}slow`, [slowEvent]);
          const fastEvent = newEvent('Fast');
          const fast = await store.appendToStream(`${p}fast`, [fastEvent]);
          // In between: the fast event is committed, the slow one (which took its place first) is not.
          const between = await readAllOf(store, p, after);
          expect(ids(between)).not.toContain(fastEvent.id);
          expect(await store.headPosition()).toBeLessThan(fast.position);
          expect(await sub.next(300)).toBe('timeout');
          await slow.commit();
          const delivered = await sub.take(2, 5_000);
          expect(ids(delivered)).toEqual([slowEvent.id, fastEvent.id]);
          expect(delivered[0]!.position).toBeLessThan(delivered[1]!.position);
          expect(ids(await readAllOf(store, p, after))).toEqual([slowEvent.id, fastEvent.id]);
        } else {
          // No way to hold a write open: race 200 concurrent single-event appends against a poller.
          const appends = Array.from({ length: 200 }, (_, i) =>
            store.appendToStream(`${p}${i % 7}`, [newEvent('Raced', { i })]),
          );
          const polled: RecordedEvent[] = [];
          let cursor = after;
          const all = Promise.all(appends);
          let settled = false;
          void all.finally(() => (settled = true));
          while (!settled || polled.length < 200) {
            const page = await store.readAll({ after: cursor, maxCount: 500 });
            for (const e of page) if (e.streamId.startsWith(p)) polled.push(e);
            if (page.length > 0) cursor = page[page.length - 1]!.position;
            if (settled && page.length === 0 && polled.length < 200) break;
          }
          expect(polled).toHaveLength(200);
          expect(ids(await sub.take(200))).toEqual(ids(polled));
        }
        await subscription.close();
      });
    });

    describe('a subscriber killed mid-stream resumes from its persisted checkpoint', () => {
      it('misses nothing and repeats nothing after the checkpoint', async () => {
        const p = uniquePrefix('kill');
        const after = await store.headPosition();
        const dir = mkdtempSync(join(tmpdir(), 'bpane-es-kill-'));
        const out = join(dir, 'checkpoints.log');
        const total = 3_000;
        const appended: string[] = [];
        try {
          const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'subscriber-child.ts')], {
            cwd: repoRoot,
            env: {
              ...process.env,
              BPANE_CT_CONFIG: JSON.stringify(harness.childConfig()),
              BPANE_CT_AFTER: after.toString(),
              BPANE_CT_PREFIX: p,
              BPANE_CT_OUT: out,
            },
            stdio: ['ignore', 'pipe', 'pipe'],
          });
          let stderr = '';
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          const exited = new Promise<NodeJS.Signals | number | null>((resolveExit) =>
            child.on('exit', (code, signal) => resolveExit(signal ?? code)),
          );
          await new Promise<void>((ready, fail) => {
            child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && ready());
            child.on('exit', () => fail(new Error(`subscriber child exited early: ${stderr}`)));
          });
          const lines = () => {
            try {
              return readFileSync(out, 'utf8').split('\n').filter(Boolean);
            } catch {
              return [];
            }
          };
          // Write in the background while the child consumes; kill it mid-stream.
          const writer = (async () => {
            for (let i = 0; i < total / 10; i++) {
              const batch = Array.from({ length: 10 }, (_, j) => newEvent('Tick', { n: i * 10 + j }));
              await store.appendToStream(`${p}${i % 5}`, batch);
              appended.push(...ids(batch));
            }
          })();
          await waitUntil(() => lines().length >= 500, 60_000, 'the child to persist 500 checkpoints');
          child.kill('SIGKILL');
          expect(await exited).toBe('SIGKILL');
          await writer;

          const persisted = lines().map((line) => {
            const [position, id] = line.split(' ');
            return { position: BigInt(position!), id: id! };
          });
          expect(persisted.length).toBeGreaterThanOrEqual(500);
          expect(persisted.length, 'the child must have been killed mid-stream').toBeLessThan(total);
          expect(ids(persisted)).toEqual(appended.slice(0, persisted.length));

          const checkpoint = persisted[persisted.length - 1]!.position;
          const resumed = store.subscribeToAll({ after: checkpoint, filter: { streamPrefixes: [p] } });
          const resumedReader = reader(resumed);
          const rest = await resumedReader.take(total - persisted.length, 30_000);
          expect(await resumedReader.next(300)).toBe('timeout');
          await resumed.close();
          expect([...ids(persisted), ...ids(rest)]).toEqual(appended);
          expectStrictlyIncreasing([...persisted, ...rest].map((e) => e.position));
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      });
    });
  });
};
