import { canonicalSubjectFor } from './subjects';
import { ENVELOPE_VERSION, type EventEnvelope } from './envelope';
import { type JsonObject } from './json';

/**
 * The structural shape of a stored event that an envelope is built from (a `RecordedEvent` of
 * `@bpane/event-store` fits it; contracts do not depend on the store).
 */
export type EnvelopeSource = Readonly<{
  id: string;
  type: string;
  data: JsonObject;
  streamId: string;
  revision: bigint;
  position: bigint;
  recordedAt: Date;
  metadata: Readonly<{
    correlationId: string;
    causationId: string | null;
    actor: Readonly<{ kind: 'user' | 'service' | 'system'; id: string }>;
    occurredAt: string;
    ownerId?: string;
  }>;
}>;

export const envelopeFromEvent = (event: EnvelopeSource): EventEnvelope => ({
  v: ENVELOPE_VERSION,
  eventId: event.id,
  subject: canonicalSubjectFor(event.streamId, event.type),
  type: event.type,
  streamId: event.streamId,
  revision: event.revision.toString(),
  position: event.position.toString(),
  occurredAt: event.metadata.occurredAt,
  recordedAt: event.recordedAt.toISOString(),
  ownerId: event.metadata.ownerId ?? null,
  correlationId: event.metadata.correlationId,
  causationId: event.metadata.causationId,
  actor: { kind: event.metadata.actor.kind, id: event.metadata.actor.id },
  data: event.data,
});
