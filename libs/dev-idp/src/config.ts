import { isAbsolute, resolve } from 'node:path';
import { ConfigError, field, loadConfig } from '@bpane/config';
import { DEFAULT_DEV_USERS, parseExtraUsers, validateUsers, type DevIdpUser } from './users';

/**
 * Environment of the development OpenID provider (`BPANE_DEV_IDP_*`). The documentation table in
 * docs/identity.md is rendered from this spec (`renderConfigTable(devIdpEnvSpec)`), and a unit test
 * fails when the two drift apart.
 */
const DEV_SECRETS = {
  'bpane-mcp-bridge': 'bpane-mcp-bridge-dev-secret',
  'bpane-workflow-worker': 'bpane-workflow-worker-dev-secret',
  'bpane-recording-worker': 'bpane-recording-worker-dev-secret',
} as const;

/** The defaults (equal to the documented ones: the env spec below is built from them). */
export const DEV_IDP_DEFAULTS = {
  host: '127.0.0.1',
  port: 8090,
  audience: 'bpane-api',
  keysPath: '.bpane/dev-idp/keys.json',
  accessTokenAlg: 'ES256',
  accessTokenTtlSeconds: 900,
  idTokenTtlSeconds: 900,
  refreshTokenTtlSeconds: 1_209_600,
  deviceCodeTtlSeconds: 600,
  adminRedirectUris: ['http://localhost:8080/admin/', 'http://127.0.0.1:8080/admin/'],
} as const;

const D = DEV_IDP_DEFAULTS;

export const devIdpEnvSpec = {
  issuer: field.url(
    'BPANE_DEV_IDP_ISSUER',
    'Issuer URL put in every token (`iss`) and in discovery. Default: `http://127.0.0.1:<port>`',
    { protocols: ['http', 'https'] },
  ),
  host: field.string('BPANE_DEV_IDP_HOST', 'Address the HTTP listener binds to', { default: D.host }),
  port: field.int('BPANE_DEV_IDP_PORT', 'TCP port (0 picks a free one)', {
    default: D.port,
    min: 0,
    max: 65535,
  }),
  audience: field.string(
    'BPANE_DEV_IDP_AUDIENCE',
    'Audience (`aud`) of the access tokens for the BrowserPane API',
    {
      default: D.audience,
    },
  ),
  resourceIndicator: field.string(
    'BPANE_DEV_IDP_RESOURCE',
    'RFC 8707 resource indicator naming the API (absolute URI). Default: the audience if it is an absolute URI, else `urn:<audience>`',
  ),
  keysPath: field.string(
    'BPANE_DEV_IDP_KEYS_PATH',
    'File holding the private signing keys (ES256 + RS256) and cookie keys, created on first start with mode 0600; `memory` keeps keys in memory only',
    { default: D.keysPath },
  ),
  accessTokenAlg: field.enum(
    'BPANE_DEV_IDP_ACCESS_TOKEN_ALG',
    'JWS algorithm of access tokens',
    ['ES256', 'RS256'] as const,
    {
      default: D.accessTokenAlg,
    },
  ),
  accessTokenTtlSeconds: field.int(
    'BPANE_DEV_IDP_ACCESS_TOKEN_TTL',
    'Access token lifetime, seconds (users and services)',
    {
      default: D.accessTokenTtlSeconds,
      min: 30,
      max: 86_400,
    },
  ),
  idTokenTtlSeconds: field.int('BPANE_DEV_IDP_ID_TOKEN_TTL', 'ID token lifetime, seconds', {
    default: D.idTokenTtlSeconds,
    min: 30,
    max: 86_400,
  }),
  refreshTokenTtlSeconds: field.int(
    'BPANE_DEV_IDP_REFRESH_TOKEN_TTL',
    'Refresh token (and login session) lifetime, seconds; refresh tokens rotate on use',
    { default: D.refreshTokenTtlSeconds, min: 60, max: 31_536_000 },
  ),
  deviceCodeTtlSeconds: field.int(
    'BPANE_DEV_IDP_DEVICE_CODE_TTL',
    'Device authorization (user code) lifetime, seconds',
    {
      default: D.deviceCodeTtlSeconds,
      min: 30,
      max: 3_600,
    },
  ),
  adminRedirectUris: field.list(
    'BPANE_DEV_IDP_ADMIN_REDIRECT_URIS',
    'Redirect URIs of `bpane-admin` (comma separated). Loopback ones also match on any port',
    { default: D.adminRedirectUris },
  ),
  mcpBridgeSecret: field.string('BPANE_DEV_IDP_MCP_BRIDGE_SECRET', 'Client secret of `bpane-mcp-bridge`', {
    default: DEV_SECRETS['bpane-mcp-bridge'],
    sensitive: true,
    minLength: 16,
  }),
  workflowWorkerSecret: field.string(
    'BPANE_DEV_IDP_WORKFLOW_WORKER_SECRET',
    'Client secret of `bpane-workflow-worker`',
    {
      default: DEV_SECRETS['bpane-workflow-worker'],
      sensitive: true,
      minLength: 16,
    },
  ),
  recordingWorkerSecret: field.string(
    'BPANE_DEV_IDP_RECORDING_WORKER_SECRET',
    'Client secret of `bpane-recording-worker`',
    { default: DEV_SECRETS['bpane-recording-worker'], sensitive: true, minLength: 16 },
  ),
  extraUsers: field.string(
    'BPANE_DEV_IDP_EXTRA_USERS',
    'JSON array of additional users `[{"username","password","email"?,"name"?,"groups"?,"subject"?}]`, added to demo and demo2',
    { sensitive: true },
  ),
} as const;

export type DevIdpAccessTokenAlg = 'ES256' | 'RS256';

/** A confidential client that authenticates with client credentials (a service principal). */
export type DevIdpServiceClient = Readonly<{ clientId: string; clientSecret: string; name: string }>;

/**
 * The resolved configuration of the development OpenID provider. Every field has a default;
 * `resolveDevIdpConfig` fills them in and validates the result.
 */
export type DevIdpConfig = Readonly<{
  /** Issuer URL; `undefined` means `http://<host>:<bound port>` (so port 0 works). */
  issuer: string | undefined;
  host: string;
  port: number;
  audience: string;
  resourceIndicator: string;
  /** Absolute path of the key file, or `null` for in-memory keys (lost on restart). */
  keysPath: string | null;
  accessTokenAlg: DevIdpAccessTokenAlg;
  accessTokenTtlSeconds: number;
  idTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  deviceCodeTtlSeconds: number;
  adminRedirectUris: readonly string[];
  serviceClients: readonly DevIdpServiceClient[];
  users: readonly DevIdpUser[];
  /** Where operational messages go; never receives tokens, secrets or passwords. */
  logger: DevIdpLogger;
}>;

export type DevIdpLogger = Readonly<{
  info: (message: string) => void;
  warn: (message: string) => void;
  error: (message: string) => void;
}>;

export const consoleLogger: DevIdpLogger = {
  info: (m) => console.log(`[dev-idp] ${m}`),
  warn: (m) => console.warn(`[dev-idp] ${m}`),
  error: (m) => console.error(`[dev-idp] ${m}`),
};

export const silentLogger: DevIdpLogger = { info: () => {}, warn: () => {}, error: () => {} };

/** Overrides accepted by `startDevIdp` / `resolveDevIdpConfig` (tests use these, not the env). */
export type DevIdpOptions = Partial<Omit<DevIdpConfig, 'keysPath' | 'serviceClients'>> &
  Readonly<{
    /** A file path, or `null` / `'memory'` for in-memory keys. Relative paths resolve from the cwd. */
    keysPath?: string | null;
    /** Secrets by client id for the built-in service clients (missing ones keep their defaults). */
    serviceClientSecrets?: Readonly<Partial<Record<ServiceClientId, string>>>;
  }>;

export const SERVICE_CLIENT_IDS = [
  'bpane-mcp-bridge',
  'bpane-workflow-worker',
  'bpane-recording-worker',
] as const;
export type ServiceClientId = (typeof SERVICE_CLIENT_IDS)[number];

/** The public clients: the admin SPA and the `bpane` CLI. */
export const ADMIN_CLIENT_ID = 'bpane-admin';
export const CLI_CLIENT_ID = 'bpane-cli';

const SERVICE_CLIENT_NAMES: Record<ServiceClientId, string> = {
  'bpane-mcp-bridge': 'BrowserPane MCP bridge',
  'bpane-workflow-worker': 'BrowserPane workflow worker',
  'bpane-recording-worker': 'BrowserPane recording worker',
};

/** Default client secrets, for development only (also in infra/keycloak/bpane-realm.json). */
export const DEV_SERVICE_CLIENT_SECRETS: Readonly<Record<ServiceClientId, string>> = DEV_SECRETS;

const isAbsoluteUri = (value: string): boolean => {
  const u = URL.parse(value);
  return u !== null && /^[a-z][a-z0-9+.-]*:$/i.test(u.protocol) && !value.includes('#');
};

/** The resource indicator for an audience: the audience itself if it is an absolute URI. */
export const resourceIndicatorFor = (audience: string): string =>
  isAbsoluteUri(audience) ? audience : `urn:${audience}`;

const resolveKeysPath = (value: string | null | undefined, fallback: string): string | null => {
  const v = value === undefined ? fallback : value;
  if (v === null || v === 'memory') return null;
  return isAbsolute(v) ? v : resolve(v);
};

/** Fills in defaults and validates; throws `ConfigError` listing every problem. */
export const resolveDevIdpConfig = (options: DevIdpOptions = {}): DevIdpConfig => {
  const audience = options.audience ?? D.audience;
  const given = Object.entries(options.serviceClientSecrets ?? {}).filter(([, v]) => v !== undefined);
  const secrets: Record<string, string> = { ...DEV_SERVICE_CLIENT_SECRETS, ...Object.fromEntries(given) };
  const config: DevIdpConfig = {
    issuer: options.issuer,
    host: options.host ?? D.host,
    port: options.port ?? D.port,
    audience,
    resourceIndicator: options.resourceIndicator ?? resourceIndicatorFor(audience),
    keysPath: resolveKeysPath(options.keysPath, D.keysPath),
    accessTokenAlg: options.accessTokenAlg ?? D.accessTokenAlg,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? D.accessTokenTtlSeconds,
    idTokenTtlSeconds: options.idTokenTtlSeconds ?? D.idTokenTtlSeconds,
    refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? D.refreshTokenTtlSeconds,
    deviceCodeTtlSeconds: options.deviceCodeTtlSeconds ?? D.deviceCodeTtlSeconds,
    adminRedirectUris: options.adminRedirectUris ?? D.adminRedirectUris,
    serviceClients: SERVICE_CLIENT_IDS.map((clientId) => ({
      clientId,
      clientSecret: secrets[clientId] ?? DEV_SERVICE_CLIENT_SECRETS[clientId],
      name: SERVICE_CLIENT_NAMES[clientId],
    })),
    users: options.users ?? DEFAULT_DEV_USERS,
    logger: options.logger ?? consoleLogger,
  };
  validateDevIdpConfig(config);
  return Object.freeze(config);
};

const validateDevIdpConfig = (c: DevIdpConfig): void => {
  const problems: string[] = [];
  if (c.issuer !== undefined) {
    const u = URL.parse(c.issuer);
    if (u === null || !['http:', 'https:'].includes(u.protocol))
      problems.push('issuer must be an http(s) URL');
    else if (u.search !== '' || u.hash !== '') problems.push('issuer must not have a query or fragment');
  }
  if (!Number.isInteger(c.port) || c.port < 0 || c.port > 65_535) problems.push('port must be 0..65535');
  if (c.audience.trim() === '') problems.push('audience must not be empty');
  if (!isAbsoluteUri(c.resourceIndicator)) problems.push('resourceIndicator must be an absolute URI');
  for (const [name, v] of [
    ['accessTokenTtlSeconds', c.accessTokenTtlSeconds],
    ['idTokenTtlSeconds', c.idTokenTtlSeconds],
    ['refreshTokenTtlSeconds', c.refreshTokenTtlSeconds],
    ['deviceCodeTtlSeconds', c.deviceCodeTtlSeconds],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) problems.push(`${name} must be a positive integer`);
  }
  if (c.adminRedirectUris.length === 0) problems.push('adminRedirectUris must not be empty');
  for (const uri of c.adminRedirectUris) {
    const u = URL.parse(uri);
    if (u === null || !['http:', 'https:'].includes(u.protocol) || u.hash !== '')
      problems.push(`admin redirect URI ${JSON.stringify(uri)} must be an http(s) URL without fragment`);
  }
  for (const sc of c.serviceClients) {
    if (sc.clientSecret.length < 16)
      problems.push(`client secret of ${sc.clientId} must be at least 16 characters`);
  }
  problems.push(...validateUsers(c.users));
  if (problems.length > 0) throw new ConfigError(problems);
};

/**
 * Reads `BPANE_DEV_IDP_*` from the environment (the only place the dev issuer reads `process.env`)
 * and resolves the full configuration.
 */
export const loadDevIdpConfig = (
  env: Readonly<Record<string, string | undefined>> = process.env,
  overrides: Pick<DevIdpOptions, 'logger'> = {},
): DevIdpConfig => {
  const e = loadConfig(devIdpEnvSpec, env);
  let extra: DevIdpUser[] = [];
  if (e.extraUsers !== undefined) {
    const parsed = parseExtraUsers(e.extraUsers);
    if (typeof parsed === 'string') throw new ConfigError([`BPANE_DEV_IDP_EXTRA_USERS ${parsed}`]);
    extra = parsed;
  }
  return resolveDevIdpConfig({
    ...overrides,
    issuer: e.issuer,
    host: e.host,
    port: e.port,
    audience: e.audience,
    ...(e.resourceIndicator === undefined ? {} : { resourceIndicator: e.resourceIndicator }),
    keysPath: e.keysPath,
    accessTokenAlg: e.accessTokenAlg,
    accessTokenTtlSeconds: e.accessTokenTtlSeconds,
    idTokenTtlSeconds: e.idTokenTtlSeconds,
    refreshTokenTtlSeconds: e.refreshTokenTtlSeconds,
    deviceCodeTtlSeconds: e.deviceCodeTtlSeconds,
    adminRedirectUris: e.adminRedirectUris,
    serviceClientSecrets: {
      'bpane-mcp-bridge': e.mcpBridgeSecret,
      'bpane-workflow-worker': e.workflowWorkerSecret,
      'bpane-recording-worker': e.recordingWorkerSecret,
    },
    users: [...DEFAULT_DEV_USERS, ...extra],
  });
};

/** A log-safe summary of the configuration (no secrets, no passwords). */
export const describeDevIdpConfig = (c: DevIdpConfig, issuer: string): string =>
  [
    `issuer ${issuer}`,
    `audience ${c.audience} (resource ${c.resourceIndicator})`,
    `access tokens ${c.accessTokenAlg}, ${c.accessTokenTtlSeconds}s`,
    `keys ${c.keysPath ?? 'in memory'}`,
    `users ${c.users.map((u) => u.username).join(', ')}`,
  ].join('; ');
