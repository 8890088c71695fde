import { StoreClosedError, StoreUnavailableError } from '../errors';
import type { RecordedEvent, Subscription } from '../types';
import { isUnavailable } from './pg-errors';

export type Batch = Readonly<{
  /** Matching events after the cursor, in position order. */
  events: readonly RecordedEvent[];
  /**
   * The cursor may move here even if no event was delivered: every position up to and including it
   * has been read (the batch was not full, and the fence guarantees nothing can appear below it).
   */
  scannedUpTo: bigint;
  /** Committed events exist beyond the fence: an older transaction is still in flight. */
  heldBack: boolean;
}>;

export type Wakeup = Readonly<{
  generation: () => number;
  /** Registers a one-shot callback for the next notification; returns an unregister function. */
  onNotify: (wake: () => void) => () => void;
}>;

export type PollingSubscriptionOptions = Readonly<{
  after: bigint;
  fetch: (cursor: bigint) => Promise<Batch>;
  wakeup: Wakeup;
  /** Called once before the first read (e.g. to start LISTEN). */
  ready?: () => Promise<void>;
  signal: AbortSignal | undefined;
  /** Longest wait without a notification before reading again. */
  safetyPollMs: number;
  /** While the fence holds committed events back, re-read after this (doubling up to safetyPollMs). */
  heldBackPollMs: number;
  /** How long to keep retrying while the database is unreachable before failing the iteration. */
  unavailableRetryMs: number;
  onClose: (subscription: Subscription) => void;
}>;

/**
 * Catch-up then live, as one pull-driven loop: read a batch after the cursor; hand its events out
 * one by one; when a read comes back empty, sleep until a notification, the safety poll, abort or
 * close. The next batch is only read when the consumer has taken the previous one (back-pressure:
 * memory is bounded by one batch). Events are handed out in the order read, and the cursor only
 * moves forward, so an event is never delivered twice or out of order within a subscription.
 */
export class PollingSubscription implements Subscription, AsyncIterator<RecordedEvent> {
  private cursor: bigint;
  private buffer: readonly RecordedEvent[] = [];
  private index = 0;
  private closed = false;
  private wake: (() => void) | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private readyDone = false;
  private readonly abort = () => void this.close();

  constructor(private readonly options: PollingSubscriptionOptions) {
    this.cursor = options.after;
    if (options.signal?.aborted === true) this.closed = true;
    options.signal?.addEventListener('abort', this.abort, { once: true });
  }

  /** The subscription is its own iterator (like a generator): a second loop continues where the first stopped. */
  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return this;
  }

  /** Serialised: concurrent `next()` calls are answered one after the other, in call order. */
  next(): Promise<IteratorResult<RecordedEvent>> {
    const result = this.chain.then(() => this.pull());
    this.chain = result.catch(() => undefined);
    return result;
  }

  async return(): Promise<IteratorResult<RecordedEvent>> {
    await this.close();
    return { done: true, value: undefined };
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.options.signal?.removeEventListener('abort', this.abort);
      this.options.onClose(this);
    }
    this.wake?.();
    return Promise.resolve();
  }

  private async pull(): Promise<IteratorResult<RecordedEvent>> {
    if (!this.readyDone) {
      this.readyDone = true;
      await this.options.ready?.();
    }
    let heldBackDelay = this.options.heldBackPollMs;
    let unavailableSince: number | null = null;
    for (;;) {
      if (this.closed) return { done: true, value: undefined };
      const next = this.buffer[this.index];
      if (next !== undefined) {
        this.index++;
        return { done: false, value: next };
      }
      const generation = this.options.wakeup.generation();
      let batch: Batch;
      try {
        batch = await this.options.fetch(this.cursor);
        unavailableSince = null;
      } catch (error) {
        if (this.closed) return { done: true, value: undefined };
        if (error instanceof StoreClosedError) {
          await this.close();
          return { done: true, value: undefined };
        }
        if (!isUnavailable(error)) {
          await this.close();
          throw error;
        }
        unavailableSince ??= Date.now();
        if (Date.now() - unavailableSince > this.options.unavailableRetryMs) {
          await this.close();
          throw error instanceof StoreUnavailableError
            ? error
            : new StoreUnavailableError('event store unreachable while following the log', error);
        }
        await this.sleep(Math.min(1_000, this.options.safetyPollMs), false);
        continue;
      }
      if (this.closed) return { done: true, value: undefined };
      this.buffer = batch.events;
      this.index = 0;
      const last = batch.events[batch.events.length - 1];
      if (last !== undefined) this.cursor = last.position;
      if (batch.scannedUpTo > this.cursor) this.cursor = batch.scannedUpTo;
      if (batch.events.length > 0) {
        heldBackDelay = this.options.heldBackPollMs;
        continue;
      }
      if (this.options.wakeup.generation() !== generation) continue; // a commit landed meanwhile
      if (batch.heldBack) {
        await this.sleep(heldBackDelay, true);
        heldBackDelay = Math.min(heldBackDelay * 2, this.options.safetyPollMs);
      } else {
        await this.sleep(this.options.safetyPollMs, true);
      }
    }
  }

  /** Sleeps for `ms`, or until close / abort, or (if `onNotify`) the next notification. */
  private sleep(ms: number, onNotify: boolean): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      let unregister: () => void = () => undefined;
      const done = () => {
        clearTimeout(timer);
        unregister();
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      if (onNotify) unregister = this.options.wakeup.onNotify(done);
      this.wake = done;
    });
  }
}
