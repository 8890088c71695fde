import { isBpaneError } from '@bpane/errors';
import { Command, CommanderError } from 'commander';
import { startHostBridge, type BridgeIo } from './bridge';
import { resolveConfig, type StartFlags } from './config';

export type HostBridgeCliIo = BridgeIo &
  Readonly<{
    env: Readonly<Record<string, string | undefined>>;
    platform: NodeJS.Platform;
    homeDir: string;
    /** Aborted on SIGINT / SIGTERM: the bridge closes the browser and releases the profile. */
    signal: AbortSignal;
  }>;

/** Adds `start` with its flags to `parent` (the service's own program, or `bpane host-bridge`). */
export const addStartCommand = (parent: Command, io: HostBridgeCliIo): Command =>
  parent
    .command('start')
    .description('own a visible persistent browser profile and expose it to BrowserPane runtimes')
    .option('--profile <name>', 'profile under ~/.bpane/profiles/<name>/ (required)')
    .option(
      '--bind <ipv4>',
      'single IPv4 address to listen on (env BPANE_HOST_BRIDGE_BIND_HOST; default 127.0.0.1)',
    )
    .option(
      '--port <port>',
      'port to listen on (env BPANE_HOST_BRIDGE_PORT; default 7670; 0 = any free port)',
    )
    .option(
      '--executable-path <path>',
      'browser binary (env BPANE_HOST_BRIDGE_EXECUTABLE_PATH; default: installed Google Chrome via channel "chrome")',
    )
    .option('--allow-public-bind', 'acknowledge a 0.0.0.0 bind (env BPANE_HOST_BRIDGE_ALLOW_PUBLIC_BIND=1)')
    .option('--log-file <path>', 'also append log lines to this file (env BPANE_HOST_BRIDGE_LOG)')
    .option(
      '--daily-chrome',
      'drive your everyday Chrome profile (needs BPANE_HOST_BROWSER_BRIDGE_DAILY_CHROME=1)',
    )
    .action(async (flags: StartFlags) => {
      const config = resolveConfig(flags, io.env, io.platform, io.homeDir);
      const bridge = await startHostBridge(config, io);
      const onAbort = (): void => void bridge.close();
      if (io.signal.aborted) onAbort();
      else io.signal.addEventListener('abort', onAbort, { once: true });
      await bridge.stopped;
      io.signal.removeEventListener('abort', onAbort);
    });

/** `host-bridge start …`; returns the exit code (0 after a clean stop, 2 usage, 1 refusal). */
export const runHostBridgeCli = async (argv: readonly string[], io: HostBridgeCliIo): Promise<number> => {
  const program = new Command('host-bridge')
    .description('BrowserPane host browser bridge')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
    .exitOverride();
  addStartCommand(program, io).exitOverride();
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const message = error instanceof Error ? error.message : String(error);
    io.stderr(`host-bridge: ${isBpaneError(error) ? `${error.code}: ` : ''}${message}\n`);
    return 1;
  }
};
