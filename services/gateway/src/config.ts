import { field, loadConfig, type ConfigOf } from '@bpane/config';

/** Every setting of the gateway, read once at start-up. `docs/gateway.md` is generated from this. */
export const gatewayConfigSpec = {
  host: field.string('BPANE_GATEWAY_HOST', 'Address the HTTP server binds to (loopback by default).', {
    default: '127.0.0.1',
  }),
  port: field.int('BPANE_GATEWAY_PORT', 'HTTP port.', { default: 8080, min: 0, max: 65535 }),
  publicUrl: field.url('BPANE_PUBLIC_URL', 'URL clients use to reach the gateway (links, tickets).', {
    default: 'http://localhost:8080',
  }),
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
  eventStore: field.enum('BPANE_EVENT_STORE', 'Event store adapter.', ['postgres', 'eventstoredb'] as const, {
    default: 'postgres',
  }),
  eventStoreUrl: field.string(
    'BPANE_EVENTSTORE_URL',
    'EventStoreDB connection string (eventstoredb adapter).',
  ),
  natsUrl: field.url('BPANE_NATS_URL', 'NATS with JetStream.', { default: 'nats://127.0.0.1:4222' }),
  redisUrl: field.url('BPANE_REDIS_URL', 'Redis (BullMQ jobs).', { default: 'redis://127.0.0.1:6379' }),
  oidcIssuer: field.url('BPANE_OIDC_ISSUER', 'OpenID issuer whose tokens the API accepts.', {
    default: 'http://127.0.0.1:8090',
  }),
  oidcJwksUri: field.url(
    'BPANE_OIDC_JWKS_URI',
    "Where to fetch the issuer's signing keys when that differs from discovery (e.g. inside compose).",
  ),
  oidcAudience: field.string('BPANE_OIDC_AUDIENCE', 'Required `aud` of access tokens.', {
    default: 'bpane-api',
  }),
  readYourWritesTimeoutMs: field.int(
    'BPANE_READ_YOUR_WRITES_TIMEOUT_MS',
    'How long a write waits for the read models to include it before answering.',
    { default: 5000, min: 0, max: 60000 },
  ),
  bodyLimitBytes: field.int('BPANE_GATEWAY_BODY_LIMIT_BYTES', 'Largest accepted JSON request body.', {
    default: 1_048_576,
    min: 1024,
    max: 64 * 1024 * 1024,
  }),
  secretKey: field.string(
    'BPANE_SECRET_KEY',
    'Data key (base64 of 32 bytes) sealing stored secrets such as webhook signing secrets (AES-256-GCM).',
    { sensitive: true },
  ),
  secretKeyFile: field.string(
    'BPANE_SECRET_KEY_FILE',
    'Key file used when BPANE_SECRET_KEY is unset; generated on first use with mode 0600.',
    { default: '.bpane/data/secret.key' },
  ),
  webhookAllowPrivateTargets: field.bool(
    'BPANE_WEBHOOK_ALLOW_PRIVATE_TARGETS',
    'Allow webhook targets on loopback, private and link-local addresses (cloud metadata stays refused).',
    { default: false },
  ),
  adminEventsTicketTtlSeconds: field.int(
    'BPANE_ADMIN_EVENTS_TICKET_TTL_SECONDS',
    'Lifetime of a single-use admin events WebSocket ticket.',
    { default: 30, min: 1, max: 60 },
  ),
  liveTicketTtlSeconds: field.int(
    'BPANE_LIVE_TICKET_TTL_SECONDS',
    'Lifetime of a single-use, role-bound live viewer ticket.',
    { default: 30, min: 1, max: 60 },
  ),
  liveAutomationTokenTtlSeconds: field.int(
    'BPANE_LIVE_AUTOMATION_TOKEN_TTL_SECONDS',
    'Lifetime of an automation (CDP) access token; open connections outlive it.',
    { default: 60, min: 5, max: 900 },
  ),
  liveViewerMaxBufferedBytes: field.int(
    'BPANE_LIVE_VIEWER_MAX_BUFFERED_BYTES',
    'Unsent bytes after which a live viewer is dropped to a resync of its own (resumes at a quarter).',
    { default: 4 * 1024 * 1024, min: 65536, max: 256 * 1024 * 1024 },
  ),
  runtimeBackend: field.enum(
    'BPANE_RUNTIME_BACKEND',
    'Runtime backend that runs session browsers: `local` (a host agent per session on this machine) or `none` (sessions wait for an external runtime).',
    ['local', 'none'] as const,
    { default: 'local' },
  ),
  maxActiveRuntimes: field.int(
    'BPANE_MAX_ACTIVE_RUNTIMES',
    'Runtimes that may run (or start) at once; admitted sessions beyond it wait, queued in order. 0 = unlimited.',
    { default: 4, min: 0, max: 10000 },
  ),
  maxStartingRuntimes: field.int(
    'BPANE_MAX_STARTING_RUNTIMES',
    'Runtimes that may be starting at once. 0 = unlimited.',
    { default: 2, min: 0, max: 10000 },
  ),
  runtimeDataRoot: field.string(
    'BPANE_RUNTIME_DATA_ROOT',
    'Local backend files: `runtimes/` (records, logs) and `sessions/<session id>/` (profile, uploads, downloads).',
    { default: '.bpane/data' },
  ),
  runtimeHostAgentCommand: field.string(
    'BPANE_RUNTIME_HOST_AGENT_COMMAND',
    'Host agent command line (split on spaces); empty runs `dist/services/host-agent/main.mjs` when built, else the sources through tsx.',
  ),
  runtimeStartTimeoutMs: field.int(
    'BPANE_RUNTIME_START_TIMEOUT_MS',
    'How long a runtime may take to become ready before the session fails.',
    { default: 60000, min: 1000, max: 600000 },
  ),
  runtimeAudio: field.bool('BPANE_RUNTIME_AUDIO', 'Start audio (PulseAudio + Opus) in local runtimes.', {
    default: true,
  }),
  logLevel: field.enum('BPANE_LOG_LEVEL', 'Log level.', ['error', 'warn', 'info', 'debug'] as const, {
    default: 'info',
  }),
} as const;

export type GatewayConfig = ConfigOf<typeof gatewayConfigSpec>;

export const loadGatewayConfig = (
  env: Readonly<Record<string, string | undefined>> = process.env,
): GatewayConfig => loadConfig(gatewayConfigSpec, env);

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');
