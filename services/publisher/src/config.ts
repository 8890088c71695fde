import { type ConfigOf, type ConfigSpec, loadConfig } from '@bpane/config';
import { type EventStoreConfig, eventStoreConfigFromEnv } from '@bpane/event-store';
import { DEFAULT_DUPLICATE_WINDOW_MS, DEFAULT_EVENTS_STREAM, DEFAULT_SUBJECT_ROOT } from '@bpane/contracts';

/** Everything the publisher reads from the environment (docs/messaging.md renders this table). */
export const publisherConfigSpec = {
  pgUrl: {
    kind: 'url',
    env: 'BPANE_PG_URL',
    description: 'PostgreSQL holding the event store and the publisher checkpoint',
    default: 'postgres://postgres@127.0.0.1:5432/bpane',
    protocols: ['postgres', 'postgresql'],
  },
  natsUrl: {
    kind: 'url',
    env: 'BPANE_NATS_URL',
    description: 'NATS server(s) with JetStream',
    default: 'nats://127.0.0.1:4222',
    protocols: ['nats', 'tls'],
  },
  stream: {
    kind: 'string',
    env: 'BPANE_EVENTS_STREAM',
    description: 'JetStream stream that receives every event',
    default: DEFAULT_EVENTS_STREAM,
  },
  subjectRoot: {
    kind: 'string',
    env: 'BPANE_SUBJECT_ROOT',
    description: 'first subject token (`<root>.<context>.<EventType>`)',
    default: DEFAULT_SUBJECT_ROOT,
  },
  duplicateWindowMs: {
    kind: 'int',
    env: 'BPANE_EVENTS_DUPLICATE_WINDOW_MS',
    description: 'JetStream de-duplication window for `Nats-Msg-Id`',
    default: DEFAULT_DUPLICATE_WINDOW_MS,
    min: 1_000,
  },
  name: {
    kind: 'string',
    env: 'BPANE_PUBLISHER_NAME',
    description: 'checkpoint row and leader-lock name (one active publisher per name)',
    default: 'default',
  },
  checkpointSchema: {
    kind: 'string',
    env: 'BPANE_PUBLISHER_SCHEMA',
    description: 'schema of the `checkpoints` table',
    default: 'publisher',
  },
  maxInFlight: {
    kind: 'int',
    env: 'BPANE_PUBLISHER_MAX_IN_FLIGHT',
    description: 'publishes awaiting their JetStream ack at once',
    default: 256,
    min: 1,
    max: 65_536,
  },
  checkpointIntervalMs: {
    kind: 'int',
    env: 'BPANE_PUBLISHER_CHECKPOINT_INTERVAL_MS',
    description: 'how often the checkpoint is written',
    default: 200,
    min: 10,
  },
  publishTimeoutMs: {
    kind: 'int',
    env: 'BPANE_PUBLISHER_PUBLISH_TIMEOUT_MS',
    description: 'how long one publish waits for its ack',
    default: 5_000,
    min: 100,
  },
} as const satisfies ConfigSpec;

export type PublisherConfig = ConfigOf<typeof publisherConfigSpec> &
  Readonly<{
    /** Which event store to follow (`BPANE_EVENT_STORE`, `BPANE_EVENT_STORE_PG_SCHEMA`, …; docs/event-store.md). */
    eventStore: EventStoreConfig;
  }>;

/** Reads and validates the whole configuration once; throws a typed error listing the problems. */
export const loadPublisherConfig = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): PublisherConfig => {
  const config: PublisherConfig = {
    ...loadConfig(publisherConfigSpec, env),
    eventStore: eventStoreConfigFromEnv(env),
  };
  return Object.freeze(config);
};
