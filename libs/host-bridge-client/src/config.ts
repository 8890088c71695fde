import { bridgeError } from './errors';

/** Runtime-side settings, read from `BPANE_HOST_BROWSER_BRIDGE_*`. */
export type HostBridgeClientConfig = Readonly<{
  url: string;
  token: string;
  /** Profile the runtime expects the bridge to drive; checked against the bridge's own. */
  profile: string;
  /** `BPANE_HOST_BROWSER_BRIDGE_DAILY_CHROME=1`: accept a bridge that drives the daily Chrome profile. */
  allowDailyChrome: boolean;
  /** Upper bound for reaching the bridge and attaching to the browser. */
  connectTimeoutMs: number;
}>;

export const DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
export const DEFAULT_BRIDGE_PROFILE = 'default';

type Env = Readonly<Record<string, string | undefined>>;

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value.trim();

/**
 * `undefined` when the bridge is not configured (no URL): the runtime launches its isolated
 * browser as before. A URL without a token, or a malformed URL, is a configuration error.
 */
export const readHostBridgeClientConfig = (
  env: Env,
  overrides?: Readonly<{ profile?: string }>,
): HostBridgeClientConfig | undefined => {
  const url = nonEmpty(env['BPANE_HOST_BROWSER_BRIDGE_URL']);
  if (url === undefined) return undefined;
  const profile =
    overrides?.profile ?? nonEmpty(env['BPANE_HOST_BROWSER_BRIDGE_PROFILE']) ?? DEFAULT_BRIDGE_PROFILE;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw bridgeError('not_configured', url, profile, 'BPANE_HOST_BROWSER_BRIDGE_URL is not a URL', cause);
  }
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:')
    throw bridgeError('not_configured', url, profile, 'BPANE_HOST_BROWSER_BRIDGE_URL must be a ws:// URL');
  const token = nonEmpty(env['BPANE_HOST_BROWSER_BRIDGE_TOKEN']);
  if (token === undefined)
    throw bridgeError('not_configured', url, profile, 'BPANE_HOST_BROWSER_BRIDGE_TOKEN is not set');
  const timeoutRaw = nonEmpty(env['BPANE_HOST_BROWSER_BRIDGE_CONNECT_TIMEOUT_MS']);
  const timeout = timeoutRaw === undefined ? DEFAULT_CONNECT_TIMEOUT_MS : Number(timeoutRaw);
  if (!Number.isInteger(timeout) || timeout <= 0)
    throw bridgeError(
      'not_configured',
      url,
      profile,
      'BPANE_HOST_BROWSER_BRIDGE_CONNECT_TIMEOUT_MS must be a positive integer',
    );
  return {
    url,
    token,
    profile,
    allowDailyChrome: env['BPANE_HOST_BROWSER_BRIDGE_DAILY_CHROME'] === '1',
    connectTimeoutMs: timeout,
  };
};
