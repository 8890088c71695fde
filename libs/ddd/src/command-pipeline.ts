import { randomUUID } from 'node:crypto';
import { BpaneError, isBpaneError } from '@bpane/errors';
import type { Command, Decider, DomainEvent } from './decider';
import { defaultRetryPolicy, retryOnConflict, type RetryPolicy } from './retry';
import { createUpcasterRegistry, type UpcasterRegistry } from './upcasting';
import type { CommandStore, EventMetadata, ExpectedRevision, NewStoreEvent, StoredEvent } from './store-port';

/** A domain event together with the id and metadata it was (or will be) stored with. */
export type StoredDomainEvent<E extends DomainEvent = DomainEvent> = E &
  Readonly<{ id: string; metadata: EventMetadata }>;

export type EventIdSource = readonly string[] | ((count: number) => readonly string[]);

export type HandleCommandOptions<C extends Command, E extends DomainEvent, S> = Readonly<{
  streamId: string;
  decider: Decider<C, E, S>;
  command: C;
  upcasters?: UpcasterRegistry;
  /** Ids for the new events (UUIDs). Default: random UUIDs. A list is reused on every retry. */
  newEventIds?: EventIdSource;
  retry?: RetryPolicy;
}>;

export type HandleCommandResult<E extends DomainEvent, S> = Readonly<{
  /** Events appended by this command (or, on an idempotent replay, by the earlier one). */
  events: readonly StoredDomainEvent<E>[];
  /** Revision of the stream's last event after the command; null when the stream does not exist. */
  nextExpectedRevision: bigint | null;
  /** Global position of the last event of the result; null when nothing was ever appended. */
  position: bigint | null;
  /** State after the command's events (on a replay: after the earlier command's events). */
  state: S;
  /** True when the idempotency key had already been applied and nothing was decided. */
  idempotentReplay: boolean;
  /** Attempts needed (1 without conflicts). */
  attempts: number;
}>;

export type PipelineErrorCode = 'event_ids_exhausted' | 'invalid_event_id';

export class CommandPipelineError extends BpaneError<PipelineErrorCode> {}

export type LoadedStream<E extends DomainEvent, S> = Readonly<{
  state: S;
  events: readonly (StoredEvent & Readonly<{ domain: E }>)[];
  /** Revision of the last event, or null for a stream that does not exist. */
  revision: bigint | null;
  position: bigint | null;
}>;

const isConflict = (error: unknown): boolean =>
  isBpaneError(error) && error.code === 'wrong_expected_version';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads a stream (empty when it does not exist), upcasts each event and folds it. */
export const loadStream = async <E extends DomainEvent, S>(
  store: CommandStore,
  streamId: string,
  decider: Pick<Decider<Command, E, S>, 'evolve' | 'initialState'>,
  upcasters: UpcasterRegistry = createUpcasterRegistry(),
  atPosition?: bigint,
): Promise<LoadedStream<E, S>> => {
  let recorded: readonly StoredEvent[];
  try {
    recorded = await store.readStream(streamId);
  } catch (error) {
    if (isBpaneError(error) && error.code === 'stream_not_found') recorded = [];
    else throw error;
  }
  if (atPosition !== undefined) recorded = recorded.filter((e) => e.position <= atPosition);
  let state = decider.initialState();
  const events = recorded.map((e) => {
    const domain = upcasters.upcast<E>({ type: e.type, data: e.data });
    state = decider.evolve(state, domain);
    return { ...e, domain };
  });
  const last = recorded.at(-1);
  return { state, events, revision: last?.revision ?? null, position: last?.position ?? null };
};

const takeIds = (source: EventIdSource | undefined, count: number): readonly string[] => {
  const ids =
    source === undefined
      ? Array.from({ length: count }, () => randomUUID())
      : typeof source === 'function'
        ? source(count)
        : source.slice(0, count);
  if (ids.length < count) {
    throw new CommandPipelineError('event_ids_exhausted', `need ${count} event ids, got ${ids.length}`, {
      details: { needed: count, given: ids.length },
    });
  }
  for (const id of ids) {
    if (!UUID.test(id)) {
      throw new CommandPipelineError('invalid_event_id', `event id ${JSON.stringify(id)} is not a UUID`, {
        details: { id },
      });
    }
  }
  return ids;
};

/**
 * The command pipeline: load → upcast → fold → decide → append with the expected revision; on a
 * concurrent write, start over (bounded). A command carrying an idempotency key that this stream
 * already holds returns the earlier result without deciding again.
 */
export const handleCommand = async <C extends Command, E extends DomainEvent, S>(
  store: CommandStore,
  options: HandleCommandOptions<C, E, S>,
): Promise<HandleCommandResult<E, S>> => {
  const { streamId, decider, command } = options;
  const upcasters = options.upcasters ?? createUpcasterRegistry();
  const key = command.metadata.idempotencyKey;

  const { value, attempts } = await retryOnConflict(
    async (): Promise<Omit<HandleCommandResult<E, S>, 'attempts'>> => {
      const loaded = await loadStream(store, streamId, decider, upcasters);

      if (key !== undefined) {
        const earlierIndex = loaded.events.findIndex((e) => e.metadata.idempotencyKey === key);
        if (earlierIndex >= 0) {
          const earlier = loaded.events.filter((e) => e.metadata.idempotencyKey === key);
          const lastEarlier = earlier.at(-1)!;
          const upTo = loaded.events.filter((e) => e.revision <= lastEarlier.revision);
          let state = decider.initialState();
          for (const e of upTo) state = decider.evolve(state, e.domain);
          return {
            events: earlier.map((e) => ({ ...e.domain, id: e.id, metadata: e.metadata })),
            nextExpectedRevision: lastEarlier.revision,
            position: lastEarlier.position,
            state,
            idempotentReplay: true,
          };
        }
      }

      const decided = decider.decide(command, loaded.state);
      let state = loaded.state;
      for (const e of decided) state = decider.evolve(state, e);
      if (decided.length === 0) {
        return {
          events: [],
          nextExpectedRevision: loaded.revision,
          position: loaded.position,
          state,
          idempotentReplay: false,
        };
      }

      const ownerId = decider.ownerOf?.(state) ?? command.metadata.ownerId;
      const metadata: EventMetadata = {
        correlationId: command.metadata.correlationId,
        causationId: command.metadata.causationId ?? null,
        actor: command.metadata.actor,
        occurredAt: command.metadata.now,
        ...(ownerId === undefined ? {} : { ownerId }),
        ...(key === undefined ? {} : { idempotencyKey: key }),
      };
      const ids = takeIds(options.newEventIds, decided.length);
      const stored: StoredDomainEvent<E>[] = decided.map((e, i) => ({ ...e, id: ids[i]!, metadata }));
      const toAppend: NewStoreEvent[] = stored.map((e) => ({
        id: e.id,
        type: e.type,
        data: e.data,
        metadata: e.metadata,
      }));
      const expectedRevision: ExpectedRevision = loaded.revision ?? 'no_stream';
      const appended = await store.appendToStream(streamId, toAppend, { expectedRevision });
      return {
        events: stored,
        nextExpectedRevision: appended.nextExpectedRevision,
        position: appended.position,
        state,
        idempotentReplay: false,
      };
    },
    isConflict,
    options.retry ?? defaultRetryPolicy,
  );
  return { ...value, attempts };
};
