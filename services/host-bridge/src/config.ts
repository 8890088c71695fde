import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { HOST_BRIDGE_DEFAULT_PORT, type BrowserPosture } from '@bpane/host-bridge-client';
import { HostBridgeConfigError } from './errors';
import { validateBind } from './security';

export const DEFAULT_BIND = '127.0.0.1';

/** Command-line flags of `bpane host-bridge start`; each has an env fallback. */
export type StartFlags = Readonly<{
  profile?: string;
  bind?: string;
  port?: string;
  executablePath?: string;
  allowPublicBind?: boolean;
  logFile?: string;
  dailyChrome?: boolean;
}>;

export type BrowserChoice =
  Readonly<{ kind: 'channel'; channel: 'chrome' }> | Readonly<{ kind: 'executable'; path: string }>;

export type HostBridgeConfig = Readonly<{
  profile: string;
  posture: BrowserPosture;
  userDataDir: string;
  bind: string;
  port: number;
  browser: BrowserChoice;
  /** From `BPANE_HOST_BRIDGE_TOKEN`; a fresh random one per launch otherwise. */
  token: string | undefined;
  logFile: string | undefined;
  /** Printed at start (and repeated on every run for daily Chrome). */
  warnings: readonly string[];
}>;

type Env = Readonly<Record<string, string | undefined>>;

const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const nonEmpty = (value: string | undefined): string | undefined =>
  value === undefined || value.trim() === '' ? undefined : value.trim();

/** Where Google Chrome is installed by default, per platform (used for `channel: "chrome"`). */
export const chromeInstallPaths = (platform: NodeJS.Platform, env: Env): readonly string[] => {
  switch (platform) {
    case 'darwin':
      return ['/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'];
    case 'win32': {
      const roots = [env['PROGRAMFILES'], env['PROGRAMFILES(X86)'], env['LOCALAPPDATA']].filter(
        (r): r is string => r !== undefined,
      );
      return roots.map((r) => join(r, 'Google', 'Chrome', 'Application', 'chrome.exe'));
    }
    default:
      return ['/opt/google/chrome/chrome'];
  }
};

/** The operator's everyday Chrome profile directory (the daily-Chrome escape hatch only). */
export const dailyChromeDir = (platform: NodeJS.Platform, homeDir: string, env: Env): string => {
  switch (platform) {
    case 'darwin':
      return join(homeDir, 'Library', 'Application Support', 'Google', 'Chrome');
    case 'win32':
      return join(env['LOCALAPPDATA'] ?? join(homeDir, 'AppData', 'Local'), 'Google', 'Chrome', 'User Data');
    default:
      return join(homeDir, '.config', 'google-chrome');
  }
};

export const DAILY_CHROME_BRIDGE_WARNING =
  'WARNING: DAILY CHROME PROFILE. This bridge drives your everyday Chrome profile, not a dedicated ' +
  'BrowserPane profile: every cookie, saved login and signed-in tab in it is exposed to the runtimes ' +
  'that attach. Close your normal Chrome first (one writer per profile). Prefer --profile <name>.';

export const LINUX_LOOPBACK_WARNING =
  'warning: bound to 127.0.0.1 on Linux. Containers cannot reach host loopback through ' +
  'host.docker.internal:host-gateway; to serve Docker runtimes, bind the docker bridge IP instead ' +
  '(e.g. --bind 172.17.0.1; see `ip -4 addr show docker0`).';

export const resolveConfig = (
  flags: StartFlags,
  env: Env,
  platform: NodeJS.Platform,
  homeDir: string,
  exists: (path: string) => boolean = existsSync,
): HostBridgeConfig => {
  const warnings: string[] = [];
  const dailyChrome = flags.dailyChrome === true;
  if (dailyChrome && env['BPANE_HOST_BROWSER_BRIDGE_DAILY_CHROME'] !== '1')
    throw new HostBridgeConfigError(
      '--daily-chrome drives your everyday Chrome profile and needs BPANE_HOST_BROWSER_BRIDGE_DAILY_CHROME=1 as an explicit opt-in',
    );
  const profile = dailyChrome ? 'daily-chrome' : nonEmpty(flags.profile);
  if (profile === undefined)
    throw new HostBridgeConfigError(
      '--profile <name> is required (profiles live under ~/.bpane/profiles/<name>/)',
    );
  if (!dailyChrome && (!PROFILE_NAME.test(profile) || profile === '..'))
    throw new HostBridgeConfigError(
      `profile name "${profile}" is invalid: use letters, digits, ".", "_" or "-" (at most 64, not starting with a dot)`,
    );

  const bind = nonEmpty(flags.bind) ?? nonEmpty(env['BPANE_HOST_BRIDGE_BIND_HOST']) ?? DEFAULT_BIND;
  const allowPublicBind =
    flags.allowPublicBind === true || env['BPANE_HOST_BRIDGE_ALLOW_PUBLIC_BIND'] === '1';
  validateBind(bind, allowPublicBind);
  if (platform === 'linux' && bind === DEFAULT_BIND) warnings.push(LINUX_LOOPBACK_WARNING);
  if (bind === '0.0.0.0')
    warnings.push(
      'warning: bound to 0.0.0.0 (acknowledged): every interface, including the LAN, can reach the bridge.',
    );

  const portRaw =
    nonEmpty(flags.port) ?? nonEmpty(env['BPANE_HOST_BRIDGE_PORT']) ?? String(HOST_BRIDGE_DEFAULT_PORT);
  const port = Number(portRaw);
  if (!/^\d+$/.test(portRaw) || port > 65_535)
    throw new HostBridgeConfigError(`--port must be 0-65535 (got "${portRaw}")`);

  const executablePath = nonEmpty(flags.executablePath) ?? nonEmpty(env['BPANE_HOST_BRIDGE_EXECUTABLE_PATH']);
  let browser: BrowserChoice;
  if (executablePath !== undefined) {
    if (!exists(executablePath))
      throw new HostBridgeConfigError(`--executable-path ${executablePath} does not exist`);
    browser = { kind: 'executable', path: executablePath };
  } else if (chromeInstallPaths(platform, env).some((p) => exists(p))) {
    browser = { kind: 'channel', channel: 'chrome' };
  } else {
    throw new HostBridgeConfigError(
      'Google Chrome is not installed: install it, or pass --executable-path <chromium or chrome binary>',
    );
  }

  const profileRoot = nonEmpty(env['BPANE_HOST_BRIDGE_PROFILE_ROOT']) ?? join(homeDir, '.bpane', 'profiles');
  const userDataDir = dailyChrome ? dailyChromeDir(platform, homeDir, env) : join(profileRoot, profile);
  if (dailyChrome) warnings.unshift(DAILY_CHROME_BRIDGE_WARNING);

  const token = nonEmpty(env['BPANE_HOST_BRIDGE_TOKEN']);
  if (token !== undefined && token.length < 32)
    throw new HostBridgeConfigError('BPANE_HOST_BRIDGE_TOKEN must be at least 32 characters');

  return {
    profile,
    posture: dailyChrome ? 'daily_chrome' : 'dedicated_profile',
    userDataDir,
    bind,
    port,
    browser,
    token,
    logFile: nonEmpty(flags.logFile) ?? nonEmpty(env['BPANE_HOST_BRIDGE_LOG']),
    warnings,
  };
};
