import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  canonicalSubjectFor,
  ContractError,
  contextOfStream,
  decodeEnvelope,
  encodeEnvelope,
  envelopeFromEvent,
  eventsStreamDefinition,
  eventTypeToken,
  isKnownEnvelope,
  subjectMatches,
  toCanonicalSubject,
  toWireSubject,
  assertSubjectPattern,
  type KnownEnvelope,
  type SubjectsMatching,
  type EnvelopeSource,
} from './index';

const source = (over: Partial<EnvelopeSource> = {}): EnvelopeSource => ({
  id: '0d9c5f0e-0000-4000-8000-000000000001',
  type: 'ProjectCreated',
  data: {
    projectId: 'p1',
    ownerId: 'u1',
    name: 'support-tenant',
    description: null,
    labels: { team: 'support' },
    quotas: { maxActiveSessions: 5, maxActiveWorkflowRuns: null, maxRetainedStorageBytes: null },
    createdAt: '2026-01-02T03:04:04.000Z',
  },
  streamId: 'project-p1',
  revision: 0n,
  position: 9_007_199_254_740_993n,
  recordedAt: new Date('2026-01-02T03:04:05.000Z'),
  metadata: {
    correlationId: 'c1',
    causationId: null,
    actor: { kind: 'user', id: 'u1' },
    occurredAt: '2026-01-02T03:04:04.000Z',
    ownerId: 'u1',
  },
  ...over,
});

const expectContractError = (fn: () => unknown, code: ContractError['code']): void => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ContractError);
    expect((e as ContractError).code).toBe(code);
    return;
  }
  throw new Error('expected a ContractError');
};

describe('subjects', () => {
  it('maps stream prefixes to contexts and unknown prefixes to "unmapped"', () => {
    expect(contextOfStream('project-3f2a-11')).toBe('projects');
    expect(contextOfStream('workflowRun-abc')).toBe('workflows');
    expect(contextOfStream('sessionTemplate-1')).toBe('sessions');
    expect(contextOfStream('nothing-1')).toBe('unmapped');
    expect(contextOfStream('toString-1')).toBe('unmapped');
    expect(contextOfStream('project')).toBe('projects');
  });

  it('turns versioned and odd event types into one subject token', () => {
    expect(eventTypeToken('ProjectCreated')).toBe('ProjectCreated');
    expect(eventTypeToken('ProjectCreated.v2')).toBe('ProjectCreated_v2');
    expect(eventTypeToken('a b*>')).toBe('a_b__');
    expect(eventTypeToken('')).toBe('_');
    expect(canonicalSubjectFor('project-1', 'ProjectArchived')).toBe('bpane.projects.ProjectArchived');
  });

  it('rewrites between the canonical and a test root', () => {
    expect(toWireSubject('bpane.projects.*', 'bpane_t1')).toBe('bpane_t1.projects.*');
    expect(toCanonicalSubject('bpane_t1.projects.ProjectCreated', 'bpane_t1')).toBe(
      'bpane.projects.ProjectCreated',
    );
    expectContractError(() => toWireSubject('other.projects', 'x'), 'invalid_subject');
    expectContractError(() => toWireSubject('bpane.x', 'bad root'), 'invalid_subject');
    expectContractError(() => toCanonicalSubject('other.projects.X', 'bpane'), 'invalid_subject');
  });

  it('matches NATS wildcards', () => {
    expect(subjectMatches('bpane.projects.*', 'bpane.projects.ProjectCreated')).toBe(true);
    expect(subjectMatches('bpane.projects.*', 'bpane.projects.a.b')).toBe(false);
    expect(subjectMatches('bpane.>', 'bpane.projects.a.b')).toBe(true);
    expect(subjectMatches('bpane.>', 'bpane')).toBe(false);
    expect(subjectMatches('bpane.*.ProjectCreated', 'bpane.projects.ProjectCreated')).toBe(true);
    expect(subjectMatches('bpane.sessions.*', 'bpane.projects.ProjectCreated')).toBe(false);
    expect(assertSubjectPattern('bpane.projects.*')).toBe('bpane.projects.*');
    expectContractError(() => assertSubjectPattern('bpane.>.x'), 'invalid_subject');
    expectContractError(() => assertSubjectPattern('foo.projects.*'), 'invalid_subject');
  });

  it('types payloads by pattern', () => {
    expectTypeOf<SubjectsMatching<'bpane.projects.*'>>().toEqualTypeOf<
      | 'bpane.projects.ProjectCreated'
      | 'bpane.projects.ProjectUpdated'
      | 'bpane.projects.ProjectArchived'
      | 'bpane.projects.ProjectUnarchived'
    >();
    expectTypeOf<
      SubjectsMatching<'bpane.*.ProjectCreated'>
    >().toEqualTypeOf<'bpane.projects.ProjectCreated'>();
    expectTypeOf<SubjectsMatching<'bpane.webhooks.*'>>().toEqualTypeOf<never>();
    expectTypeOf<KnownEnvelope<'bpane.projects.ProjectCreated'>['data']['name']>().toEqualTypeOf<string>();
  });
});

describe('envelope', () => {
  it('round-trips a stored event, keeping 64-bit positions exact', () => {
    const envelope = envelopeFromEvent(source());
    expect(envelope.subject).toBe('bpane.projects.ProjectCreated');
    expect(envelope.position).toBe('9007199254740993');
    expect(envelope.ownerId).toBe('u1');
    const decoded = decodeEnvelope(encodeEnvelope(envelope));
    expect(decoded).toEqual(envelope);
    expect(isKnownEnvelope(decoded)).toBe(true);
  });

  it('passes events without a contract through unchecked', () => {
    const envelope = envelopeFromEvent(source({ streamId: 'mystery-1', type: 'Odd.v3', data: { x: [1] } }));
    expect(envelope.subject).toBe('bpane.unmapped.Odd_v3');
    expect(envelope.type).toBe('Odd.v3');
    expect(isKnownEnvelope(decodeEnvelope(JSON.stringify(envelope)))).toBe(false);
  });

  it('rejects malformed bodies and payloads with typed errors', () => {
    expectContractError(() => decodeEnvelope('{'), 'invalid_envelope');
    expectContractError(() => decodeEnvelope('[]'), 'invalid_envelope');
    const good = envelopeFromEvent(source());
    expectContractError(() => decodeEnvelope(JSON.stringify({ ...good, position: 12 })), 'invalid_envelope');
    expectContractError(
      () => decodeEnvelope(JSON.stringify({ ...good, actor: { kind: 'x', id: 'y' } })),
      'invalid_envelope',
    );
    try {
      decodeEnvelope(JSON.stringify({ ...good, data: { ...good.data, name: 7 } }));
      throw new Error('not rejected');
    } catch (e) {
      expect((e as ContractError).code).toBe('invalid_payload');
      expect((e as ContractError).message).toContain('data.name must be a non-empty string');
    }
    try {
      decodeEnvelope(
        JSON.stringify({
          ...good,
          subject: 'bpane.projects.ProjectUpdated',
          data: { ...good.data, changedFields: ['owner'] },
        }),
      );
      throw new Error('not rejected');
    } catch (e) {
      expect((e as ContractError).code).toBe('invalid_payload');
      expect((e as ContractError).message).toContain(
        'data.changedFields[0] must be one of name, description, labels, quotas',
      );
      expect((e as ContractError).message).toContain('data.updatedAt is required');
    }
  });
});

describe('events stream definition', () => {
  it('defaults to BPANE_EVENTS on bpane.>', () => {
    const d = eventsStreamDefinition();
    expect(d).toMatchObject({ name: 'BPANE_EVENTS', subjects: ['bpane.>'], duplicateWindowMs: 600_000 });
    expect(eventsStreamDefinition({ name: 'T_1', subjectRoot: 'bpane_t1' }).subjects).toEqual(['bpane_t1.>']);
  });

  it('rejects bad names and windows', () => {
    expectContractError(() => eventsStreamDefinition({ name: 'a.b' }), 'invalid_stream_config');
    expectContractError(() => eventsStreamDefinition({ duplicateWindowMs: 5 }), 'invalid_stream_config');
    expectContractError(() => eventsStreamDefinition({ maxAgeMs: 2000 }), 'invalid_stream_config');
    expectContractError(() => eventsStreamDefinition({ subjectRoot: 'a b' }), 'invalid_subject');
  });
});
