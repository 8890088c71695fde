import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  ErrorType,
  eventTypeFilter,
  isCommandError,
  jsonEvent,
  streamNameFilter,
  type AllStreamResolvedEvent,
  type AllStreamSubscription,
  type AppendExpectedRevision,
  type Filter,
  type ReadPosition,
  type ResolvedEvent,
  type StreamMetadata as EsdbStreamMetadata,
} from '@eventstore/db-client';
import type { EventStoreDbConfig } from '../config';
import {
  EventStoreConfigError,
  EventStoreError,
  IdempotencyConflictError,
  StoreClosedError,
  StoreUnavailableError,
  StreamNotFoundError,
  WrongExpectedVersionError,
} from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventMetadata,
  EventStore,
  ExpectedRevision,
  JsonObject,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  StreamMetadata,
  SubscribeToAllOptions,
  Subscription,
} from '../types';
import {
  expectedRevisionText,
  matchesFilter,
  validateAfter,
  validateExpectedRevision,
  validateFilter,
  validateNewEvents,
  validateReadAllOptions,
  validateReadStreamOptions,
  validateStreamId,
  validateStreamMetadata,
  type ValidEvent,
  type ValidFilter,
} from '../validation';

/**
 * The event-store port on EventStoreDB / KurrentDB, through `@eventstore/db-client` (gRPC).
 * Why this client: docs/adr/0002-eventstoredb-client.md.
 *
 * Positions: a `$all` position is `{commit, prepare}`. Every event appended through gRPC is an
 * implicitly committed prepare record whose position is `{commit: p, prepare: p}` with `p` its own
 * log offset (unique, strictly increasing in `$all` order), so the port's `bigint` position is the
 * commit position, and a bigint `p` maps back to `{commit: p, prepare: p}`. Events written by
 * legacy TCP explicit transactions share one commit position; such a store is not supported.
 */
export type EventStoreDbEventStoreOptions = EventStoreDbConfig &
  Readonly<{
    /** How long a subscription keeps re-subscribing to an unreachable server before failing. Default 30000. */
    unavailableRetryMs?: number;
  }>;

const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
const PAGE = 500;

type EsdbEvent = NonNullable<AllStreamResolvedEvent['event']>;

const isSystem = (e: { streamId: string; type: string }): boolean =>
  e.streamId.startsWith('$') || e.type.startsWith('$');

const toPosition = (p: bigint) => ({ commit: p, prepare: p });

/** `kurrentdb://` and `kdb://` URLs are accepted and handed to the client as `esdb://` (same format). */
export const normaliseConnectionString = (url: string): string => {
  const match = /^(kurrentdb|kdb|esdb)(\+discover)?:\/\//i.exec(url);
  if (match === null) {
    throw new EventStoreConfigError(
      'BPANE_EVENTSTORE_URL must start with esdb://, esdb+discover://, kurrentdb:// or kurrentdb+discover://',
    );
  }
  return `esdb${match[2] ?? ''}://${url.slice(match[0].length)}`;
};

const describeTarget = (url: string): string => {
  try {
    const parsed = new URL(url.replace(/^[a-z+]+:\/\//i, 'http://'));
    return parsed.host;
  } catch {
    return 'the configured server';
  }
};

const UNAVAILABLE_TYPES = new Set<ErrorType>([
  ErrorType.UNAVAILABLE,
  ErrorType.DEADLINE_EXCEEDED,
  ErrorType.TIMEOUT,
  ErrorType.NOT_LEADER,
  ErrorType.CANCELLED,
]);

const isUnavailable = (error: unknown): boolean =>
  error instanceof StoreUnavailableError ||
  (error instanceof Error && isCommandError(error) && UNAVAILABLE_TYPES.has(error.type)) ||
  (error instanceof Error &&
    /UNAVAILABLE|ECONNREFUSED|Failed to connect|No connection established/i.test(error.message));

const mapError = (error: unknown, streamId?: string, expected?: string): unknown => {
  if (error instanceof EventStoreError) return error;
  if (!(error instanceof Error)) return error;
  if (isCommandError(error)) {
    switch (error.type) {
      case ErrorType.WRONG_EXPECTED_VERSION: {
        const actual = typeof error.actualVersion === 'bigint' ? error.actualVersion : null;
        return new WrongExpectedVersionError(streamId ?? error.streamName, expected ?? 'any', actual);
      }
      case ErrorType.STREAM_NOT_FOUND:
        return new StreamNotFoundError(streamId ?? error.streamName);
      default:
        break;
    }
  }
  return isUnavailable(error) ? new StoreUnavailableError(`EventStoreDB: ${error.message}`, error) : error;
};

const toEsdbExpected = (expected: ExpectedRevision): AppendExpectedRevision => {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'stream_exists':
      return STREAM_EXISTS;
    default:
      return expected;
  }
};

const toRecorded = (e: EsdbEvent | NonNullable<ResolvedEvent['event']>): RecordedEvent => {
  if (!e.isJson)
    throw new Error(`event ${e.id} in ${e.streamId} is not JSON; this store only holds JSON events`);
  return {
    id: e.id,
    type: e.type,
    data: e.data as JsonObject,
    metadata: (e.metadata ?? {}) as EventMetadata,
    streamId: e.streamId,
    revision: e.revision,
    position: e.position?.commit ?? -1n,
    recordedAt: e.created,
  };
};

/** EventStoreDB decides idempotency by event id; the adapter adds the type, never the payload. */
const sameEvent = (stored: RecordedEvent, sent: ValidEvent): boolean =>
  stored.id === sent.id && stored.type === sent.type;

export class EventStoreDbEventStore implements EventStore {
  private closed = false;
  private readonly subscriptions = new Set<Subscription>();

  private constructor(
    private readonly client: EventStoreDBClient,
    private readonly unavailableRetryMs: number,
  ) {}

  /** Connects and checks the server answers within `connectTimeoutMs`; else `StoreUnavailableError`. */
  static async create(options: EventStoreDbEventStoreOptions): Promise<EventStoreDbEventStore> {
    const url = normaliseConnectionString(options.connectionString);
    const timeout = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    let client: EventStoreDBClient;
    try {
      client = EventStoreDBClient.connectionString(url);
    } catch (error) {
      throw new EventStoreConfigError(`invalid EventStoreDB connection string: ${(error as Error).message}`);
    }
    const probe = async () => {
      try {
        for await (const _ of client.readStream('bpane-connection-probe', { maxCount: 1, deadline: timeout }))
          break;
      } catch (error) {
        if (error instanceof Error && isCommandError(error) && error.type === ErrorType.STREAM_NOT_FOUND)
          return;
        throw error;
      }
    };
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        probe(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeout} ms`)), timeout);
        }),
      ]);
    } catch (error) {
      await client.dispose().catch(() => undefined);
      throw new StoreUnavailableError(
        `EventStoreDB unreachable at ${describeTarget(url)}: ${(error as Error).message}`,
        error,
      );
    } finally {
      clearTimeout(timer);
    }
    return new EventStoreDbEventStore(client, options.unavailableRetryMs ?? 30_000);
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }

  async appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    this.assertOpen();
    validateStreamId(streamId);
    const expected = validateExpectedRevision(options?.expectedRevision, streamId);
    const valid = validateNewEvents(streamId, events);
    const expectedText = expectedRevisionText(expected);
    try {
      const result = await this.client.appendToStream(
        streamId,
        valid.map((e) => jsonEvent({ id: e.id, type: e.type, data: e.data, metadata: e.metadata })),
        { expectedRevision: toEsdbExpected(expected) },
      );
      const position = result.position?.commit;
      return {
        nextExpectedRevision: result.nextExpectedRevision,
        // An idempotent (repeated) append may come back without a position: look it up.
        position:
          position !== undefined && position >= 0n
            ? position
            : await this.positionOf(streamId, result.nextExpectedRevision),
      };
    } catch (error) {
      const mapped = mapError(error, streamId, expectedText);
      if (mapped instanceof WrongExpectedVersionError) {
        const retry = await this.resolveRetry(streamId, valid, expected);
        if (retry !== null) return retry;
      }
      throw mapped;
    }
  }

  /**
   * After a wrong-expected-revision failure: is this batch a retry of one already stored where the
   * caller expected it? (EventStoreDB answers such retries itself while the stream has not moved
   * on; this covers the case where it has.) Returns the original result, throws
   * `IdempotencyConflictError` on a partial match, or null (a genuine conflict).
   */
  private async resolveRetry(
    streamId: string,
    batch: readonly ValidEvent[],
    expected: ExpectedRevision,
  ): Promise<AppendResult | null> {
    if (expected === 'any' || expected === 'stream_exists') return null;
    const from = expected === 'no_stream' ? 0n : expected + 1n;
    let stored: RecordedEvent[];
    try {
      stored = await this.readStream(streamId, { fromRevision: from, maxCount: batch.length });
    } catch (error) {
      if (error instanceof StreamNotFoundError) return null;
      throw error;
    }
    const window = new Set(stored.map((e) => e.id));
    const clash = batch.find((e) => window.has(e.id));
    if (clash === undefined) return null;
    const last = stored[batch.length - 1];
    if (last !== undefined && batch.every((e, i) => stored[i] !== undefined && sameEvent(stored[i], e))) {
      return { nextExpectedRevision: last.revision, position: last.position };
    }
    throw new IdempotencyConflictError(streamId, clash.id);
  }

  private async positionOf(streamId: string, revision: bigint): Promise<bigint> {
    const [event] = await this.readStream(streamId, { fromRevision: revision, maxCount: 1 });
    return event?.position ?? -1n;
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    validateStreamId(streamId);
    const { direction, fromRevision, maxCount } = validateReadStreamOptions(options);
    const forwards = direction === 'forwards';
    const out: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(streamId, {
        direction: forwards ? FORWARDS : BACKWARDS,
        fromRevision: fromRevision ?? (forwards ? START : END),
        maxCount: maxCount === 0 ? 1 : (maxCount ?? Number.MAX_SAFE_INTEGER),
      });
      for await (const resolved of read) {
        // Consumed to the end even when maxCount is 0 (see readAllPage).
        if (maxCount !== 0 && resolved.event !== undefined) out.push(toRecorded(resolved.event));
      }
    } catch (error) {
      throw mapError(error, streamId);
    }
    return out;
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    const { direction, after, maxCount } = validateReadAllOptions(options);
    const forwards = direction === 'forwards';
    const want = maxCount ?? Number.MAX_SAFE_INTEGER;
    const out: RecordedEvent[] = [];
    if (want === 0) return out;
    if (!forwards && after === 0n) return out;
    let from: ReadPosition =
      after === undefined || after === 0n ? (forwards ? START : END) : toPosition(after);
    // Reading $all from a position includes the event at that position, and system events are
    // skipped, so page on with an exclusive bound until enough of ours are read.
    let bound = after;
    for (;;) {
      const size = Math.min(PAGE, want - out.length + 1);
      const page = await this.readAllPage(forwards, from, size);
      for (const e of page) {
        const position = e.position.commit;
        if (bound !== undefined && (forwards ? position <= bound : position >= bound)) continue;
        if (isSystem(e)) continue;
        out.push(toRecorded(e));
        if (out.length >= want) return out;
      }
      const last = page[page.length - 1];
      if (page.length < size || last === undefined) return out;
      from = toPosition(last.position.commit);
      bound = last.position.commit;
    }
  }

  /**
   * One `$all` read, consumed to the end. (A gRPC read left with unread messages never reports
   * its status, and the client's `dispose()` then waits for it forever.)
   */
  private async readAllPage(forwards: boolean, from: ReadPosition, count: number): Promise<EsdbEvent[]> {
    const page: EsdbEvent[] = [];
    try {
      for await (const resolved of this.client.readAll({
        direction: forwards ? FORWARDS : BACKWARDS,
        fromPosition: from,
        maxCount: count,
      })) {
        if (resolved.event !== undefined) page.push(resolved.event);
      }
    } catch (error) {
      throw mapError(error);
    }
    return page;
  }

  async headPosition(): Promise<bigint> {
    this.assertOpen();
    const size = 32;
    let from: ReadPosition = END;
    for (;;) {
      const page = await this.readAllPage(false, from, size);
      const newest = page.find((e) => !isSystem(e));
      if (newest !== undefined) return newest.position.commit;
      const last = page[page.length - 1];
      if (page.length < size || last === undefined) return 0n;
      from = toPosition(last.position.commit);
    }
  }

  subscribeToAll(options?: SubscribeToAllOptions): Subscription {
    this.assertOpen();
    const after = validateAfter(options?.after);
    const filter = validateFilter(options?.filter);
    const subscription = new EsdbSubscription(
      (from) =>
        this.client.subscribeToAll({
          fromPosition: from === 0n ? START : toPosition(from),
          ...(serverFilter(filter) === undefined ? {} : { filter: serverFilter(filter)! }),
        }),
      after,
      filter,
      options?.signal,
      this.unavailableRetryMs,
      (s) => this.subscriptions.delete(s),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async getStreamMetadata(streamId: string): Promise<StreamMetadata | null> {
    this.assertOpen();
    validateStreamId(streamId);
    try {
      const { metadata } = await this.client.getStreamMetadata(streamId);
      if (metadata === undefined) return null;
      const out: { maxAgeSec?: number; maxCount?: number; custom?: JsonObject } = {};
      if (typeof metadata.maxAge === 'number') out.maxAgeSec = metadata.maxAge;
      if (typeof metadata.maxCount === 'number') out.maxCount = metadata.maxCount;
      const custom = (metadata as Record<string, unknown>)['bpaneCustom'];
      if (custom !== undefined && custom !== null) out.custom = custom as JsonObject;
      return out;
    } catch (error) {
      const mapped = mapError(error, streamId);
      if (mapped instanceof StreamNotFoundError) return null;
      throw mapped;
    }
  }

  async setStreamMetadata(streamId: string, metadata: StreamMetadata): Promise<void> {
    this.assertOpen();
    validateStreamId(streamId);
    const valid = validateStreamMetadata(metadata, streamId);
    const esdb: EsdbStreamMetadata = {};
    if (valid.maxAgeSec !== undefined) esdb.maxAge = valid.maxAgeSec;
    if (valid.maxCount !== undefined) esdb.maxCount = valid.maxCount;
    if (valid.custom !== undefined) esdb['bpaneCustom'] = valid.custom;
    try {
      await this.client.setStreamMetadata(streamId, esdb);
    } catch (error) {
      throw mapError(error, streamId);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    // The client waits for every gRPC stream it opened to finish; never let close() hang on one.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.client.dispose(),
      new Promise((resolve) => {
        timer = setTimeout(resolve, 3_000);
      }),
    ]);
    clearTimeout(timer);
  }
}

/** The part of a filter the server applies (one of stream prefixes or event types). */
const serverFilter = (filter: ValidFilter): Filter | undefined => {
  if (filter === null) return undefined;
  if (filter.streamPrefixes.length > 0) return streamNameFilter({ prefixes: [...filter.streamPrefixes] });
  return eventTypeFilter({ prefixes: [...filter.eventTypes] });
};

/**
 * Wraps the client's catch-up subscription: maps events, drops system events, applies the part of
 * the filter the server cannot (exact types; both filters at once), never hands out a position at
 * or below the last one delivered, and re-subscribes from the last delivered position when the
 * server is briefly unreachable.
 */
class EsdbSubscription implements Subscription, AsyncIterator<RecordedEvent> {
  private inner: AllStreamSubscription | null = null;
  private iterator: AsyncIterator<AllStreamResolvedEvent> | null = null;
  private closed = false;
  private chain: Promise<unknown> = Promise.resolve();
  private readonly abort = () => void this.close();

  constructor(
    private readonly open: (from: bigint) => AllStreamSubscription,
    private last: bigint,
    private readonly filter: ValidFilter,
    private readonly signal: AbortSignal | undefined,
    private readonly unavailableRetryMs: number,
    private readonly onClose: (s: Subscription) => void,
  ) {
    if (signal?.aborted === true) this.closed = true;
    signal?.addEventListener('abort', this.abort, { once: true });
  }

  [Symbol.asyncIterator](): AsyncIterator<RecordedEvent> {
    return this;
  }

  next(): Promise<IteratorResult<RecordedEvent>> {
    const result = this.chain.then(() => this.pull());
    this.chain = result.catch(() => undefined);
    return result;
  }

  async return(): Promise<IteratorResult<RecordedEvent>> {
    await this.close();
    return { done: true, value: undefined };
  }

  private async pull(): Promise<IteratorResult<RecordedEvent>> {
    let unavailableSince: number | null = null;
    for (;;) {
      if (this.closed) return { done: true, value: undefined };
      if (this.iterator === null) {
        this.inner = this.open(this.last);
        this.iterator = this.inner[Symbol.asyncIterator]();
      }
      let step: IteratorResult<AllStreamResolvedEvent>;
      try {
        step = await this.iterator.next();
        unavailableSince = null;
      } catch (error) {
        if (this.closed) return { done: true, value: undefined };
        const mapped = mapError(error);
        this.iterator = null;
        await this.inner?.unsubscribe().catch(() => undefined);
        if (!(mapped instanceof StoreUnavailableError)) {
          await this.close();
          throw mapped;
        }
        unavailableSince ??= Date.now();
        if (Date.now() - unavailableSince > this.unavailableRetryMs) {
          await this.close();
          throw mapped;
        }
        await new Promise((r) => setTimeout(r, 500));
        continue;
      }
      if (step.done === true) return { done: true, value: undefined };
      const e = step.value.event;
      if (e === undefined || e.position.commit <= this.last) continue;
      this.last = e.position.commit;
      if (isSystem(e) || !matchesFilter(this.filter, e.streamId, e.type)) continue;
      return { done: false, value: toRecorded(e) };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.signal?.removeEventListener('abort', this.abort);
    this.onClose(this);
    const inner = this.inner;
    if (inner !== null) {
      await inner.unsubscribe().catch(() => undefined);
      inner.resume(); // drain what is buffered so the cancelled call can finish
    }
  }
}

export const createEventStoreDbEventStore = (
  options: EventStoreDbEventStoreOptions,
): Promise<EventStoreDbEventStore> => EventStoreDbEventStore.create(options);
