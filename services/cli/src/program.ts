import { type EventStore } from '@bpane/event-store';
import { isBpaneError } from '@bpane/errors';
import { Command, CommanderError } from 'commander';
import { registerApiEventsCommands } from './commands/api-events';
import { registerConfigCommands } from './commands/config';
import { registerEventsCommands } from './commands/events';
import { registerHostBridgeCommands } from './commands/host-bridge';
import { registerLoginCommand } from './commands/login';
import { registerProfileCommands } from './commands/profile';
import { registerReadModelCommands } from './commands/read-models';
import { registerResourceCommands } from './commands/resources';
import { openEventStore } from './context';
import { CliError, EXIT } from './errors';
import { type CliIo } from './io';
import { toJson } from './output';
import { type GlobalFlags, isConfigTooOpen, resolveSettings, type ResolvedSettings } from './settings';

/** What every command gets: settings resolved once, lazily opened resources, output mode. */
export type CommandContext = Readonly<{
  io: CliIo;
  json: boolean;
  settings: ResolvedSettings;
  eventStore: () => Promise<EventStore>;
  onClose: (fn: () => Promise<unknown>) => void;
}>;

type RootOptions = GlobalFlags & Readonly<{ json?: boolean }>;

const USAGE_CODES = new Set([
  'commander.unknownOption',
  'commander.unknownCommand',
  'commander.missingArgument',
  'commander.optionMissingArgument',
  'commander.missingMandatoryOptionValue',
  'commander.invalidArgument',
  'commander.excessArguments',
  'commander.conflictingOption',
  'commander.help',
]);

/** Builds the `bpane` command tree. New command groups register here the same way. */
export const buildProgram = (
  io: CliIo,
  json: boolean,
  run: (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>,
): Command => {
  const program = new Command('bpane')
    .description('BrowserPane command-line interface')
    .option('--json', 'machine-readable output: one JSON object per line on stdout; errors as JSON on stderr')
    .option(
      '--config <path>',
      'config file with profiles (env BPANE_CONFIG; default ~/.config/bpane/config.json)',
    )
    .option(
      '--profile <name>',
      "profile from the config file (env BPANE_PROFILE; default: the file's defaultProfile)",
    )
    .option('--pg-url <url>', 'PostgreSQL URL of the event store and read models (env BPANE_PG_URL)')
    .option('--api-url <url>', 'BrowserPane HTTP API URL (env BPANE_API_URL; default http://localhost:8080)')
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      // In --json mode the error is printed once, as JSON, by runCli.
      outputError: (text, write) => {
        if (!json) write(text);
      },
    })
    .showHelpAfterError(json ? false : '(run with --help for usage)')
    .configureHelp({ showGlobalOptions: true })
    .allowExcessArguments(false)
    .exitOverride();
  registerEventsCommands(program, run);
  registerReadModelCommands(program, run);
  registerConfigCommands(program, run);
  registerApiEventsCommands(program, run);
  registerLoginCommand(program, run);
  registerProfileCommands(program, run);
  registerResourceCommands(program, run);
  registerHostBridgeCommands(program, io);
  return program;
};

const errorPayload = (error: unknown): { code: string; message: string; details?: unknown } => {
  if (error instanceof CommanderError)
    return { code: 'usage', message: error.message.replace(/^error: /, '') };
  if (isBpaneError(error)) {
    return error.details === undefined
      ? { code: error.code, message: error.message }
      : { code: error.code, message: error.message, details: error.details };
  }
  return { code: 'failed', message: error instanceof Error ? error.message : String(error) };
};

const exitCodeOf = (error: unknown): number => {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
    return USAGE_CODES.has(error.code) ? EXIT.usage : EXIT.failure;
  }
  if (error instanceof CliError && error.code === 'usage') return EXIT.usage;
  return EXIT.failure;
};

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export const runCli = async (argv: readonly string[], io: CliIo): Promise<number> => {
  const dashDash = argv.indexOf('--');
  const json = (dashDash === -1 ? argv : argv.slice(0, dashDash)).includes('--json');
  const closers: (() => Promise<unknown>)[] = [];
  const run = async (fn: (ctx: CommandContext) => Promise<void>): Promise<void> => {
    const flags = program.opts<RootOptions>();
    const settings = await resolveSettings(flags, io);
    if (await isConfigTooOpen(settings.configPath)) {
      io.stderr(`warning: ${settings.configPath} is readable by other users; run chmod 600 on it\n`);
    }
    let store: Promise<EventStore> | undefined;
    const ctx: CommandContext = {
      io,
      json: flags.json === true,
      settings,
      eventStore: () => {
        store ??= openEventStore(settings).then((s) => {
          closers.push(() => s.close());
          return s;
        });
        return store;
      },
      onClose: (closer) => closers.push(closer),
    };
    await fn(ctx);
  };
  const program = buildProgram(io, json, run);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    const code = exitCodeOf(error);
    if (code !== EXIT.ok) {
      const payload = errorPayload(error);
      if (json) io.stderr(`${toJson({ error: payload })}\n`);
      else if (!(error instanceof CommanderError)) io.stderr(`bpane: ${payload.message}\n`);
    }
    return code;
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
};
