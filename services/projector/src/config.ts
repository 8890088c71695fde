import { loadConfig, type ConfigOf, type ConfigSpec } from '@bpane/config';
import { eventStoreConfigFromEnv, type EventStoreConfig } from '@bpane/event-store';
import { DEFAULT_READ_MODEL_SCHEMA, projectorDefaults } from '@bpane/read-models';

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/bpane';

/** Everything the projector reads from the environment (docs/projections.md renders this table). */
export const projectorConfigSpec = {
  pgUrl: {
    kind: 'url',
    env: 'BPANE_PG_URL',
    description: 'PostgreSQL holding the event store',
    default: DEFAULT_PG_URL,
    protocols: ['postgres', 'postgresql'],
  },
  readModelPgUrl: {
    kind: 'url',
    env: 'BPANE_READ_MODEL_PG_URL',
    description: 'PostgreSQL holding the read models (defaults to `BPANE_PG_URL`)',
    protocols: ['postgres', 'postgresql'],
  },
  readModelSchema: {
    kind: 'string',
    env: 'BPANE_READ_MODEL_SCHEMA',
    description: 'schema of the read-model tables and the `checkpoints` table',
    default: DEFAULT_READ_MODEL_SCHEMA,
  },
  projections: {
    kind: 'list',
    env: 'BPANE_PROJECTOR_PROJECTIONS',
    description: 'comma-separated projections to run (empty: all)',
    default: [],
  },
  batchSize: {
    kind: 'int',
    env: 'BPANE_PROJECTOR_BATCH_SIZE',
    description: 'most events applied in one transaction',
    default: projectorDefaults.batchSize,
    min: 1,
    max: 10_000,
  },
  lingerMs: {
    kind: 'int',
    env: 'BPANE_PROJECTOR_LINGER_MS',
    description: 'how long a batch waits for more events before it commits',
    default: projectorDefaults.lingerMs,
    min: 0,
    max: 10_000,
  },
  logIntervalMs: {
    kind: 'int',
    env: 'BPANE_PROJECTOR_LOG_INTERVAL_MS',
    description: 'how often progress (position, lag, events/s) is logged',
    default: 10_000,
    min: 100,
  },
} as const satisfies ConfigSpec;

export type ProjectorConfig = Omit<ConfigOf<typeof projectorConfigSpec>, 'readModelPgUrl'> &
  Readonly<{
    readModelPgUrl: string;
    /** Which event store to follow (`BPANE_EVENT_STORE`, `BPANE_EVENT_STORE_PG_SCHEMA`, …). */
    eventStore: EventStoreConfig;
  }>;

export const PROJECTOR_CONFIG = Symbol('PROJECTOR_CONFIG');

/** Reads and validates the whole configuration once; throws a typed error listing the problems. */
export const loadProjectorConfig = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): ProjectorConfig => {
  const base = loadConfig(projectorConfigSpec, env);
  return Object.freeze({
    ...base,
    readModelPgUrl: base.readModelPgUrl ?? base.pgUrl,
    eventStore: eventStoreConfigFromEnv(env),
  });
};
