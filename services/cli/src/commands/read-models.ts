import { isBpaneError } from '@bpane/errors';
import {
  findProjections,
  type Projection,
  ReadModelDatabase,
  readModelEntities,
  rebuildProjections,
} from '@bpane/read-models';
import { type Command } from 'commander';
import { countEvents } from '../context';
import { CliError } from '../errors';
import { toJson } from '../output';
import { collect } from '../parsers';
import { type CommandContext } from '../program';
import { progressReporter } from '../progress';

export type RebuildOptions = Readonly<{ projection?: readonly string[] }>;

const selectProjections = (names: readonly string[] | undefined): readonly Projection[] => {
  try {
    return findProjections(names);
  } catch (e) {
    if (isBpaneError(e) && e.code === 'unknown_projection')
      throw new CliError('usage', e.message, { details: e.details ?? {} });
    throw e;
  }
};

export const rebuild = async (ctx: CommandContext, o: RebuildOptions): Promise<void> => {
  const projections = selectProjections(o.projection);
  const store = await ctx.eventStore();
  const url = ctx.settings.get('readModelPgUrl') ?? ctx.settings.get('pgUrl');
  let db: ReadModelDatabase;
  try {
    db = await ReadModelDatabase.connect({
      url: url ?? '',
      schema: ctx.settings.get('readModelSchema'),
      entities: readModelEntities,
      poolSize: 2,
      applicationName: 'bpane-cli',
    });
  } catch (cause) {
    throw new CliError('unavailable', `cannot open the read-model database: ${(cause as Error).message}`, {
      cause,
    });
  }
  ctx.onClose(() => db.dataSource.destroy());
  const total = await countEvents(ctx.settings);
  const progress = progressReporter(ctx.io.stderr, { tty: ctx.io.stderrIsTty, json: ctx.json, total });
  const result = await rebuildProjections({
    store,
    db,
    projections,
    onProgress: progress.update,
    signal: ctx.io.signal,
  });
  progress.finish();
  const eps =
    result.elapsedMs > 0 ? Math.round((result.eventsDone * 1000) / result.elapsedMs) : result.eventsDone;
  if (ctx.json) {
    ctx.io.stdout(`${toJson({ ...result, eventsPerSecond: eps })}\n`);
  } else {
    ctx.io.stdout(
      `rebuilt ${result.projections.join(', ')}: ${result.eventsDone} events in ${(result.elapsedMs / 1000).toFixed(1)} s (${eps} events/s), checkpoint ${result.position}\n`,
    );
  }
};

export const registerReadModelCommands = (
  program: Command,
  run: (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>,
): void => {
  const readModels = program
    .command('read-models')
    .description('maintain the read models projected from the event log');
  readModels
    .command('rebuild')
    .description(
      'replay the whole log into fresh copies of the read-model tables, then swap them in (the projector may keep running); progress on stderr',
    )
    .option(
      '--projection <name>',
      'rebuild only this projection (repeat or comma-separate; default: all)',
      collect,
    )
    .action((o: RebuildOptions) => run((ctx) => rebuild(ctx, o)));
};
