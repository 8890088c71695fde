import { chmod, mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CliError } from './errors';
import { type CliIo } from './io';

/**
 * Settings and profiles. Precedence for every setting: command flag > environment variable >
 * selected profile > built-in default. Profiles live in one JSON file
 * (`~/.config/bpane/config.json`, or `$XDG_CONFIG_HOME/bpane/config.json`, or `BPANE_CONFIG` /
 * `--config`), written with mode 0600 because a profile may hold an access token.
 */
export type SettingKey =
  | 'apiUrl'
  | 'accessToken'
  | 'issuer'
  | 'pgUrl'
  | 'readModelPgUrl'
  | 'eventStore'
  | 'eventStoreUrl'
  | 'eventStoreSchema'
  | 'readModelSchema';

type SettingSpec = Readonly<{
  /** Global flag that sets it (camel-cased commander option name), if any. */
  flag?: string;
  env: readonly string[];
  default?: string;
  sensitive?: boolean;
  description: string;
}>;

export const SETTINGS: Readonly<Record<SettingKey, SettingSpec>> = {
  apiUrl: {
    flag: 'apiUrl',
    env: ['BPANE_API_URL', 'BPANE_BASE_URL'],
    default: 'http://localhost:8080',
    description: 'BrowserPane HTTP API (gateway) URL',
  },
  accessToken: { env: ['BPANE_ACCESS_TOKEN'], sensitive: true, description: 'bearer token for the HTTP API' },
  issuer: {
    env: ['BPANE_OIDC_ISSUER'],
    default: 'http://127.0.0.1:8090',
    description: 'OpenID provider that `bpane login` signs in with',
  },
  pgUrl: {
    flag: 'pgUrl',
    env: ['BPANE_PG_URL'],
    default: 'postgres://postgres@127.0.0.1:5432/bpane',
    description: 'PostgreSQL of the event store (and of the read models unless readModelPgUrl is set)',
  },
  readModelPgUrl: {
    env: ['BPANE_READ_MODEL_PG_URL'],
    description: 'PostgreSQL of the read models (default: pgUrl)',
  },
  eventStore: {
    env: ['BPANE_EVENT_STORE'],
    default: 'postgres',
    description: 'event store adapter: postgres or eventstoredb',
  },
  eventStoreUrl: {
    env: ['BPANE_EVENTSTORE_URL'],
    description: 'EventStoreDB connection string (eventstoredb adapter)',
  },
  eventStoreSchema: {
    env: ['BPANE_EVENT_STORE_PG_SCHEMA'],
    default: 'event_store',
    description: 'schema of the PostgreSQL event store',
  },
  readModelSchema: {
    env: ['BPANE_READ_MODEL_SCHEMA'],
    default: 'read_models',
    description: 'schema of the read models',
  },
};

export const SETTING_KEYS = Object.keys(SETTINGS) as readonly SettingKey[];

export type Profile = Readonly<Partial<Record<SettingKey, string>>>;
export type ConfigFile = Readonly<{ defaultProfile?: string; profiles: Readonly<Record<string, Profile>> }>;

export type SettingSource = 'flag' | 'env' | 'profile' | 'default' | 'unset';
export type ResolvedSetting = Readonly<{ value: string | undefined; source: SettingSource; from?: string }>;

export type ResolvedSettings = Readonly<{
  configPath: string;
  profile: string | null;
  values: Readonly<Record<SettingKey, ResolvedSetting>>;
  get: (key: SettingKey) => string | undefined;
}>;

export type GlobalFlags = Readonly<{ config?: string; profile?: string; pgUrl?: string; apiUrl?: string }>;

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export const configPathFor = (flags: GlobalFlags, io: Pick<CliIo, 'env' | 'homeDir'>): string => {
  if (flags.config !== undefined) return flags.config;
  const fromEnv = io.env['BPANE_CONFIG'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const xdg = io.env['XDG_CONFIG_HOME'];
  return join(xdg !== undefined && xdg !== '' ? xdg : join(io.homeDir, '.config'), 'bpane', 'config.json');
};

const configError = (path: string, problem: string): CliError =>
  new CliError('config', `${path}: ${problem}`, { details: { path } });

/** Checks the shape of a parsed config file; every problem is a `config` error naming the file. */
export const parseConfigFile = (path: string, text: string): ConfigFile => {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw configError(path, 'is not valid JSON');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw configError(path, 'must be a JSON object');
  const { defaultProfile, profiles = {}, ...rest } = raw as Record<string, unknown>;
  const unknownTop = Object.keys(rest);
  if (unknownTop.length > 0) throw configError(path, `unknown key(s): ${unknownTop.join(', ')}`);
  if (
    defaultProfile !== undefined &&
    (typeof defaultProfile !== 'string' || !PROFILE_NAME.test(defaultProfile))
  )
    throw configError(path, 'defaultProfile must be a profile name');
  if (typeof profiles !== 'object' || profiles === null || Array.isArray(profiles))
    throw configError(path, 'profiles must be an object');
  const out: Record<string, Profile> = {};
  for (const [name, profile] of Object.entries(profiles as Record<string, unknown>)) {
    if (!PROFILE_NAME.test(name)) throw configError(path, `invalid profile name ${JSON.stringify(name)}`);
    if (typeof profile !== 'object' || profile === null || Array.isArray(profile))
      throw configError(path, `profile ${name} must be an object`);
    for (const [k, v] of Object.entries(profile as Record<string, unknown>)) {
      if (!(SETTING_KEYS as readonly string[]).includes(k))
        throw configError(path, `profile ${name}: unknown setting ${k} (known: ${SETTING_KEYS.join(', ')})`);
      if (typeof v !== 'string') throw configError(path, `profile ${name}: ${k} must be a string`);
    }
    out[name] = profile;
  }
  return defaultProfile === undefined ? { profiles: out } : { defaultProfile: defaultProfile, profiles: out };
};

/** Reads the config file; a missing file is an empty configuration. */
export const readConfigFile = async (path: string): Promise<ConfigFile> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { profiles: {} };
    throw configError(path, `cannot be read (${(e as Error).message})`);
  }
  return parseConfigFile(path, text);
};

/** Writes the config file atomically with mode 0600 (its folder with 0700). */
export const writeConfigFile = async (path: string, config: ConfigFile): Promise<void> => {
  parseConfigFile(path, JSON.stringify(config));
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  await chmod(tmp, 0o600);
  await rename(tmp, path);
};

/** Whether group or others may read the file (a warning: it may hold a token). */
export const isConfigTooOpen = async (path: string): Promise<boolean> => {
  try {
    return ((await stat(path)).mode & 0o077) !== 0;
  } catch {
    return false;
  }
};

export const resolveSettings = async (
  flags: GlobalFlags,
  io: Pick<CliIo, 'env' | 'homeDir'>,
): Promise<ResolvedSettings> => {
  const configPath = configPathFor(flags, io);
  const file = await readConfigFile(configPath);
  const envProfile = io.env['BPANE_PROFILE'];
  const explicit = flags.profile ?? (envProfile !== undefined && envProfile !== '' ? envProfile : undefined);
  const profileName = explicit ?? file.defaultProfile ?? null;
  let profile: Profile = {};
  if (profileName !== null) {
    const found = file.profiles[profileName];
    if (found === undefined) {
      throw new CliError('config', `profile ${profileName} not found in ${configPath}`, {
        details: { profile: profileName, path: configPath, known: Object.keys(file.profiles) },
      });
    }
    profile = found;
  }
  const values = {} as Record<SettingKey, ResolvedSetting>;
  for (const key of SETTING_KEYS) {
    const spec = SETTINGS[key];
    const flagValue =
      spec.flag === undefined ? undefined : (flags as Record<string, string | undefined>)[spec.flag];
    const envName = spec.env.find((n) => io.env[n] !== undefined && io.env[n] !== '');
    if (flagValue !== undefined) values[key] = { value: flagValue, source: 'flag' };
    else if (envName !== undefined) values[key] = { value: io.env[envName], source: 'env', from: envName };
    else if (profile[key] !== undefined)
      values[key] = { value: profile[key], source: 'profile', from: profileName ?? '' };
    else if (spec.default !== undefined) values[key] = { value: spec.default, source: 'default' };
    else values[key] = { value: undefined, source: 'unset' };
  }
  return { configPath, profile: profileName, values, get: (key) => values[key].value };
};
