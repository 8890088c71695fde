import { BpaneError } from '@bpane/errors';
import { HOST_BRIDGE_DEFAULT_PORT } from './protocol';

export type HostBrowserBridgeErrorCode = 'host_browser_bridge_unavailable';

/** Why the bridge could not be used; the console picks its wording from this. */
export type HostBrowserBridgeFailure =
  | 'not_configured'
  | 'unreachable'
  | 'unauthorized'
  | 'host_rejected'
  | 'protocol'
  | 'profile_mismatch'
  | 'daily_chrome_not_allowed'
  | 'disconnected';

export type HostBrowserBridgeErrorDetails = Readonly<{
  /** Always `deployment_configuration`: the console renders it as a set-up problem, not a pending step. */
  category: 'deployment_configuration';
  reason: HostBrowserBridgeFailure;
  /** Copy-paste command the operator runs on their desktop. */
  fix_command: string;
  /** The bridge URL as configured in the runtime (`BPANE_HOST_BROWSER_BRIDGE_URL`). */
  url: string;
  hint: string;
}>;

/**
 * The one typed failure of the runtime side. Its code maps to HTTP 503 at the gateway edge.
 * `details` is safe to show: it never contains the token.
 */
export class HostBrowserBridgeError extends BpaneError<HostBrowserBridgeErrorCode> {
  declare readonly details: HostBrowserBridgeErrorDetails;

  constructor(message: string, details: HostBrowserBridgeErrorDetails, cause?: unknown) {
    super('host_browser_bridge_unavailable', message, { details, cause });
  }
}

const isIpv4 = (host: string): boolean => /^(\d{1,3})(\.\d{1,3}){3}$/.test(host);

/**
 * The host command that makes `url` reachable: same port and, when the runtime dials an explicit
 * IPv4 address other than loopback (Linux Docker: the docker bridge IP), the same bind address.
 */
export const fixCommandFor = (url: string, profile: string): string => {
  let host = '127.0.0.1';
  let port = String(HOST_BRIDGE_DEFAULT_PORT);
  try {
    const parsed = new URL(url);
    host = parsed.hostname;
    if (parsed.port !== '') port = parsed.port;
  } catch {
    // keep the defaults; the hint explains the URL is malformed
  }
  const parts = ['bpane', 'host-bridge', 'start', '--profile', profile];
  if (isIpv4(host) && host !== '127.0.0.1') parts.push('--bind', host);
  if (port !== String(HOST_BRIDGE_DEFAULT_PORT)) parts.push('--port', port);
  return parts.join(' ');
};

const HINTS: Readonly<Record<HostBrowserBridgeFailure, string>> = {
  not_configured:
    'Set both BPANE_HOST_BROWSER_BRIDGE_URL and BPANE_HOST_BROWSER_BRIDGE_TOKEN (the token the bridge printed at start).',
  unreachable:
    'Start the bridge on the host with the command below. On Linux Docker bind it to the docker bridge IP (e.g. --bind 172.17.0.1) and give the container extra_hosts host.docker.internal:host-gateway. Also check that BPANE_HOST_BROWSER_BRIDGE_TOKEN matches the token the bridge printed.',
  unauthorized:
    'The bridge rejected the token: copy the token the bridge printed at its last start into BPANE_HOST_BROWSER_BRIDGE_TOKEN (every bridge start prints a new one).',
  host_rejected:
    'The bridge rejected the Host header: dial it as 127.0.0.1, localhost, host.docker.internal or the IP it is bound to.',
  protocol: 'The endpoint answered but is not a BrowserPane host bridge: check the URL and port.',
  profile_mismatch:
    'The bridge on this URL drives a different profile: start a bridge for the expected profile on its own port.',
  daily_chrome_not_allowed:
    'The bridge drives the daily Chrome profile; the runtime refuses it unless BPANE_HOST_BROWSER_BRIDGE_DAILY_CHROME=1 is set on both sides.',
  disconnected:
    'The bridge went away during the run (stopped or restarted). Start it again with the command below and retry the run; check the token, as each start prints a new one.',
};

export const bridgeError = (
  reason: HostBrowserBridgeFailure,
  url: string,
  profile: string,
  summary: string,
  cause?: unknown,
): HostBrowserBridgeError => {
  const fix = fixCommandFor(url, profile);
  const hint = HINTS[reason];
  return new HostBrowserBridgeError(
    `host browser bridge unavailable at ${url}: ${summary}. Run on the host: ${fix} — ${hint}`,
    { category: 'deployment_configuration', reason, fix_command: fix, url, hint },
    cause,
  );
};
