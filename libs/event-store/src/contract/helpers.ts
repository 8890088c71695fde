import { randomUUID } from 'node:crypto';
import { waitForPosition } from '../wait-for-position';
import type { EventMetadata, EventStore, JsonObject, NewEvent, RecordedEvent, Subscription } from '../types';

export const testMetadata = (extra: Partial<EventMetadata> = {}): EventMetadata => ({
  correlationId: randomUUID(),
  causationId: null,
  actor: { kind: 'system', id: 'contract-test' },
  occurredAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

export const newEvent = (type = 'SomethingHappened', data: JsonObject = {}): NewEvent => ({
  id: randomUUID(),
  type,
  data,
  metadata: testMetadata(),
});

/** A prefix no other test (or earlier run against a shared server) uses. */
export const uniquePrefix = (what: string): string => `ct${randomUUID().slice(0, 8)}-${what}-`;

/**
 * Reads a subscription with time limits. A `next` that times out keeps its pending pull, so the
 * event it eventually yields is returned by the following call instead of being lost.
 */
export type SubscriptionReader = Readonly<{
  next: (ms: number) => Promise<RecordedEvent | 'timeout' | 'done'>;
  take: (count: number, ms?: number) => Promise<RecordedEvent[]>;
}>;

export const reader = (subscription: Subscription): SubscriptionReader => {
  const iterator = subscription[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<RecordedEvent>> | null = null;
  const next = async (ms: number): Promise<RecordedEvent | 'timeout' | 'done'> => {
    pending ??= iterator.next();
    let timer: NodeJS.Timeout | undefined;
    const result = await Promise.race([
      pending,
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), ms);
      }),
    ]).finally(() => clearTimeout(timer));
    if (result === 'timeout') return result;
    pending = null;
    return result.done === true ? 'done' : result.value;
  };
  const take = async (count: number, ms = 10_000): Promise<RecordedEvent[]> => {
    const out: RecordedEvent[] = [];
    const deadline = Date.now() + ms;
    while (out.length < count) {
      const r = await next(Math.max(1, deadline - Date.now()));
      if (r === 'timeout') throw new Error(`timed out after ${ms} ms with ${out.length} of ${count} events`);
      if (r === 'done') throw new Error(`subscription ended after ${out.length} of ${count} events`);
      out.push(r);
    }
    return out;
  };
  return { next, take };
};

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns true or `timeoutMs` elapses. */
export const waitUntil = async (check: () => boolean | Promise<boolean>, timeoutMs: number, what: string) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
};

/** Waits until global readers can see `position` (see `waitForPosition`). */
export const untilVisible = (store: EventStore, position: bigint, timeoutMs = 30_000): Promise<void> =>
  waitForPosition(store, position, { timeoutMs });
