import { EventStoreConfigError } from './errors';

/**
 * Which event store a service uses, and how to reach it. One typed, validated object; services
 * build it once from their configuration (`eventStoreConfigFromEnv` reads the documented
 * environment variables) and pass it to `createEventStore`. Defaults here equal docs/event-store.md.
 */
export type PostgresEventStoreConfig = Readonly<{
  kind: 'postgres';
  /** BPANE_PG_URL */
  connectionString: string;
  /** BPANE_EVENT_STORE_PG_SCHEMA, default `event_store` */
  schema?: string;
  /** BPANE_EVENT_STORE_PG_POOL_SIZE, default 10 */
  poolSize?: number;
}>;

export type EventStoreDbConfig = Readonly<{
  kind: 'eventstoredb';
  /** BPANE_EVENTSTORE_URL, e.g. `esdb://127.0.0.1:2113?tls=false` or `kurrentdb://…` */
  connectionString: string;
  /** Give up connecting after this long (StoreUnavailableError). Default 5000. */
  connectTimeoutMs?: number;
}>;

export type EventStoreConfig = PostgresEventStoreConfig | EventStoreDbConfig;

export const eventStoreEnvDefaults = {
  BPANE_EVENT_STORE: 'postgres',
  BPANE_PG_URL: 'postgres://postgres@127.0.0.1:5432/bpane',
  BPANE_EVENT_STORE_PG_SCHEMA: 'event_store',
  BPANE_EVENT_STORE_PG_POOL_SIZE: '10',
} as const;

/**
 * Reads the event-store settings from an environment record (pass `process.env` from the service's
 * configuration module — the only place that reads it).
 *
 * | variable | meaning | default |
 * | --- | --- | --- |
 * | BPANE_EVENT_STORE | `postgres` or `eventstoredb` | `postgres` |
 * | BPANE_PG_URL | PostgreSQL URL (postgres store) | `postgres://postgres@127.0.0.1:5432/bpane` |
 * | BPANE_EVENT_STORE_PG_SCHEMA | schema of the store's tables | `event_store` |
 * | BPANE_EVENT_STORE_PG_POOL_SIZE | connections in the pool | `10` |
 * | BPANE_EVENTSTORE_URL | EventStoreDB/KurrentDB URL (required for `eventstoredb`) | — |
 */
export const eventStoreConfigFromEnv = (
  env: Readonly<Record<string, string | undefined>>,
): EventStoreConfig => {
  const get = (name: keyof typeof eventStoreEnvDefaults): string => {
    const value = env[name];
    return value === undefined || value === '' ? eventStoreEnvDefaults[name] : value;
  };
  const kind = get('BPANE_EVENT_STORE');
  switch (kind) {
    case 'postgres': {
      const poolSize = Number(get('BPANE_EVENT_STORE_PG_POOL_SIZE'));
      if (!Number.isSafeInteger(poolSize) || poolSize < 1) {
        throw new EventStoreConfigError('BPANE_EVENT_STORE_PG_POOL_SIZE must be a positive integer');
      }
      const schema = get('BPANE_EVENT_STORE_PG_SCHEMA');
      if (!/^[a-z_][a-z0-9_]{0,39}$/.test(schema)) {
        throw new EventStoreConfigError(
          'BPANE_EVENT_STORE_PG_SCHEMA must be a lower-case SQL identifier (≤ 40)',
        );
      }
      return { kind, connectionString: get('BPANE_PG_URL'), schema, poolSize };
    }
    case 'eventstoredb': {
      const url = env['BPANE_EVENTSTORE_URL'];
      if (url === undefined || url === '') {
        throw new EventStoreConfigError(
          'BPANE_EVENTSTORE_URL is required when BPANE_EVENT_STORE=eventstoredb',
        );
      }
      return { kind, connectionString: url };
    }
    default:
      throw new EventStoreConfigError(
        `BPANE_EVENT_STORE must be "postgres" or "eventstoredb", not "${kind}"`,
      );
  }
};
