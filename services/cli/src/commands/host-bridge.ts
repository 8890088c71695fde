import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Command } from 'commander';
import { CliError } from '../errors';
import { type CliIo } from '../io';

/**
 * `bpane host-bridge start …` runs the host browser bridge service (services/host-bridge) in the
 * foreground with the arguments as given; the service parses and documents its own flags
 * (docs/host-bridge.md). The bundled service sits next to the bundled CLI in dist/services/; from
 * sources it runs through tsx. `BPANE_HOST_BRIDGE_ENTRY` overrides the location.
 */
const entry = (env: CliIo['env']): { args: string[] } => {
  const override = env['BPANE_HOST_BRIDGE_ENTRY'];
  if (override !== undefined && override !== '') return { args: [override] };
  const bundled = fileURLToPath(new URL('../host-bridge/main.mjs', import.meta.url));
  if (existsSync(bundled)) return { args: [bundled] };
  const source = fileURLToPath(new URL('../../../host-bridge/src/main.ts', import.meta.url));
  if (existsSync(source)) return { args: ['--import', 'tsx', source] };
  throw new CliError('unavailable', 'the host bridge is not built: run `npx nx build host-bridge`');
};

export const registerHostBridgeCommands = (program: Command, io: CliIo): void => {
  const group = program
    .command('host-bridge')
    .description('host browser bridge: a visible browser profile on this desktop for Docker runtimes');
  group
    .command('start')
    .description(
      'start the bridge (flags: --profile, --bind, --port, … ; see `bpane host-bridge start --help`)',
    )
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments(true)
    .action(async (_: unknown, cmd: Command) => {
      // `--profile` is also a global option of `bpane`, which takes it wherever it appears; here it
      // names the bridge's browser profile and is handed on with the other arguments.
      const profile = program.opts<{ profile?: string }>().profile;
      const forwarded = [...cmd.args, ...(profile === undefined ? [] : ['--profile', profile])];
      const child = spawn(process.execPath, [...entry(io.env).args, 'start', ...forwarded], {
        stdio: 'inherit',
        env: { ...io.env },
      });
      const onAbort = (): void => void child.kill('SIGTERM');
      io.signal.addEventListener('abort', onAbort, { once: true });
      const code = await new Promise<number>((resolve) =>
        child.once('exit', (c, signal) => resolve(c ?? (signal === null ? 1 : 0))),
      );
      io.signal.removeEventListener('abort', onAbort);
      if (code !== 0)
        throw new CliError(code === 2 ? 'usage' : 'failed', `host bridge exited with code ${code}`);
    });
};
