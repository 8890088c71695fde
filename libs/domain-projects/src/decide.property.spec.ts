import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fold, isDomainError, type CommandMetadata } from '@bpane/ddd';
import type { ProjectCommand } from './commands';
import { projectDecider } from './decide';
import type { ProjectEvent } from './events';
import type { ProjectState } from './project';
import { LABEL_KEY, projectLimits } from './validation';

const id = '0f8fe3a4-5a9c-4d0e-9c43-5c1f1b7f2d10';
const owners = ['alice', 'bob'] as const;

const metadata = fc.record({
  now: fc
    .date({ min: new Date('2026-01-01'), max: new Date('2027-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString()),
  actor: fc.constantFrom(...owners).map((o) => ({ kind: 'user' as const, id: o })),
  correlationId: fc.constant('c'),
}) as fc.Arbitrary<CommandMetadata>;

const name = fc.oneof(fc.string({ maxLength: 130 }), fc.constantFrom('ok', '  padded  ', '', '\u0007'));
const labels = fc.dictionary(
  fc.oneof(fc.constantFrom('env', 'team', 'a.b/c'), fc.string({ maxLength: 6 })),
  fc.string({ maxLength: 8 }),
  { maxKeys: 4 },
);
const quota = fc.oneof(fc.constant(null), fc.integer({ min: -2, max: 100_002 }));
const quotas = fc.record({ maxActiveSessions: quota, maxActiveWorkflowRuns: quota }, { requiredKeys: [] });

const command: fc.Arbitrary<ProjectCommand> = fc.oneof(
  fc.record({
    type: fc.constant('CreateProject' as const),
    data: fc.record(
      { projectId: fc.constant(id), name, labels, quotas },
      { requiredKeys: ['projectId', 'name'] },
    ),
    metadata,
  }),
  fc.record({
    type: fc.constant('UpdateProject' as const),
    data: fc.record(
      {
        projectId: fc.constant(id),
        name,
        description: fc.oneof(fc.constant(null), fc.string({ maxLength: 10 })),
        labels,
        quotas,
      },
      { requiredKeys: ['projectId'] },
    ),
    metadata,
  }),
  fc.record({ type: fc.constant('ArchiveProject' as const), data: fc.constant({ projectId: id }), metadata }),
  fc.record({
    type: fc.constant('UnarchiveProject' as const),
    data: fc.constant({ projectId: id }),
    metadata,
  }),
);

describe('project decider properties', () => {
  it('only ever yields events or coded domain errors, and keeps its invariants', () => {
    fc.assert(
      fc.property(fc.array(command, { maxLength: 25 }), (commands) => {
        let state: ProjectState = projectDecider.initialState();
        const history: ProjectEvent[] = [];
        // A reference model of the life cycle, independent of the decider.
        let model: { status: 'absent' | 'active' | 'archived'; owner?: string } = { status: 'absent' };
        for (const c of commands) {
          let events: readonly ProjectEvent[];
          try {
            events = projectDecider.decide(c, state);
          } catch (error) {
            expect(isDomainError(error)).toBe(true);
            continue;
          }
          const mine = model.owner === undefined || model.owner === c.metadata.actor.id;
          switch (c.type) {
            case 'CreateProject':
              expect(model.status).toBe('absent');
              model = { status: 'active', owner: c.metadata.actor.id };
              break;
            case 'UpdateProject':
              expect(model.status === 'active' && mine).toBe(true);
              break;
            case 'ArchiveProject':
              expect(model.status === 'active' && mine).toBe(true);
              model = { ...model, status: 'archived' };
              break;
            case 'UnarchiveProject':
              expect(model.status === 'archived' && mine).toBe(true);
              model = { ...model, status: 'active' };
              break;
          }
          for (const e of events) {
            expect(JSON.parse(JSON.stringify(e))).toEqual(e);
            state = projectDecider.evolve(state, e);
            history.push(e);
          }
          expect(state.status).toBe(model.status);
          if (state.status !== 'absent') {
            expect(state.ownerId).toBe(model.owner);
            expect(state.name).toBe(state.name.trim());
            expect(state.name.length).toBeGreaterThan(0);
            expect([...state.name].length).toBeLessThanOrEqual(projectLimits.nameMaxLength);
            for (const key of Object.keys(state.labels)) expect(LABEL_KEY.test(key)).toBe(true);
            for (const q of [state.quotas.maxActiveSessions, state.quotas.maxActiveWorkflowRuns]) {
              if (q !== null) expect(q >= 0 && q <= projectLimits.maxActiveSessions).toBe(true);
            }
          }
        }
        // Replaying the recorded history gives the same state.
        expect(fold(projectDecider, history)).toEqual(state);
      }),
      { numRuns: 300, seed: 20260301 },
    );
  });
});
