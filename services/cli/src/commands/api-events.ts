import { type Command, InvalidArgumentError } from 'commander';
import { apiClientFor } from '../api/client';
import { logPosition } from '../api/options';
import { type Column, field, printObject, table } from '../api/render';
import { toJson } from '../output';
import { positiveInt } from '../parsers';
import { type CommandContext } from '../program';

type Run = (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>;

type ListOptions = Readonly<{
  stream?: string;
  type?: string;
  after?: string;
  since?: string;
  until?: string;
  limit?: number;
}>;

type EventPage = Readonly<{ items: Record<string, unknown>[]; next_after: string; end_of_log: boolean }>;

const COLUMNS: readonly Column[] = [
  ['position', field('position')],
  ['recorded', field('recorded_at')],
  ['stream', field('stream_id')],
  ['type', field('type')],
  [
    'actor',
    (r) => {
      const a = r['actor'] as Record<string, unknown> | undefined;
      return a === undefined ? undefined : `${String(a['kind'])}:${String(a['id'])}`;
    },
  ],
];

const timestamp = (value: string): string => {
  if (Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('must be an ISO-8601 date-time');
  return value;
};

const listEvents = async (ctx: CommandContext, o: ListOptions): Promise<void> => {
  const page = await apiClientFor(ctx.settings, ctx.io.signal).get<EventPage>('/api/v1/events', {
    stream: o.stream,
    type: o.type,
    after: o.after,
    since: o.since,
    until: o.until,
    limit: o.limit,
  });
  if (ctx.json) {
    ctx.io.stdout(`${toJson(page)}\n`);
    return;
  }
  const head = page.items.length === 0 ? 'no events' : table(page.items, COLUMNS);
  const tail = page.end_of_log
    ? `end of log; poll with --after ${page.next_after}`
    : `more: --after ${page.next_after}`;
  ctx.io.stdout(`${head}\n${tail}\n`);
};

/** `events list` and `events replay`: the HTTP audit log of the gateway (needs a token, no database). */
export const registerApiEventsCommands = (program: Command, run: Run): void => {
  const events =
    program.commands.find((c) => c.name() === 'events') ??
    program.command('events').description('audit and replay of the event log');
  events
    .command('list')
    .description(
      'the caller’s slice of the event log through the HTTP API (GET /api/v1/events), oldest first',
    )
    .option('--stream <stream>', 'only this stream id')
    .option('--type <type>', 'only events of this type')
    .option('--after <position>', 'only events after this global position (continue a page)', logPosition)
    .option('--since <time>', 'only events recorded at or after this ISO-8601 time', timestamp)
    .option('--until <time>', 'only events recorded before this ISO-8601 time', timestamp)
    .option('--limit <n>', 'page size (1-200; API default 50)', positiveInt)
    .action((o: ListOptions) => run((ctx) => listEvents(ctx, o)));
  events
    .command('replay')
    .description(
      "an aggregate's state replayed from its events by the API (GET /api/v1/events/state), as of now or a position",
    )
    .argument('<stream>', 'stream id, e.g. project-<uuid>')
    .option('--at <position>', 'replay only events with a global position ≤ this', logPosition)
    .action((stream: string, o: { at?: string }) =>
      run(async (ctx) => {
        const state = await apiClientFor(ctx.settings, ctx.io.signal).get('/api/v1/events/state', {
          stream,
          at: o.at,
        });
        printObject(ctx, state);
      }),
    );
};
