import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type HostBridgeInfo } from '@bpane/host-bridge-client';
import { launchProfileBrowser, type ProfileBrowser } from './browser';
import { type HostBridgeConfig } from './config';
import { acquireProfileLock } from './profile-lock';
import { allowedHostNames, generateToken } from './security';
import { startBridgeServer, type BridgeServer } from './server';

export type BridgeIo = Readonly<{
  /** The ready banner (with the token, once). */
  stdout: (text: string) => void;
  /** Log lines and warnings; mirrored to the log file when one is configured. */
  stderr: (text: string) => void;
}>;

export type RunningBridge = Readonly<{
  endpoint: string;
  port: number;
  /** Resolves when the bridge has stopped (closed, or the browser window went away). */
  stopped: Promise<void>;
  close: () => Promise<void>;
}>;

const containerUrl = (config: HostBridgeConfig, port: number): string => {
  const host =
    config.bind === '127.0.0.1' || config.bind === '0.0.0.0' ? 'host.docker.internal' : config.bind;
  return `ws://${host}:${port}`;
};

/**
 * Starts one bridge: takes the profile's single-writer lock, launches the headed persistent
 * context, then listens. Everything acquired is released again if a later step fails.
 */
export const startHostBridge = async (config: HostBridgeConfig, io: BridgeIo): Promise<RunningBridge> => {
  if (config.logFile !== undefined) mkdirSync(dirname(config.logFile), { recursive: true });
  const log = (line: string): void => {
    const stamped = `${new Date().toISOString()} ${line}\n`;
    io.stderr(stamped);
    if (config.logFile !== undefined) appendFileSync(config.logFile, stamped, { mode: 0o600 });
  };
  for (const warning of config.warnings) log(warning);

  const lock = acquireProfileLock(config.userDataDir);
  let browser: ProfileBrowser | undefined;
  let server: BridgeServer | undefined;
  try {
    browser = await launchProfileBrowser(config.userDataDir, config.browser);
    const token = config.token ?? generateToken();
    const info: HostBridgeInfo = {
      service: 'bpane-host-bridge',
      protocol: 1,
      profile: config.profile,
      posture: config.posture,
      browser: config.browser.kind === 'channel' ? config.browser.channel : config.browser.path,
    };
    server = await startBridgeServer({
      bind: config.bind,
      port: config.port,
      token,
      allowedHosts: allowedHostNames(config.bind),
      info,
      devtoolsUrl: browser.devtoolsUrl,
      log,
    });
    const endpoint = `ws://${config.bind}:${server.port}`;
    log(`listening on ${endpoint}; profile ${config.profile} at ${config.userDataDir} (${config.posture})`);
    io.stdout(
      [
        'BrowserPane host bridge ready',
        `  profile:  ${config.profile} (${config.userDataDir})`,
        `  endpoint: ${endpoint}`,
        `  token:    ${config.token === undefined ? token : '(from BPANE_HOST_BRIDGE_TOKEN)'}`,
        'Runtime environment (the token is shown only here, once):',
        `  BPANE_HOST_BROWSER_BRIDGE_URL=${containerUrl(config, server.port)}`,
        `  BPANE_HOST_BROWSER_BRIDGE_PROFILE=${config.profile}`,
        '  BPANE_HOST_BROWSER_BRIDGE_TOKEN=<the token above>',
        '',
      ].join('\n'),
    );
  } catch (error) {
    await server?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    lock.release();
    throw error;
  }

  const owned = { browser, server };
  let closing: Promise<void> | undefined;
  let markStopped = (): void => undefined;
  const stopped = new Promise<void>((resolve) => {
    markStopped = resolve;
  });
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await owned.server.close().catch(() => undefined);
      await owned.browser.close().catch(() => undefined);
      lock.release();
      log('stopped');
      markStopped();
    })();
    return closing;
  };
  owned.browser.context.once('close', () => {
    if (closing === undefined) log('the browser window was closed; stopping the bridge');
    void close();
  });
  return { endpoint: `ws://${config.bind}:${owned.server.port}`, port: owned.server.port, stopped, close };
};
