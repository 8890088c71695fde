import { chromium, type Browser, type BrowserContext } from 'patchright';
import { type HostBridgeClientConfig } from './config';
import { bridgeError, type HostBrowserBridgeError } from './errors';
import { postureRecord, type BrowserPostureRecord } from './interactions';
import {
  bearer,
  HOST_BRIDGE_CDP_PATH,
  HOST_BRIDGE_INFO_PATH,
  isHostBridgeInfo,
  type HostBridgeInfo,
} from './protocol';

/**
 * A browser borrowed from the host bridge. `context` is the bridge's persistent profile context.
 * When the bridge stops or restarts, `lost` resolves with a typed `host_browser_bridge_unavailable`
 * error (reason `disconnected`) and every `guard`ed operation rejects with it.
 */
export type HostBrowserLease = Readonly<{
  browser: Browser;
  context: BrowserContext;
  info: HostBridgeInfo;
  posture: BrowserPostureRecord;
  isConnected: () => boolean;
  lost: Promise<HostBrowserBridgeError>;
  /** Runs `fn`; a bridge disconnect during it becomes the typed error instead of a Playwright one. */
  guard: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Disconnects. The bridge closes the pages this connection opened; the profile browser stays up. */
  release: () => Promise<void>;
}>;

export type AcquireOptions = Readonly<{
  /** Receives the loud daily-Chrome warning (on every acquisition) and other operator notes. */
  warn?: (message: string) => void;
}>;

const httpBase = (wsUrl: string): string => {
  const u = new URL(wsUrl);
  u.protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  u.pathname = '/';
  u.search = '';
  return u.toString();
};

const cdpUrl = (wsUrl: string): string => {
  const u = new URL(wsUrl);
  u.pathname = HOST_BRIDGE_CDP_PATH;
  u.search = '';
  return u.toString();
};

export const DAILY_CHROME_WARNING =
  'WARNING: this run drives the operator’s DAILY Chrome profile through the host bridge ' +
  '(BPANE_HOST_BROWSER_BRIDGE_DAILY_CHROME=1). Every cookie and signed-in session of that profile ' +
  'is exposed to the run. Use a dedicated profile (~/.bpane/profiles/<name>/) unless you really need this.';

const fetchInfo = async (config: HostBridgeClientConfig, deadline: number): Promise<HostBridgeInfo> => {
  const { url, profile } = config;
  let response: Response;
  try {
    response = await fetch(new URL(HOST_BRIDGE_INFO_PATH, httpBase(url)), {
      headers: { authorization: bearer(config.token) },
      signal: AbortSignal.timeout(Math.max(1, deadline - Date.now())),
    });
  } catch (cause) {
    const timedOut = cause instanceof Error && cause.name === 'TimeoutError';
    throw bridgeError(
      'unreachable',
      url,
      profile,
      timedOut ? `no answer within ${config.connectTimeoutMs} ms` : 'connection failed',
      cause,
    );
  }
  if (response.status === 401)
    throw bridgeError('unauthorized', url, profile, 'the bridge answered 401 (token rejected)');
  if (response.status === 403 || response.status === 421)
    throw bridgeError('host_rejected', url, profile, `the bridge answered ${response.status} (Host header)`);
  if (!response.ok)
    throw bridgeError(
      'protocol',
      url,
      profile,
      `unexpected HTTP ${response.status} from ${HOST_BRIDGE_INFO_PATH}`,
    );
  const body: unknown = await response.json().catch(() => undefined);
  if (!isHostBridgeInfo(body))
    throw bridgeError('protocol', url, profile, 'the endpoint is not a BrowserPane host bridge');
  return body;
};

/** Attaches to the host bridge configured in `config`. Bounded by `config.connectTimeoutMs`. */
export const acquireHostBrowser = async (
  config: HostBridgeClientConfig,
  options: AcquireOptions = {},
): Promise<HostBrowserLease> => {
  const { url, profile } = config;
  const deadline = Date.now() + config.connectTimeoutMs;
  const info = await fetchInfo(config, deadline);
  if (info.profile !== profile)
    throw bridgeError(
      'profile_mismatch',
      url,
      profile,
      `the bridge drives profile "${info.profile}", this runtime expects "${profile}"`,
    );
  if (info.posture === 'daily_chrome') {
    if (!config.allowDailyChrome)
      throw bridgeError(
        'daily_chrome_not_allowed',
        url,
        profile,
        'the bridge drives the daily Chrome profile and BPANE_HOST_BROWSER_BRIDGE_DAILY_CHROME is not 1',
      );
    options.warn?.(DAILY_CHROME_WARNING);
  }

  let browser: Browser;
  try {
    browser = await chromium.connectOverCDP(cdpUrl(url), {
      headers: { authorization: bearer(config.token) },
      timeout: Math.max(1, deadline - Date.now()),
    });
  } catch (cause) {
    throw bridgeError('unreachable', url, profile, 'attaching to the browser failed', cause);
  }
  const context = browser.contexts()[0];
  if (context === undefined) {
    await browser.close().catch(() => undefined);
    throw bridgeError('protocol', url, profile, 'the bridge exposes no persistent browser context');
  }

  let released = false;
  let lostError: HostBrowserBridgeError | undefined;
  const lost = new Promise<HostBrowserBridgeError>((resolve) => {
    browser.once('disconnected', () => {
      if (released) return;
      lostError = bridgeError('disconnected', url, profile, 'the bridge connection closed during the run');
      resolve(lostError);
    });
  });

  // Rejects once the connection is lost; handled here so an unguarded loss is not "unhandled".
  const lostAsRejection: Promise<never> = lost.then((error) => {
    throw error;
  });
  lostAsRejection.catch(() => undefined);

  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (lostError !== undefined) throw lostError;
    try {
      return await Promise.race([fn(), lostAsRejection]);
    } catch (error) {
      if (lostError !== undefined || !browser.isConnected())
        throw lostError ?? bridgeError('disconnected', url, profile, 'the bridge connection closed', error);
      throw error;
    }
  };

  return {
    browser,
    context,
    info,
    posture: postureRecord(info.posture, info.profile),
    isConnected: () => browser.isConnected(),
    lost,
    guard,
    release: async () => {
      released = true;
      await browser.close().catch(() => undefined);
    },
  };
};
