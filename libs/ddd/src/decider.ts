import type { Actor, JsonObject } from './store-port';

/** A domain event as a decider sees it: JSON-safe, immutable, versioned by its type name. */
export type DomainEvent<Type extends string = string, Data extends JsonObject = JsonObject> = Readonly<{
  type: Type;
  data: Data;
}>;

/**
 * Everything impure a decision needs arrives with the command: the clock (`now`), who asks
 * (`actor`), tracing ids and an optional idempotency key. Deciders never read a clock.
 */
export type CommandMetadata = Readonly<{
  /** ISO-8601 instant; becomes `occurredAt` of the resulting events. */
  now: string;
  actor: Actor;
  correlationId: string;
  /** Id of the message (request, event, job) that caused this command; null for a user action. */
  causationId?: string | null;
  /** Owner of the target aggregate when the caller knows it; otherwise derived by `ownerOf`. */
  ownerId?: string;
  /** A command whose key was already applied to the same stream is not decided again. */
  idempotencyKey?: string;
}>;

/** Commands need not be JSON-safe (optional fields are fine); they are never stored. */
export type Command<Type extends string = string, Data extends object = object> = Readonly<{
  type: Type;
  data: Data;
  metadata: CommandMetadata;
}>;

/**
 * A pure decision model. `decide` throws a `DomainError` for a command that is invalid in `state`
 * and returns zero or more events otherwise; `evolve` must be total over the event union.
 */
export type Decider<C extends Command, E extends DomainEvent, S> = Readonly<{
  decide: (command: C, state: S) => readonly E[];
  evolve: (state: S, event: E) => S;
  initialState: () => S;
  /** Owner of the aggregate in `state`, written into every event's metadata. */
  ownerOf?: (state: S) => string | undefined;
}>;

/** Any decider, for registries and tools that do not know the concrete types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDecider = Decider<any, any, any>;

export const fold = <E extends DomainEvent, S>(
  decider: Pick<Decider<Command, E, S>, 'evolve' | 'initialState'>,
  events: readonly E[],
  from: S = decider.initialState(),
): S => events.reduce((state, event) => decider.evolve(state, event), from);
