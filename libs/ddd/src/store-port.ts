/**
 * The slice of the event-store port (`@bpane/event-store`) that the decider toolkit needs, restated
 * structurally so this utility library stays free of infrastructure dependencies. Any
 * `EventStore` from `@bpane/event-store` satisfies `CommandStore`; a drift between the two shows
 * up as a compile error where the store is passed in.
 */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | readonly JsonValue[] | { readonly [key: string]: JsonValue };
export type JsonObject = { readonly [key: string]: JsonValue };

export type Actor = Readonly<{ kind: 'user' | 'service' | 'system'; id: string }>;

export type EventMetadata = Readonly<{
  correlationId: string;
  causationId: string | null;
  actor: Actor;
  occurredAt: string;
  ownerId?: string;
  idempotencyKey?: string;
}>;

export type NewStoreEvent = Readonly<{ id: string; type: string; data: JsonObject; metadata: EventMetadata }>;

export type StoredEvent = NewStoreEvent & Readonly<{ streamId: string; revision: bigint; position: bigint }>;

export type ExpectedRevision = 'no_stream' | 'stream_exists' | 'any' | bigint;

export interface CommandStore {
  appendToStream(
    streamId: string,
    events: readonly NewStoreEvent[],
    options?: Readonly<{ expectedRevision?: ExpectedRevision }>,
  ): Promise<Readonly<{ nextExpectedRevision: bigint; position: bigint }>>;
  /** Rejects with a coded `stream_not_found` error when the stream has no events. */
  readStream(streamId: string): Promise<readonly StoredEvent[]>;
}
