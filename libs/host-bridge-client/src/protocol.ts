/**
 * The wire contract between a BrowserPane runtime and the host browser bridge. Both sides import
 * it from here so paths, defaults and payload shapes cannot drift apart.
 */

/** Port the bridge listens on unless `--port` / `BPANE_HOST_BRIDGE_PORT` says otherwise. */
export const HOST_BRIDGE_DEFAULT_PORT = 7670;

/** Authenticated JSON description of the bridge (profile, posture). Also the reachability probe. */
export const HOST_BRIDGE_INFO_PATH = '/bpane/v1/info';

/** WebSocket path that is passed through to the browser's DevTools endpoint. */
export const HOST_BRIDGE_CDP_PATH = '/bpane/v1/cdp';

/**
 * Which browser profile the bridge drives. `dedicated_profile` is the default
 * (`~/.bpane/profiles/<name>/`); `daily_chrome` is the opt-in escape hatch that exposes the
 * operator's everyday Chrome profile and must be shown as a non-default trust posture.
 */
export type BrowserPosture = 'dedicated_profile' | 'daily_chrome';

export type HostBridgeInfo = Readonly<{
  service: 'bpane-host-bridge';
  protocol: 1;
  profile: string;
  posture: BrowserPosture;
  /** `chrome` (installed Google Chrome channel) or the executable path that was launched. */
  browser: string;
}>;

/** The token travels in the standard `Authorization` header of the HTTP request / WS upgrade. */
export const bearer = (token: string): string => `Bearer ${token}`;

export const isHostBridgeInfo = (value: unknown): value is HostBridgeInfo => {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v['service'] === 'bpane-host-bridge' &&
    v['protocol'] === 1 &&
    typeof v['profile'] === 'string' &&
    (v['posture'] === 'dedicated_profile' || v['posture'] === 'daily_chrome') &&
    typeof v['browser'] === 'string'
  );
};
