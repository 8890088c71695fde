/**
 * The event-store port: one contract, two adapters (PostgreSQL — the embedded default — and
 * EventStoreDB/KurrentDB). Everything above the store (command pipeline, projector, publisher,
 * audit and replay) depends on this file only.
 *
 * Positions and revisions are `bigint`:
 *  - `revision` is the 0-based index of an event inside its stream;
 *  - `position` is the event's place in the global log; strictly increasing in the order in which a
 *    reader of the global log sees events. Positions need not be dense.
 */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };

/** Who caused an event. `ownerId` is the principal that owns the affected resource (audit scope). */
export type Actor = Readonly<{
  kind: 'user' | 'service' | 'system';
  id: string;
}>;

export type EventMetadata = Readonly<{
  correlationId: string;
  causationId: string | null;
  actor: Actor;
  /** ISO-8601 instant at which the command that produced the event was decided. */
  occurredAt: string;
  /** Owner of the aggregate the event belongs to; `/api/v1/events` is scoped by it. */
  ownerId?: string;
  idempotencyKey?: string;
}>;

/** An event as produced by a decider, before it is stored. `id` is a UUID chosen by the caller. */
export type NewEvent<Type extends string = string, Data extends JsonObject = JsonObject> = Readonly<{
  id: string;
  type: Type;
  data: Data;
  metadata: EventMetadata;
}>;

/** An event as read back from the store. */
export type RecordedEvent<Type extends string = string, Data extends JsonObject = JsonObject> = Readonly<{
  id: string;
  type: Type;
  data: Data;
  metadata: EventMetadata;
  streamId: string;
  revision: bigint;
  position: bigint;
  /** When the store committed the event. */
  recordedAt: Date;
}>;

/**
 * Expected state of a stream for an append:
 *  - `'no_stream'`: the stream must not exist yet;
 *  - `'stream_exists'`: the stream must exist (any revision);
 *  - `'any'`: no check;
 *  - a bigint: the revision of the stream's last event must equal it.
 */
export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | bigint;

export type AppendOptions = Readonly<{ expectedRevision?: ExpectedRevision }>;

export type AppendResult = Readonly<{
  /** Revision of the last event now in the stream. */
  nextExpectedRevision: bigint;
  /** Global position of the last appended event. */
  position: bigint;
}>;

export type ReadDirection = 'forwards' | 'backwards';

export type ReadStreamOptions = Readonly<{
  direction?: ReadDirection;
  /** Inclusive start revision (forwards: default 0; backwards: default the end). */
  fromRevision?: bigint;
  maxCount?: number;
}>;

export type ReadAllOptions = Readonly<{
  direction?: ReadDirection;
  /** Exclusive: forwards returns events with a position greater than this (backwards: less). */
  after?: bigint;
  maxCount?: number;
}>;

export type SubscriptionFilter = Readonly<{
  /** Only streams whose id starts with one of these prefixes. */
  streamPrefixes?: readonly string[];
  /** Only these event types. */
  eventTypes?: readonly string[];
}>;

export type SubscribeToAllOptions = Readonly<{
  /** Exclusive checkpoint: deliver events with a position greater than this; omit for the start. */
  after?: bigint;
  filter?: SubscriptionFilter;
  signal?: AbortSignal;
}>;

/** A catch-up-then-live subscription to the global log. Ends when closed or aborted. */
export interface Subscription extends AsyncIterable<RecordedEvent> {
  close(): Promise<void>;
}

export type StreamMetadata = Readonly<{
  /** Events older than this many seconds may be scavenged (advisory for the PostgreSQL store). */
  maxAgeSec?: number;
  maxCount?: number;
  custom?: JsonObject;
}>;

export interface EventStore {
  appendToStream(
    streamId: string,
    events: readonly NewEvent[],
    options?: AppendOptions,
  ): Promise<AppendResult>;
  /** Throws `StreamNotFoundError` when the stream has no events. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;
  subscribeToAll(options?: SubscribeToAllOptions): Subscription;
  getStreamMetadata(streamId: string): Promise<StreamMetadata | null>;
  setStreamMetadata(streamId: string, metadata: StreamMetadata): Promise<void>;
  /** Position of the newest event in the global log (0n when empty). */
  headPosition(): Promise<bigint>;
  close(): Promise<void>;
}
