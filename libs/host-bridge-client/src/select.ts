import { type Browser, type BrowserContext } from 'patchright';
import { acquireHostBrowser, type AcquireOptions, type HostBrowserLease } from './acquire';
import { readHostBridgeClientConfig } from './config';
import { ISOLATED_POSTURE, type BrowserPostureRecord } from './interactions';

/** What the runtime gets, wherever the browser came from. */
export type AcquiredBrowser = Readonly<{
  source: 'host_bridge' | 'isolated';
  browser: Browser | undefined;
  context: BrowserContext;
  posture: BrowserPostureRecord;
  /** Set for `host_bridge`: disconnect detection and the typed guard. */
  lease: HostBrowserLease | undefined;
  release: () => Promise<void>;
}>;

export type IsolatedLauncher = () => Promise<{ context: BrowserContext; close: () => Promise<void> }>;

/**
 * The runtime's single acquisition point: the host bridge when `BPANE_HOST_BROWSER_BRIDGE_URL`
 * is set (failing fast with `host_browser_bridge_unavailable`, never falling back to an invisible
 * browser), the isolated launcher otherwise.
 */
export const acquireBrowser = async (
  env: Readonly<Record<string, string | undefined>>,
  launchIsolated: IsolatedLauncher,
  options: AcquireOptions & Readonly<{ profile?: string }> = {},
): Promise<AcquiredBrowser> => {
  const config = readHostBridgeClientConfig(
    env,
    options.profile === undefined ? undefined : { profile: options.profile },
  );
  if (config === undefined) {
    const isolated = await launchIsolated();
    return {
      source: 'isolated',
      browser: isolated.context.browser() ?? undefined,
      context: isolated.context,
      posture: ISOLATED_POSTURE,
      lease: undefined,
      release: isolated.close,
    };
  }
  const lease = await acquireHostBrowser(config, options);
  return {
    source: 'host_bridge',
    browser: lease.browser,
    context: lease.context,
    posture: lease.posture,
    lease,
    release: lease.release,
  };
};
