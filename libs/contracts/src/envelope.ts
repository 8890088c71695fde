import { ContractError } from './errors';
import {
  type IntegrationEventMap,
  integrationEventGuards,
  isKnownSubject,
  type KnownSubject,
} from './event-map';
import { type JsonObject, isJsonObject } from './json';

export const ENVELOPE_VERSION = 1;

/** Header names set on every published message (besides the JSON envelope as body). */
export const HEADERS = {
  /** JetStream de-duplication: the event id. */
  msgId: 'Nats-Msg-Id',
  eventType: 'Bpane-Event-Type',
  position: 'Bpane-Position',
  streamId: 'Bpane-Stream-Id',
} as const;

export type EnvelopeActor = Readonly<{ kind: 'user' | 'service' | 'system'; id: string }>;

/**
 * The body of every message on `bpane.>` (JSON, UTF-8). Positions and revisions are decimal
 * strings because they are 64-bit integers in the store.
 */
export type EventEnvelope<S extends string = string, D = JsonObject> = Readonly<{
  v: typeof ENVELOPE_VERSION;
  /** Event id (UUID); also the `Nats-Msg-Id` header. Consumers de-duplicate by it. */
  eventId: string;
  /** Canonical subject (`bpane.<context>.<EventTypeToken>`), whatever root the wire used. */
  subject: S;
  /** The stored event type, unchanged (may contain `.`, e.g. `ProjectCreated.v2`). */
  type: string;
  streamId: string;
  revision: string;
  position: string;
  occurredAt: string;
  recordedAt: string;
  ownerId: string | null;
  correlationId: string;
  causationId: string | null;
  actor: EnvelopeActor;
  data: D;
}>;

/** The envelope of a known subject, discriminated by `subject`. */
export type KnownEnvelope<S extends KnownSubject = KnownSubject> = {
  [K in S]: EventEnvelope<K, IntegrationEventMap[K]>;
}[S];

const DECIMAL = /^(0|[1-9][0-9]*)$/;

const problemsOf = (value: unknown): string[] => {
  if (!isJsonObject(value)) return ['envelope must be a JSON object'];
  const p: string[] = [];
  const need = (key: string, ok: boolean, what: string): void => {
    if (!ok) p.push(`${key} ${what}`);
  };
  const isStr = (k: string): boolean => typeof value[k] === 'string' && value[k].length > 0;
  need('v', value['v'] === ENVELOPE_VERSION, `must be ${ENVELOPE_VERSION}`);
  for (const k of ['eventId', 'subject', 'type', 'streamId', 'occurredAt', 'recordedAt', 'correlationId'])
    need(k, isStr(k), 'must be a non-empty string');
  for (const k of ['revision', 'position'])
    need(k, typeof value[k] === 'string' && DECIMAL.test(value[k]), 'must be a decimal string');
  for (const k of ['ownerId', 'causationId'])
    need(k, value[k] === null || isStr(k), 'must be a non-empty string or null');
  const actor = value['actor'];
  need(
    'actor',
    isJsonObject(actor) &&
      (actor['kind'] === 'user' || actor['kind'] === 'service' || actor['kind'] === 'system') &&
      typeof actor['id'] === 'string',
    'must be {kind: user|service|system, id}',
  );
  need('data', isJsonObject(value['data']), 'must be a JSON object');
  return p;
};

/** Parses and checks an envelope (and, for a known subject, its payload). Throws `ContractError`. */
export const decodeEnvelope = (body: Uint8Array | string): EventEnvelope => {
  let value: unknown;
  try {
    value = JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(body));
  } catch (cause) {
    throw new ContractError('invalid_envelope', 'message body is not valid JSON', { cause });
  }
  const problems = problemsOf(value);
  if (problems.length > 0) {
    throw new ContractError('invalid_envelope', `invalid event envelope: ${problems.join('; ')}`, {
      details: { problems },
    });
  }
  const envelope = value as EventEnvelope;
  if (isKnownSubject(envelope.subject)) assertPayload(envelope.subject, envelope.data);
  return envelope;
};

export function assertPayload<S extends KnownSubject>(
  subject: S,
  data: unknown,
): asserts data is IntegrationEventMap[S] {
  const problems = integrationEventGuards[subject](data, 'data');
  if (problems.length > 0) {
    throw new ContractError('invalid_payload', `payload of ${subject} is invalid: ${problems.join('; ')}`, {
      details: { subject, problems },
    });
  }
}

export const isKnownEnvelope = (envelope: EventEnvelope): envelope is KnownEnvelope =>
  isKnownSubject(envelope.subject);

export const encodeEnvelope = (envelope: EventEnvelope): Uint8Array =>
  new TextEncoder().encode(JSON.stringify(envelope));
