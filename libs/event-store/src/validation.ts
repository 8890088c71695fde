import { InvalidEventError } from './errors';
import type {
  ExpectedRevision,
  JsonObject,
  NewEvent,
  ReadAllOptions,
  ReadDirection,
  ReadStreamOptions,
  StreamMetadata,
  SubscriptionFilter,
} from './types';

/**
 * Input validation shared by every adapter, so that both refuse the same input with the same
 * `InvalidEventError` before anything reaches a database (a bad append never writes anything).
 */

/** Longest stream id accepted (characters). */
export const MAX_STREAM_ID_LENGTH = 512;
/** Longest event type accepted (characters). */
export const MAX_EVENT_TYPE_LENGTH = 256;
/**
 * Most events in one append. The PostgreSQL adapter encodes the index of an event inside its
 * transaction in the low 16 bits of the position (docs/adr/0001-postgres-event-store-ordering.md).
 */
export const MAX_EVENTS_PER_APPEND = 65_535;

/** A short, safe rendering of a rejected value for error details. */
const show = (value: unknown): string => {
  if (typeof value === 'string') return value.length > 80 ? `${value.slice(0, 80)}…` : value;
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

export const validateStreamId = (streamId: unknown): string => {
  if (typeof streamId !== 'string' || streamId.length === 0) {
    throw new InvalidEventError('stream id must be a non-empty string', { streamId: show(streamId) });
  }
  if (streamId.length > MAX_STREAM_ID_LENGTH) {
    throw new InvalidEventError(`stream id is longer than ${MAX_STREAM_ID_LENGTH} characters`, {
      length: streamId.length,
    });
  }
  if (streamId.startsWith('$')) {
    throw new InvalidEventError('stream ids starting with "$" are reserved for the store', { streamId });
  }
  if (streamId.includes('\u0000')) {
    throw new InvalidEventError('stream id must not contain NUL characters', { streamId });
  }
  if (streamId.trim() !== streamId) {
    throw new InvalidEventError('stream id must not start or end with white space', { streamId });
  }
  return streamId;
};

/** Why a value is not JSON-safe, or null when it is. Walks iteratively; detects cycles. */
const jsonProblem = (root: unknown): string | null => {
  const seen = new Set<object>();
  const stack: { value: unknown; path: string }[] = [{ value: root, path: '$' }];
  while (stack.length > 0) {
    const { value, path } = stack.pop()!;
    switch (typeof value) {
      case 'string':
        if (value.includes('\u0000')) return `${path} contains a NUL character`;
        continue;
      case 'boolean':
        continue;
      case 'number':
        if (!Number.isFinite(value)) return `${path} is ${String(value)}, which JSON cannot represent`;
        continue;
      case 'object': {
        if (value === null) continue;
        if (seen.has(value)) return `${path} is a circular reference`;
        seen.add(value);
        if (Array.isArray(value)) {
          for (let i = 0; i < value.length; i++) {
            if (!(i in value)) return `${path}[${i}] is a hole in a sparse array`;
            stack.push({ value: value[i], path: `${path}[${i}]` });
          }
          continue;
        }
        const proto = Object.getPrototypeOf(value) as unknown;
        if (proto !== Object.prototype && proto !== null) {
          const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
          return `${path} is a ${name}, not a plain object (convert it, e.g. dates to ISO strings)`;
        }
        for (const [key, child] of Object.entries(value)) {
          if (key.includes('\u0000')) return `${path} has a key with a NUL character`;
          stack.push({ value: child, path: `${path}.${key}` });
        }
        if (Object.getOwnPropertySymbols(value).length > 0) return `${path} has symbol keys`;
        continue;
      }
      case 'undefined':
        return `${path} is undefined (omit the key or use null)`;
      case 'bigint':
        return `${path} is a bigint (encode it as a string)`;
      case 'function':
      case 'symbol':
        return `${path} is a ${typeof value}`;
    }
  }
  return null;
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' &&
  value !== null &&
  !Array.isArray(value) &&
  [Object.prototype, null].includes(Object.getPrototypeOf(value) as object | null);

export const validateJsonObject = (
  value: unknown,
  what: string,
  details: Record<string, unknown>,
): JsonObject => {
  if (!isPlainObject(value)) throw new InvalidEventError(`${what} must be a plain JSON object`, details);
  const problem = jsonProblem(value);
  if (problem !== null) {
    throw new InvalidEventError(`${what} is not JSON-safe: ${problem.replace(/^\$/, what)}`, details);
  }
  return value as JsonObject;
};

/** A validated event with its id normalised to lower case. */
export type ValidEvent = NewEvent & Readonly<{ id: string }>;

/**
 * Validates a batch for `appendToStream`. Returns the events with ids normalised to lower case
 * (both adapters return ids in lower case).
 */
export const validateNewEvents = (streamId: string, events: readonly NewEvent[]): ValidEvent[] => {
  if (!Array.isArray(events)) throw new InvalidEventError('events must be an array', { streamId });
  if (events.length === 0) throw new InvalidEventError('an append needs at least one event', { streamId });
  if (events.length > MAX_EVENTS_PER_APPEND) {
    throw new InvalidEventError(`an append holds at most ${MAX_EVENTS_PER_APPEND} events`, {
      streamId,
      count: events.length,
    });
  }
  const ids = new Set<string>();
  return events.map((event: unknown, index) => {
    const at = { streamId, index };
    if (!isPlainObject(event)) throw new InvalidEventError(`event ${index} is not an object`, at);
    const { id, type, data, metadata } = event as Partial<NewEvent>;
    if (!isUuid(id))
      throw new InvalidEventError(`event ${index}: id must be a UUID`, { ...at, id: show(id) });
    const lowerId = id.toLowerCase();
    if (ids.has(lowerId))
      throw new InvalidEventError(`event ${index}: id ${lowerId} appears twice in the batch`, at);
    ids.add(lowerId);
    if (typeof type !== 'string' || type.length === 0 || type.length > MAX_EVENT_TYPE_LENGTH) {
      throw new InvalidEventError(
        `event ${index}: type must be a non-empty string of at most ${MAX_EVENT_TYPE_LENGTH} characters`,
        at,
      );
    }
    if (type.includes('\u0000'))
      throw new InvalidEventError(`event ${index}: type contains a NUL character`, at);
    const details = { ...at, id: lowerId, type };
    validateJsonObject(data, `event ${index} data`, details);
    validateJsonObject(metadata, `event ${index} metadata`, details);
    return { id: lowerId, type, data: data!, metadata: metadata! };
  });
};

export const validateExpectedRevision = (expected: unknown, streamId: string): ExpectedRevision => {
  if (expected === undefined) return 'any';
  if (expected === 'any' || expected === 'no_stream' || expected === 'stream_exists') return expected;
  if (typeof expected === 'bigint' && expected >= 0n) return expected;
  throw new InvalidEventError(
    "expectedRevision must be 'any', 'no_stream', 'stream_exists' or a revision >= 0n (a bigint)",
    { streamId, expectedRevision: show(expected) },
  );
};

export const expectedRevisionText = (expected: ExpectedRevision): string =>
  typeof expected === 'bigint' ? expected.toString() : expected;

const validateCount = (value: unknown, what: string): number | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new InvalidEventError(`${what} must be a non-negative integer`, { [what]: show(value) });
  }
  return value;
};

const validateDirection = (value: unknown): ReadDirection => {
  if (value === undefined || value === 'forwards') return 'forwards';
  if (value === 'backwards') return 'backwards';
  throw new InvalidEventError("direction must be 'forwards' or 'backwards'", { direction: show(value) });
};

const validatePosition = (value: unknown, what: string): bigint | undefined => {
  if (value === undefined) return undefined;
  if (typeof value !== 'bigint' || value < 0n) {
    throw new InvalidEventError(`${what} must be a bigint >= 0n`, { [what]: show(value) });
  }
  return value;
};

export type ValidReadStreamOptions = Readonly<{
  direction: ReadDirection;
  fromRevision: bigint | undefined;
  maxCount: number | undefined;
}>;

export const validateReadStreamOptions = (
  options: ReadStreamOptions | undefined,
): ValidReadStreamOptions => ({
  direction: validateDirection(options?.direction),
  fromRevision: validatePosition(options?.fromRevision, 'fromRevision'),
  maxCount: validateCount(options?.maxCount, 'maxCount'),
});

export type ValidReadAllOptions = Readonly<{
  direction: ReadDirection;
  after: bigint | undefined;
  maxCount: number | undefined;
}>;

export const validateReadAllOptions = (options: ReadAllOptions | undefined): ValidReadAllOptions => ({
  direction: validateDirection(options?.direction),
  after: validatePosition(options?.after, 'after'),
  maxCount: validateCount(options?.maxCount, 'maxCount'),
});

export const validateAfter = (after: unknown): bigint => validatePosition(after, 'after') ?? 0n;

export type ValidFilter = Readonly<{
  streamPrefixes: readonly string[];
  eventTypes: readonly string[];
}> | null;

export const validateFilter = (filter: SubscriptionFilter | undefined): ValidFilter => {
  if (filter === undefined) return null;
  const list = (value: unknown, what: string): readonly string[] => {
    if (value === undefined) return [];
    if (
      !Array.isArray(value) ||
      value.length === 0 ||
      !value.every((v): v is string => typeof v === 'string' && v.length > 0)
    ) {
      throw new InvalidEventError(`filter.${what} must be a non-empty array of non-empty strings`);
    }
    return value;
  };
  const streamPrefixes = list(filter.streamPrefixes, 'streamPrefixes');
  const eventTypes = list(filter.eventTypes, 'eventTypes');
  return streamPrefixes.length === 0 && eventTypes.length === 0 ? null : { streamPrefixes, eventTypes };
};

export const matchesFilter = (filter: ValidFilter, streamId: string, type: string): boolean =>
  filter === null ||
  ((filter.streamPrefixes.length === 0 || filter.streamPrefixes.some((p) => streamId.startsWith(p))) &&
    (filter.eventTypes.length === 0 || filter.eventTypes.includes(type)));

export const validateStreamMetadata = (metadata: unknown, streamId: string): StreamMetadata => {
  if (!isPlainObject(metadata))
    throw new InvalidEventError('stream metadata must be an object', { streamId });
  const { maxAgeSec, maxCount, custom, ...rest } = metadata;
  const unknownKeys = Object.keys(rest);
  if (unknownKeys.length > 0) {
    throw new InvalidEventError(`stream metadata has unknown keys: ${unknownKeys.join(', ')}`, { streamId });
  }
  for (const [key, value] of [
    ['maxAgeSec', maxAgeSec],
    ['maxCount', maxCount],
  ] as const) {
    if (value !== undefined && (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1)) {
      throw new InvalidEventError(`stream metadata ${key} must be a positive integer`, { streamId });
    }
  }
  const out: { maxAgeSec?: number; maxCount?: number; custom?: JsonObject } = {};
  if (maxAgeSec !== undefined) out.maxAgeSec = maxAgeSec as number;
  if (maxCount !== undefined) out.maxCount = maxCount as number;
  if (custom !== undefined) out.custom = validateJsonObject(custom, 'stream metadata custom', { streamId });
  return out;
};
