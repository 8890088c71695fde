import pg from 'pg';
import {
  EventStoreConfigError,
  StoreClosedError,
  StoreUnavailableError,
  StreamNotFoundError,
} from '../errors';
import type {
  AppendOptions,
  AppendResult,
  EventMetadata,
  EventStore,
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
  validateAfter,
  validateExpectedRevision,
  validateFilter,
  validateNewEvents,
  validateReadAllOptions,
  validateReadStreamOptions,
  validateStreamId,
  validateStreamMetadata,
  type ValidFilter,
} from '../validation';
import { runMigrations, SCHEMA_NAME, sqlNames, type MigrationReport } from './migration-runner';
import { AppendNotifier, NotificationHub, type HubLogger } from './notification-hub';
import { isConnectionLoss, isUnavailable, mapPgError } from './pg-errors';
import { PollingSubscription, type Batch } from './polling-subscription';

export type PostgresEventStoreOptions = Readonly<{
  /** `postgres://user:password@host:port/database` */
  connectionString: string;
  /** Schema holding the store's tables (created if missing). Default `event_store`. */
  schema?: string;
  /** Connections in the pool used for appends and reads. Default 10. */
  poolSize?: number;
  /** Give up connecting after this long (StoreUnavailableError). Default 5000. */
  connectTimeoutMs?: number;
  /** Events read per round trip by a subscription. Default 500. */
  subscriptionBatchSize?: number;
  /** Longest a live subscription waits without a notification before reading again. Default 1000. */
  safetyPollMs?: number;
  /** First re-read delay while an in-flight transaction holds committed events back. Default 5. */
  heldBackPollMs?: number;
  /** How long a subscription keeps retrying an unreachable database before failing. Default 30000. */
  unavailableRetryMs?: number;
  /**
   * Least time between two wake-up NOTIFYs sent by this store (appends in between share one).
   * Default 5.
   */
  notifyIntervalMs?: number;
  /** `application_name` of the store's connections. Default `bpane-event-store`. */
  applicationName?: string;
  logger?: HubLogger;
}>;

export const postgresEventStoreDefaults = {
  schema: 'event_store',
  poolSize: 10,
  connectTimeoutMs: 5_000,
  subscriptionBatchSize: 500,
  safetyPollMs: 1_000,
  heldBackPollMs: 5,
  unavailableRetryMs: 30_000,
  notifyIntervalMs: 5,
  applicationName: 'bpane-event-store',
} as const;

type Settings = Required<Omit<PostgresEventStoreOptions, 'logger'>>;

type EventRow = {
  position: string;
  stream_id: string;
  revision: string;
  event_id: string;
  type: string;
  data: JsonObject;
  metadata: EventMetadata;
  recorded_at: Date;
};

const COLUMNS = 'position, stream_id, revision, event_id, type, data, metadata, recorded_at';
const MAX_BIGINT = '9223372036854775807';

const toRecorded = (row: EventRow): RecordedEvent => ({
  id: row.event_id,
  type: row.type,
  data: row.data,
  metadata: row.metadata,
  streamId: row.stream_id,
  revision: BigInt(row.revision),
  position: BigInt(row.position),
  recordedAt: row.recorded_at,
});

/** `LIKE` pattern matching ids that start with `prefix`. */
const prefixPattern = (prefix: string): string => `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Where the connection string points, without credentials (for error messages). */
const describeTarget = (connectionString: string): string => {
  try {
    const url = new URL(connectionString);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    return 'the configured PostgreSQL server';
  }
};

/**
 * The embedded default event store, on PostgreSQL. One table of events; each append is one call of
 * a stored function (one round trip, one transaction). Global order and gap safety:
 * docs/adr/0001-postgres-event-store-ordering.md. Operator notes: docs/event-store.md.
 */
export class PostgresEventStore implements EventStore {
  private closed = false;
  private readonly subscriptions = new Set<Subscription>();
  private readonly sql: ReturnType<typeof buildSql>;
  private readonly hub: NotificationHub;
  private readonly notifier: AppendNotifier;

  private constructor(
    private readonly pool: pg.Pool,
    readonly schema: string,
    private readonly settings: Settings,
    clientConfig: pg.ClientConfig,
    logger: HubLogger | undefined,
    /** What start-up did to the schema (for logs and tests). */
    readonly migrationReport: MigrationReport,
  ) {
    const names = sqlNames(schema);
    this.sql = buildSql(names.s, schema);
    this.hub = new NotificationHub(clientConfig, names.channel, logger);
    this.notifier = new AppendNotifier(pool, names.channel, settings.notifyIntervalMs);
  }

  /**
   * Connects, runs pending migrations (safe when several processes start at once) and returns
   * the store. Throws `StoreUnavailableError` when the database cannot be reached in time.
   */
  static async create(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const { logger, ...given } = options;
    const settings: Settings = {
      ...postgresEventStoreDefaults,
      ...stripUndefined(given),
      connectionString: given.connectionString,
    };
    if (!SCHEMA_NAME.test(settings.schema)) {
      throw new EventStoreConfigError(
        `event store schema must match ${SCHEMA_NAME.source}: ${settings.schema}`,
      );
    }
    if (!Number.isSafeInteger(settings.poolSize) || settings.poolSize < 1) {
      throw new EventStoreConfigError(
        `event store poolSize must be a positive integer: ${settings.poolSize}`,
      );
    }
    const clientConfig: pg.ClientConfig = {
      connectionString: settings.connectionString,
      connectionTimeoutMillis: settings.connectTimeoutMs,
      application_name: settings.applicationName,
      keepAlive: true,
    };
    const pool = new pg.Pool({ ...clientConfig, max: settings.poolSize, idleTimeoutMillis: 30_000 });
    // An idle client losing its connection emits here; without a listener it would crash the process.
    pool.on('error', (error) =>
      logger?.warn('event store: idle connection failed', { error: error.message }),
    );
    let report: MigrationReport;
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      // Unreachable, refused, unknown database, bad credentials: the store cannot be used.
      await pool.end().catch(() => undefined);
      throw new StoreUnavailableError(
        `PostgreSQL event store unreachable at ${describeTarget(settings.connectionString)}: ${(error as Error).message}`,
        error,
      );
    }
    try {
      report = await runMigrations(client, settings.schema);
    } catch (error) {
      client.release();
      await pool.end().catch(() => undefined);
      throw isUnavailable(error)
        ? new StoreUnavailableError(`PostgreSQL event store: ${(error as Error).message}`, error)
        : error;
    }
    client.release();
    return new PostgresEventStore(pool, settings.schema, settings, clientConfig, logger, report);
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreClosedError();
  }

  private async query<R extends pg.QueryResultRow>(
    config: pg.QueryConfig,
    context?: { streamId?: string; expected?: string },
  ): Promise<R[]> {
    this.assertOpen();
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.run<R>(config);
      } catch (error) {
        if (this.closed) throw new StoreClosedError();
        // A pooled connection the server has dropped (restart, failover, pg_terminate_backend)
        // fails; every statement here is a read or an idempotent append, so retrying (twice) on a
        // fresh connection is safe — a retried append whose first attempt committed gets the
        // original result back.
        if (attempt < 3 && isConnectionLoss(error)) continue;
        throw mapPgError(error, context);
      }
    }
  }

  /**
   * One statement on a pooled connection. Not `pool.query`: it discards the connection on *any*
   * error, so every rejected append (a wrong expected revision is routine for command handlers)
   * would cost a new connection — measured at ~8 ms instead of ~0.5 ms. An error the server
   * reports (it carries an SQLSTATE) leaves the connection usable; anything else discards it.
   */
  private async run<R extends pg.QueryResultRow>(config: pg.QueryConfig): Promise<R[]> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      return (await client.query<R>(config)).rows;
    } catch (error) {
      if (!(error instanceof pg.DatabaseError) || isConnectionLoss(error)) {
        broken = error instanceof Error ? error : new Error(String(error));
      }
      throw error;
    } finally {
      client.release(broken);
    }
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
    const rows = await this.query<{ next_revision: string; last_position: string }>(
      {
        name: this.sql.appendName,
        text: this.sql.append,
        values: [streamId, expectedText, JSON.stringify(valid)],
      },
      { streamId, expected: expectedText },
    );
    const row = rows[0];
    if (row === undefined) throw new Error('append_events returned no row');
    this.hub.bump();
    this.notifier.poke();
    return { nextExpectedRevision: BigInt(row.next_revision), position: BigInt(row.last_position) };
  }

  async readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    validateStreamId(streamId);
    const { direction, fromRevision, maxCount } = validateReadStreamOptions(options);
    const forwards = direction === 'forwards';
    const rows = await this.query<EventRow>(
      {
        name: forwards ? this.sql.readStreamForwardsName : this.sql.readStreamBackwardsName,
        text: forwards ? this.sql.readStreamForwards : this.sql.readStreamBackwards,
        values: [
          streamId,
          fromRevision?.toString() ?? (forwards ? '0' : MAX_BIGINT),
          maxCount === undefined ? null : maxCount,
        ],
      },
      { streamId },
    );
    if (rows.length === 0) {
      const exists = await this.query<{ one: number }>({ text: this.sql.streamExists, values: [streamId] });
      if (exists.length === 0) throw new StreamNotFoundError(streamId);
    }
    return rows.map(toRecorded);
  }

  async readAll(options?: ReadAllOptions): Promise<RecordedEvent[]> {
    this.assertOpen();
    const { direction, after, maxCount } = validateReadAllOptions(options);
    const forwards = direction === 'forwards';
    const rows = await this.query<EventRow>({
      name: forwards ? this.sql.readAllForwardsName : this.sql.readAllBackwardsName,
      text: forwards ? this.sql.readAllForwards : this.sql.readAllBackwards,
      values: [after?.toString() ?? (forwards ? '0' : MAX_BIGINT), maxCount === undefined ? null : maxCount],
    });
    return rows.map(toRecorded);
  }

  async headPosition(): Promise<bigint> {
    const rows = await this.query<{ position: string | null }>({
      name: this.sql.headName,
      text: this.sql.head,
    });
    return BigInt(rows[0]?.position ?? '0');
  }

  subscribeToAll(options?: SubscribeToAllOptions): Subscription {
    this.assertOpen();
    const after = validateAfter(options?.after);
    const filter = validateFilter(options?.filter);
    const subscription = new PollingSubscription({
      after,
      fetch: (cursor) => this.readBatch(cursor, filter),
      wakeup: { generation: () => this.hub.generation, onNotify: (wake) => this.hub.onNotify(wake) },
      ready: () => this.hub.start(),
      signal: options?.signal,
      safetyPollMs: this.settings.safetyPollMs,
      heldBackPollMs: this.settings.heldBackPollMs,
      unavailableRetryMs: this.settings.unavailableRetryMs,
      onClose: (s) => this.subscriptions.delete(s),
    });
    this.subscriptions.add(subscription);
    return subscription;
  }

  /** One subscription round trip: the fence, the head, and up to a batch of matching events. */
  private async readBatch(cursor: bigint, filter: ValidFilter): Promise<Batch> {
    const limit = this.settings.subscriptionBatchSize;
    const rows = await this.query<EventRow & { fence: string; head: string | null }>(
      filter === null
        ? { name: this.sql.batchName, text: this.sql.batch, values: [cursor.toString(), limit] }
        : {
            name: this.sql.batchFilteredName,
            text: this.sql.batchFiltered,
            values: [
              cursor.toString(),
              limit,
              filter.streamPrefixes.length === 0 ? null : filter.streamPrefixes.map(prefixPattern),
              filter.eventTypes.length === 0 ? null : filter.eventTypes,
            ],
          },
    );
    const first = rows[0];
    if (first === undefined) throw new Error('subscription batch query returned no row');
    const fence = BigInt(first.fence);
    const head = first.head === null ? null : BigInt(first.head);
    const events = first.position === null ? [] : rows.map(toRecorded);
    return {
      events,
      // A short batch means everything below the fence has been seen, and nothing can be
      // committed below the fence later: skip the cursor forward (matters with filters).
      scannedUpTo: events.length < limit ? fence - 1n : (events[events.length - 1]?.position ?? cursor),
      heldBack: head !== null && head >= fence,
    };
  }

  async getStreamMetadata(streamId: string): Promise<StreamMetadata | null> {
    validateStreamId(streamId);
    const rows = await this.query<{ metadata: StreamMetadata }>(
      { text: this.sql.getMetadata, values: [streamId] },
      { streamId },
    );
    return rows[0]?.metadata ?? null;
  }

  async setStreamMetadata(streamId: string, metadata: StreamMetadata): Promise<void> {
    validateStreamId(streamId);
    const valid = validateStreamMetadata(metadata, streamId);
    await this.query({ text: this.sql.setMetadata, values: [streamId, JSON.stringify(valid)] }, { streamId });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.hub.close();
    await this.notifier.close();
    await this.pool.end();
  }
}

const buildSql = (s: string, schema: string) => {
  // Prepared-statement names are per connection; include the schema so two stores in one process
  // (different schemas, one server) never share a name for different SQL.
  const n = (what: string) => `bpane_es_${schema}_${what}`;
  const fence = `${s}.read_fence()`;
  const batchTail = (filters: string) => `
    WITH f AS MATERIALIZED (
      SELECT ${fence} AS fence,
             (SELECT position FROM ${s}.events ORDER BY position DESC LIMIT 1) AS head
    )
    SELECT f.fence::text AS fence, f.head::text AS head, e.*
      FROM f LEFT JOIN LATERAL (
        SELECT ${COLUMNS} FROM ${s}.events
         WHERE position > $1::bigint AND position < f.fence ${filters}
         ORDER BY position LIMIT $2
      ) e ON true`;
  return {
    appendName: n('append'),
    append: `SELECT next_revision::text, last_position::text FROM ${s}.append_events($1, $2, $3::jsonb)`,
    readStreamForwardsName: n('read_stream_f'),
    readStreamForwards: `SELECT ${COLUMNS} FROM ${s}.events WHERE stream_id = $1 AND revision >= $2::bigint
      ORDER BY revision LIMIT $3`,
    readStreamBackwardsName: n('read_stream_b'),
    readStreamBackwards: `SELECT ${COLUMNS} FROM ${s}.events WHERE stream_id = $1 AND revision <= $2::bigint
      ORDER BY revision DESC LIMIT $3`,
    streamExists: `SELECT 1 AS one FROM ${s}.events WHERE stream_id = $1 LIMIT 1`,
    readAllForwardsName: n('read_all_f'),
    readAllForwards: `SELECT ${COLUMNS} FROM ${s}.events WHERE position > $1::bigint AND position < ${fence}
      ORDER BY position LIMIT $2`,
    readAllBackwardsName: n('read_all_b'),
    readAllBackwards: `SELECT ${COLUMNS} FROM ${s}.events WHERE position < least($1::bigint, ${fence})
      ORDER BY position DESC LIMIT $2`,
    headName: n('head'),
    head: `SELECT position::text AS position FROM ${s}.events WHERE position < ${fence}
      ORDER BY position DESC LIMIT 1`,
    batchName: n('batch'),
    batch: batchTail(''),
    batchFilteredName: n('batch_filtered'),
    batchFiltered: batchTail(`AND ($3::text[] IS NULL OR stream_id LIKE ANY ($3::text[]))
           AND ($4::text[] IS NULL OR type = ANY ($4::text[]))`),
    getMetadata: `SELECT metadata FROM ${s}.stream_metadata WHERE stream_id = $1`,
    setMetadata: `INSERT INTO ${s}.stream_metadata (stream_id, metadata) VALUES ($1, $2::jsonb)
      ON CONFLICT (stream_id) DO UPDATE SET metadata = excluded.metadata, updated_at = now()`,
  };
};

const stripUndefined = <T extends object>(value: T): Partial<T> =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;

/** Creates the PostgreSQL event store (connects and migrates). */
export const createPostgresEventStore = (options: PostgresEventStoreOptions): Promise<PostgresEventStore> =>
  PostgresEventStore.create(options);
