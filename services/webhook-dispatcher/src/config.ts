import { ConfigError, field, loadConfig, type ConfigOf } from '@bpane/config';
import { DEFAULT_EVENTS_STREAM, DEFAULT_SUBJECT_ROOT } from '@bpane/contracts';
import { type EventStoreConfig, eventStoreConfigFromEnv } from '@bpane/event-store';

/** Every setting of the webhook dispatcher (docs/webhooks.md renders this table). */
export const dispatcherConfigSpec = {
  pgUrl: field.url('BPANE_PG_URL', 'PostgreSQL: event store (embedded default) and read models.', {
    default: 'postgres://postgres@127.0.0.1:5432/bpane',
    protocols: ['postgres', 'postgresql'],
  }),
  readModelPgUrl: field.url(
    'BPANE_READ_MODEL_PG_URL',
    'PostgreSQL for read models; defaults to BPANE_PG_URL.',
    {
      protocols: ['postgres', 'postgresql'],
    },
  ),
  natsUrl: field.url('BPANE_NATS_URL', 'NATS with JetStream.', {
    default: 'nats://127.0.0.1:4222',
    protocols: ['nats', 'tls'],
  }),
  stream: field.string('BPANE_EVENTS_STREAM', 'JetStream stream carrying every event.', {
    default: DEFAULT_EVENTS_STREAM,
  }),
  subjectRoot: field.string('BPANE_SUBJECT_ROOT', 'First subject token on the wire.', {
    default: DEFAULT_SUBJECT_ROOT,
  }),
  durable: field.string(
    'BPANE_WEBHOOK_DURABLE',
    'Durable JetStream consumer shared by all dispatcher instances.',
    {
      default: 'webhook-dispatcher',
    },
  ),
  redisUrl: field.url('BPANE_REDIS_URL', 'Redis (BullMQ delivery queues).', {
    default: 'redis://127.0.0.1:6379',
    protocols: ['redis', 'rediss'],
  }),
  queuePrefix: field.string('BPANE_WEBHOOK_QUEUE_PREFIX', 'Redis key prefix of the delivery queues.', {
    default: 'bpane',
  }),
  secretKey: field.string(
    'BPANE_SECRET_KEY',
    'Data key (base64 of 32 bytes) that opens the sealed signing secrets.',
    {
      sensitive: true,
    },
  ),
  secretKeyFile: field.string(
    'BPANE_SECRET_KEY_FILE',
    'Key file used when BPANE_SECRET_KEY is unset (shared with the gateway).',
    {
      default: '.bpane/data/secret.key',
    },
  ),
  allowPrivateTargets: field.bool(
    'BPANE_WEBHOOK_ALLOW_PRIVATE_TARGETS',
    'Allow deliveries to loopback, private and link-local addresses (cloud metadata stays refused).',
    { default: false },
  ),
  retryScale: field.string(
    'BPANE_WEBHOOK_RETRY_SCALE',
    'Factor applied to every step of the retry schedule (1 = 0 s, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h).',
    { default: '1' },
  ),
  timeoutMs: field.int('BPANE_WEBHOOK_TIMEOUT_MS', 'How long one delivery attempt may take.', {
    default: 15_000,
    min: 100,
    max: 120_000,
  }),
  concurrencyPerTarget: field.int(
    'BPANE_WEBHOOK_CONCURRENCY_PER_TARGET',
    'Deliveries in flight at once to one target (scheme, host and port).',
    { default: 4, min: 1, max: 256 },
  ),
  discoveryIntervalMs: field.int(
    'BPANE_WEBHOOK_DISCOVERY_INTERVAL_MS',
    'How often an instance looks for target queues other instances created.',
    { default: 5_000, min: 50 },
  ),
} as const;

export type DispatcherConfig = Omit<ConfigOf<typeof dispatcherConfigSpec>, 'retryScale'> &
  Readonly<{ retryScale: number; eventStore: EventStoreConfig }>;

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

export const loadDispatcherConfig = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): DispatcherConfig => {
  const base = loadConfig(dispatcherConfigSpec, env);
  const problems: string[] = [];
  const scale = Number(base.retryScale);
  if (!/^\d+(\.\d+)?(e-?\d+)?$/i.test(base.retryScale) || !(scale > 0) || scale > 1)
    problems.push(
      `BPANE_WEBHOOK_RETRY_SCALE must be a number in (0, 1] (got ${JSON.stringify(base.retryScale)})`,
    );
  if (!NAME.test(base.queuePrefix)) problems.push(`BPANE_WEBHOOK_QUEUE_PREFIX must match ${NAME.source}`);
  if (!NAME.test(base.durable)) problems.push(`BPANE_WEBHOOK_DURABLE must match ${NAME.source}`);
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    ...base,
    retryScale: scale,
    eventStore: eventStoreConfigFromEnv({ BPANE_PG_URL: base.pgUrl, ...env }),
  });
};
