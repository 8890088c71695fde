import { describe, expect, it } from 'vitest';
import { eventStoreConfigFromEnv } from './config';
import { EventStoreConfigError, InvalidEventError } from './errors';
import type { NewEvent } from './types';
import {
  MAX_EVENTS_PER_APPEND,
  matchesFilter,
  validateExpectedRevision,
  validateFilter,
  validateNewEvents,
  validateReadAllOptions,
  validateStreamId,
  validateStreamMetadata,
} from './validation';

const metadata = {
  correlationId: 'c-1',
  causationId: null,
  actor: { kind: 'user', id: 'u-1' },
  occurredAt: '2026-01-01T00:00:00.000Z',
} as const;
const event = (over: Partial<Record<keyof NewEvent, unknown>> = {}): NewEvent =>
  ({
    id: '0b6f1a52-4c8e-4e0e-9f43-5f1c2a7c9d10',
    type: 'SessionStarted',
    data: { a: 1 },
    metadata,
    ...over,
  }) as NewEvent;

describe('validateStreamId', () => {
  it.each(['session-1', 'workflowRun-7f3a', 'a'])('accepts %s', (id) => {
    expect(validateStreamId(id)).toBe(id);
  });
  it.each([
    ['empty', ''],
    ['system', '$all'],
    ['padded', ' session-1'],
    ['NUL', 'a\u0000b'],
    ['too long', 'x'.repeat(513)],
    ['not a string', 42],
  ])('rejects %s', (_, id) => {
    expect(() => validateStreamId(id)).toThrow(InvalidEventError);
  });
});

describe('validateNewEvents', () => {
  it('accepts JSON objects and lower-cases ids', () => {
    const [e] = validateNewEvents('s', [event({ id: '0B6F1A52-4C8E-4E0E-9F43-5F1C2A7C9D10' })]);
    expect(e?.id).toBe('0b6f1a52-4c8e-4e0e-9f43-5f1c2a7c9d10');
  });

  it('accepts nested JSON, unicode and null', () => {
    expect(() =>
      validateNewEvents('s', [
        event({ data: { list: [1, 'two', null, { deep: [true] }], text: 'naïve ☃' } }),
      ]),
    ).not.toThrow();
  });

  it.each([
    ['a non-UUID id', { id: 'abc' }],
    ['an empty type', { type: '' }],
    ['a long type', { type: 'T'.repeat(257) }],
    ['array data', { data: [] }],
    ['null data', { data: null }],
    ['undefined inside data', { data: { a: undefined } }],
    ['a function inside data', { data: { f: () => 1 } }],
    ['a Map', { data: new Map() }],
    ['a Date inside data', { data: { at: new Date() } }],
    ['Infinity', { data: { n: Infinity } }],
    ['a symbol', { data: { s: Symbol('x') } }],
    ['a sparse array', { data: { a: new Array<number>(3) } }],
    ['a NUL in a key', { data: { 'a\u0000': 1 } }],
    ['metadata that is an array', { metadata: [] }],
  ])('rejects %s', (_, over) => {
    expect(() => validateNewEvents('s', [event(over)])).toThrow(InvalidEventError);
  });

  it('names the offending path', () => {
    expect(() => validateNewEvents('s', [event({ data: { outer: { at: new Date() } } })])).toThrow(
      /event 0 data\.outer\.at is a Date/,
    );
  });

  it('rejects empty, oversized and duplicate batches', () => {
    expect(() => validateNewEvents('s', [])).toThrow(/at least one event/);
    expect(() =>
      validateNewEvents(
        's',
        Array.from({ length: MAX_EVENTS_PER_APPEND + 1 }, () => event()),
      ),
    ).toThrow(/at most/);
    expect(() => validateNewEvents('s', [event(), event()])).toThrow(/appears twice/);
  });
});

describe('options', () => {
  it('expected revision', () => {
    expect(validateExpectedRevision(undefined, 's')).toBe('any');
    expect(validateExpectedRevision(3n, 's')).toBe(3n);
    for (const bad of [-1n, 3, 'latest', null]) {
      expect(() => validateExpectedRevision(bad, 's')).toThrow(InvalidEventError);
    }
  });

  it('readAll', () => {
    expect(validateReadAllOptions(undefined)).toEqual({
      direction: 'forwards',
      after: undefined,
      maxCount: undefined,
    });
    expect(() => validateReadAllOptions({ direction: 'up' as never })).toThrow(InvalidEventError);
    expect(() => validateReadAllOptions({ maxCount: 1.5 })).toThrow(InvalidEventError);
  });

  it('filters', () => {
    expect(validateFilter(undefined)).toBeNull();
    expect(validateFilter({})).toBeNull();
    expect(() => validateFilter({ streamPrefixes: [] })).toThrow(InvalidEventError);
    const f = validateFilter({ streamPrefixes: ['session-'], eventTypes: ['SessionStarted'] });
    expect(matchesFilter(f, 'session-1', 'SessionStarted')).toBe(true);
    expect(matchesFilter(f, 'session-1', 'SessionStopped')).toBe(false);
    expect(matchesFilter(f, 'workflow-1', 'SessionStarted')).toBe(false);
  });

  it('stream metadata', () => {
    expect(validateStreamMetadata({ maxAgeSec: 60, custom: { a: 1 } }, 's')).toEqual({
      maxAgeSec: 60,
      custom: { a: 1 },
    });
    expect(() => validateStreamMetadata({ maxCount: 0 }, 's')).toThrow(InvalidEventError);
    expect(() => validateStreamMetadata({ other: 1 }, 's')).toThrow(/unknown keys/);
  });
});

describe('eventStoreConfigFromEnv', () => {
  it('defaults to the embedded PostgreSQL store', () => {
    expect(eventStoreConfigFromEnv({})).toEqual({
      kind: 'postgres',
      connectionString: 'postgres://postgres@127.0.0.1:5432/bpane',
      schema: 'event_store',
      poolSize: 10,
    });
  });

  it('reads the EventStoreDB settings', () => {
    expect(
      eventStoreConfigFromEnv({
        BPANE_EVENT_STORE: 'eventstoredb',
        BPANE_EVENTSTORE_URL: 'esdb://es:2113?tls=false',
      }),
    ).toEqual({ kind: 'eventstoredb', connectionString: 'esdb://es:2113?tls=false' });
  });

  it.each([
    [{ BPANE_EVENT_STORE: 'mongo' }],
    [{ BPANE_EVENT_STORE: 'eventstoredb' }],
    [{ BPANE_EVENT_STORE_PG_POOL_SIZE: '0' }],
    [{ BPANE_EVENT_STORE_PG_SCHEMA: 'Bad-Name' }],
  ])('rejects %o', (env) => {
    expect(() => eventStoreConfigFromEnv(env)).toThrow(EventStoreConfigError);
  });
});
