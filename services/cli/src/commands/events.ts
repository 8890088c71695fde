import { type EventStore, type RecordedEvent, type SubscriptionFilter } from '@bpane/event-store';
import { createDeciderRegistry } from '@bpane/read-models';
import { type Command } from 'commander';
import { CliError } from '../errors';
import { eventToJson, eventToLine, toJson } from '../output';
import { collect, position, positiveInt } from '../parsers';
import { type CommandContext } from '../program';

export type TailOptions = Readonly<{
  stream?: string;
  type?: readonly string[];
  from?: bigint;
  limit?: number;
  follow?: boolean;
}>;

const PAGE = 1_000;
export const DEFAULT_TAIL_LIMIT = 20;

type Matcher = Readonly<{
  matches: (e: RecordedEvent) => boolean;
  filter: SubscriptionFilter;
  exactStream?: string;
}>;

const matcherFor = (o: TailOptions): Matcher => {
  const types = o.type && o.type.length > 0 ? new Set(o.type) : undefined;
  const prefix = o.stream?.endsWith('*') ? o.stream.slice(0, -1) : undefined;
  const exact = o.stream !== undefined && prefix === undefined ? o.stream : undefined;
  const filter: SubscriptionFilter = {
    ...(o.stream !== undefined ? { streamPrefixes: [prefix ?? o.stream] } : {}),
    ...(types !== undefined ? { eventTypes: [...types] } : {}),
  };
  return {
    filter,
    ...(exact !== undefined ? { exactStream: exact } : {}),
    matches: (e) =>
      (types === undefined || types.has(e.type)) &&
      (exact === undefined || e.streamId === exact) &&
      (prefix === undefined || e.streamId.startsWith(prefix)),
  };
};

/** The last `limit` matching events at or below `head`, oldest first. */
const lastEvents = async (
  store: EventStore,
  m: Matcher,
  head: bigint,
  limit: number,
): Promise<RecordedEvent[]> => {
  const found: RecordedEvent[] = [];
  if (m.exactStream !== undefined) {
    let from: bigint | undefined;
    for (;;) {
      let page: RecordedEvent[];
      try {
        page = await store.readStream(m.exactStream, {
          direction: 'backwards',
          maxCount: PAGE,
          ...(from !== undefined ? { fromRevision: from } : {}),
        });
      } catch (e) {
        if ((e as { code?: unknown }).code === 'stream_not_found') return [];
        throw e;
      }
      for (const e of page) if (e.position <= head && m.matches(e) && found.length < limit) found.push(e);
      const oldest = page.at(-1);
      if (found.length >= limit || page.length < PAGE || oldest === undefined || oldest.revision === 0n)
        break;
      from = oldest.revision - 1n;
    }
    return found.reverse();
  }
  let before: bigint | undefined = head + 1n;
  while (found.length < limit) {
    const page = await store.readAll({ direction: 'backwards', maxCount: PAGE, after: before });
    for (const e of page) if (m.matches(e) && found.length < limit) found.push(e);
    const oldest = page.at(-1);
    if (page.length < PAGE || oldest === undefined) break;
    before = oldest.position;
  }
  return found.reverse();
};

/** Matching events with `from ≤ position ≤ head`, oldest first, at most `limit`. */
async function* eventsFrom(
  store: EventStore,
  m: Matcher,
  from: bigint,
  head: bigint,
  limit: number,
): AsyncGenerator<RecordedEvent> {
  let after = from > 0n ? from - 1n : 0n;
  let printed = 0;
  for (;;) {
    const page = await store.readAll(after === 0n ? { maxCount: PAGE } : { after, maxCount: PAGE });
    for (const e of page) {
      if (e.position > head) return;
      if (!m.matches(e)) continue;
      yield e;
      if (++printed >= limit) return;
    }
    const last = page.at(-1);
    if (page.length < PAGE || last === undefined) return;
    after = last.position;
  }
}

export const tail = async (ctx: CommandContext, o: TailOptions): Promise<void> => {
  const store = await ctx.eventStore();
  const m = matcherFor(o);
  const print = (e: RecordedEvent): void =>
    ctx.io.stdout(`${ctx.json ? toJson(eventToJson(e)) : eventToLine(e)}\n`);
  const head = await store.headPosition();
  if (o.from === undefined) {
    const events = await lastEvents(store, m, head, o.limit ?? DEFAULT_TAIL_LIMIT);
    if (events.length === 0 && m.exactStream !== undefined && !o.follow) {
      throw new CliError('not_found', `stream ${m.exactStream} has no events`, {
        details: { streamId: m.exactStream },
      });
    }
    events.forEach(print);
  } else {
    for await (const e of eventsFrom(store, m, o.from, head, o.limit ?? Number.POSITIVE_INFINITY)) print(e);
  }
  if (!o.follow || ctx.io.signal.aborted) return;
  const subscription = store.subscribeToAll({ after: head, filter: m.filter, signal: ctx.io.signal });
  try {
    for await (const e of subscription) if (m.matches(e)) print(e);
  } catch (error) {
    if (!ctx.io.signal.aborted) throw error;
  } finally {
    await subscription.close().catch(() => undefined);
  }
};

export const state = async (ctx: CommandContext, streamId: string, at: bigint | undefined): Promise<void> => {
  const store = await ctx.eventStore();
  const registry = createDeciderRegistry();
  const entry = registry.find(streamId);
  if (entry === undefined) {
    const known = registry.list().map((r) => `${r.streamPrefix}…`);
    throw new CliError(
      'not_found',
      `no aggregate is registered for stream ${streamId} (known: ${known.join(', ')})`,
      {
        details: { streamId, known },
      },
    );
  }
  try {
    await store.readStream(streamId, { maxCount: 1 });
  } catch (e) {
    if ((e as { code?: unknown }).code === 'stream_not_found')
      throw new CliError('not_found', `stream ${streamId} has no events`, { details: { streamId } });
    throw e;
  }
  const result = await registry.stateAt(store, streamId, at);
  if (ctx.json) {
    ctx.io.stdout(`${toJson({ ...result, at: at ?? null })}\n`);
    return;
  }
  const lines = [
    `stream     ${result.streamId}`,
    `aggregate  ${result.aggregate}`,
    `as of      ${at === undefined ? 'latest' : `position ${at}`}`,
    `events     ${result.eventCount}${
      result.revision === null
        ? ' (the stream had not started yet)'
        : ` (last: revision ${result.revision}, position ${result.position})`
    }`,
    'state',
    toJson(result.state, 2),
  ];
  ctx.io.stdout(`${lines.join('\n')}\n`);
};

export const registerEventsCommands = (
  program: Command,
  run: (fn: (ctx: CommandContext) => Promise<void>) => Promise<void>,
): void => {
  const events = program
    .command('events')
    .description('audit and replay: read the global event log and reconstruct aggregate state');

  events
    .command('tail')
    .description(
      'print events of the global log: the last --limit events, or every event from --from on; --follow then waits for new ones',
    )
    .option('--stream <stream>', 'only this stream id; a trailing * matches a prefix (e.g. "project-*")')
    .option('--type <type>', 'only events of this type (repeat or comma-separate for several)', collect)
    .option(
      '--from <position>',
      'start at this global position (inclusive) instead of showing the last events',
      position,
    )
    .option(
      '--limit <n>',
      `most events printed before following (default ${DEFAULT_TAIL_LIMIT} without --from, no limit with --from)`,
      positiveInt,
    )
    .option('--follow', 'keep printing new events until interrupted (Ctrl-C)')
    .action((o: TailOptions) => run((ctx) => tail(ctx, o)));

  events
    .command('state')
    .description("an aggregate's state folded from its events, as of now or as of a global position")
    .argument('<stream>', 'stream id, e.g. project-<uuid>')
    .option('--at <position>', 'fold only events with a global position ≤ this', position)
    .action((streamId: string, o: { at?: bigint }) => run((ctx) => state(ctx, streamId, o.at)));
};
