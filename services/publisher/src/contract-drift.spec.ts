import {
  canonicalSubjectFor,
  integrationEventGuards,
  isKnownSubject,
  type ProjectArchivedV1 as ArchivedContract,
  type ProjectCreatedV1 as CreatedContract,
  type ProjectUnarchivedV1 as UnarchivedContract,
  type ProjectUpdatedV1 as UpdatedContract,
} from '@bpane/contracts';
import { type CommandMetadata, fold } from '@bpane/ddd';
import {
  projectDecider,
  projectStreamId,
  type ProjectArchived,
  type ProjectCommand,
  type ProjectCreated,
  type ProjectEvent,
  type ProjectUnarchived,
  type ProjectUpdated,
} from '@bpane/domain-projects';
import { describe, expect, expectTypeOf, it } from 'vitest';

/**
 * The published payload of a project event is the stored event's data, so the contracts in
 * `@bpane/contracts` must accept everything the project decider can emit — checked here at the
 * type level and at run time against real decisions.
 */
const projectId = '6f7d2f44-3c1b-4f7e-9a52-0c0a5d1e2b33';
const meta = (now: string): CommandMetadata => ({
  now,
  actor: { kind: 'user', id: 'alice' },
  correlationId: 'c',
});

describe('project integration contracts', () => {
  it('are satisfied by the domain event types', () => {
    expectTypeOf<ProjectCreated['data']>().toMatchTypeOf<CreatedContract>();
    expectTypeOf<ProjectUpdated['data']>().toMatchTypeOf<UpdatedContract>();
    expectTypeOf<ProjectArchived['data']>().toMatchTypeOf<ArchivedContract>();
    expectTypeOf<ProjectUnarchived['data']>().toMatchTypeOf<UnarchivedContract>();
  });

  it('accept every event the decider emits', () => {
    const commands: Omit<ProjectCommand, 'metadata'>[] = [
      {
        type: 'CreateProject',
        data: {
          projectId,
          name: 'support',
          description: 'desk',
          labels: { team: 'a' },
          quotas: { maxActiveSessions: 3 },
        },
      },
      {
        type: 'UpdateProject',
        data: { projectId, name: 'support-2', labels: {}, quotas: { maxActiveWorkflowRuns: 7 } },
      },
      { type: 'ArchiveProject', data: { projectId } },
      { type: 'UnarchiveProject', data: { projectId } },
    ];
    const emitted: ProjectEvent[] = [];
    let i = 0;
    for (const c of commands) {
      const state = fold(projectDecider, emitted);
      const command = { ...c, metadata: meta(`2026-03-0${++i}T10:00:00.000Z`) } as ProjectCommand;
      emitted.push(...projectDecider.decide(command, state));
    }
    expect(emitted.map((e) => e.type)).toEqual([
      'ProjectCreated',
      'ProjectUpdated',
      'ProjectArchived',
      'ProjectUnarchived',
    ]);
    for (const event of emitted) {
      const subject = canonicalSubjectFor(projectStreamId(projectId), event.type);
      expect(isKnownSubject(subject)).toBe(true);
      if (isKnownSubject(subject)) expect(integrationEventGuards[subject](event.data, 'data')).toEqual([]);
    }
  });
});
