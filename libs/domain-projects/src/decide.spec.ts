import { describe, expect, it } from 'vitest';
import { deciderSpec, fold, type CommandMetadata } from '@bpane/ddd';
import { projectDecider } from './decide';
import type { ProjectArchived, ProjectCreated, ProjectEvent, ProjectUnarchived } from './events';
import { projectLimits } from './validation';

const given = deciderSpec(projectDecider);
const id = '5b0c7a0e-8d7e-4d53-9d6c-2f1f3c1b9a01';
const t0 = '2026-03-01T10:00:00.000Z';
const t1 = '2026-03-01T11:00:00.000Z';
const alice = { kind: 'user', id: 'alice' } as const;

const m = (over: Partial<CommandMetadata> = {}): CommandMetadata => ({
  now: t1,
  actor: alice,
  correlationId: 'c-1',
  ...over,
});

const created: ProjectCreated = {
  type: 'ProjectCreated',
  data: {
    projectId: id,
    ownerId: 'alice',
    name: 'Checkout tests',
    description: null,
    labels: { env: 'staging' },
    quotas: { maxActiveSessions: 5, maxActiveWorkflowRuns: null, maxRetainedStorageBytes: null },
    createdAt: t0,
  },
};
const archived: ProjectArchived = { type: 'ProjectArchived', data: { projectId: id, archivedAt: t0 } };
const unarchived: ProjectUnarchived = {
  type: 'ProjectUnarchived',
  data: { projectId: id, unarchivedAt: t0 },
};

describe('CreateProject', () => {
  it('creates an owner-scoped project with normalised labels and unlimited default quotas', () => {
    given([])
      .when({
        type: 'CreateProject',
        data: { projectId: id, name: '  Checkout tests ', labels: { team: 'qa', env: 'staging' } },
        metadata: m({ now: t0 }),
      })
      .then([
        {
          type: 'ProjectCreated',
          data: {
            projectId: id,
            ownerId: 'alice',
            name: 'Checkout tests',
            description: null,
            labels: { env: 'staging', team: 'qa' },
            quotas: { maxActiveSessions: null, maxActiveWorkflowRuns: null, maxRetainedStorageBytes: null },
            createdAt: t0,
          },
        },
      ]);
  });

  it('takes the owner from metadata.ownerId when a caller creates on behalf of someone', () => {
    const [event] = given([])
      .when({
        type: 'CreateProject',
        data: { projectId: id, name: 'P', quotas: { maxActiveSessions: 3 } },
        metadata: m({ actor: { kind: 'service', id: 'svc' }, ownerId: 'bob' }),
      })
      .events();
    expect(event).toMatchObject({
      type: 'ProjectCreated',
      data: { ownerId: 'bob', quotas: { maxActiveSessions: 3, maxActiveWorkflowRuns: null } },
    });
  });

  it('refuses to create a project that exists (conflict)', () => {
    given([created])
      .when({ type: 'CreateProject', data: { projectId: id, name: 'again' }, metadata: m() })
      .thenThrows('conflict');
  });

  it.each([
    ['empty name', { name: '   ' }, ['name']],
    ['too long name', { name: 'x'.repeat(projectLimits.nameMaxLength + 1) }, ['name']],
    ['control character in name', { name: 'a\u0007b' }, ['name']],
    ['non-uuid id', { projectId: 'nope' }, ['projectId']],
    [
      'too long description',
      { description: 'd'.repeat(projectLimits.descriptionMaxLength + 1) },
      ['description'],
    ],
    ['bad label key', { labels: { 'Bad Key': 'x' } }, ['labels.Bad Key']],
    ['label key ending in a dash', { labels: { 'env-': 'x' } }, ['labels.env-']],
    ['too long label value', { labels: { env: 'v'.repeat(257) } }, ['labels.env']],
    [
      'too many labels',
      { labels: Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`k${i}`, 'v'])) },
      ['labels'],
    ],
    ['negative quota', { quotas: { maxActiveSessions: -1 } }, ['quotas.max_active_sessions']],
    ['fractional quota', { quotas: { maxActiveWorkflowRuns: 1.5 } }, ['quotas.max_active_workflow_runs']],
    [
      'quota above range',
      { quotas: { maxRetainedStorageBytes: projectLimits.maxRetainedStorageBytes + 1 } },
      ['quotas.max_retained_storage_bytes'],
    ],
    ['unknown quota', { quotas: { maxCats: 1 } }, ['quotas.maxCats']],
    [
      'several problems at once',
      { name: '', projectId: 'x', quotas: { maxActiveSessions: -2 } },
      ['name', 'projectId', 'quotas.max_active_sessions'],
    ],
  ])('rejects %s with validation_failed naming the fields', (_what, patch, fields) => {
    given([])
      .when({
        type: 'CreateProject',
        data: { projectId: id, name: 'ok', ...patch } as never,
        metadata: m(),
      })
      .thenThrows('validation_failed', { fields });
  });

  it('accepts the boundary values', () => {
    const events = given([])
      .when({
        type: 'CreateProject',
        data: {
          projectId: id,
          name: 'n'.repeat(projectLimits.nameMaxLength),
          description: 'd'.repeat(projectLimits.descriptionMaxLength),
          labels: { 'a.b/c_d-e': 'v'.repeat(256), z: '' },
          quotas: {
            maxActiveSessions: 0,
            maxActiveWorkflowRuns: projectLimits.maxActiveWorkflowRuns,
            maxRetainedStorageBytes: projectLimits.maxRetainedStorageBytes,
          },
        },
        metadata: m(),
      })
      .events();
    expect(events).toHaveLength(1);
  });
});

describe('UpdateProject', () => {
  it('changes only the given fields and merges quotas per quota', () => {
    given([created])
      .when({
        type: 'UpdateProject',
        data: { projectId: id, name: 'Renamed', quotas: { maxActiveWorkflowRuns: 2 } },
        metadata: m(),
      })
      .then([
        {
          type: 'ProjectUpdated',
          data: {
            projectId: id,
            name: 'Renamed',
            description: null,
            labels: { env: 'staging' },
            quotas: { maxActiveSessions: 5, maxActiveWorkflowRuns: 2, maxRetainedStorageBytes: null },
            changedFields: ['name', 'quotas'],
            updatedAt: t1,
          },
        },
      ]);
  });

  it('clears a quota with null and sets a description', () => {
    const [event] = given([created])
      .when({
        type: 'UpdateProject',
        data: { projectId: id, description: 'for QA', quotas: { maxActiveSessions: null } },
        metadata: m(),
      })
      .events();
    expect(event).toMatchObject({
      data: {
        description: 'for QA',
        quotas: { maxActiveSessions: null },
        changedFields: ['description', 'quotas'],
      },
    });
  });

  it('records nothing when nothing changes', () => {
    given([created])
      .when({
        type: 'UpdateProject',
        data: { projectId: id, name: 'Checkout tests', labels: { env: 'staging' } },
        metadata: m(),
      })
      .then([]);
  });

  it('requires at least one field', () => {
    given([created])
      .when({ type: 'UpdateProject', data: { projectId: id }, metadata: m() })
      .thenThrows('validation_failed', { fields: ['changes'] });
  });

  it('validates the given fields', () => {
    given([created])
      .when({
        type: 'UpdateProject',
        data: { projectId: id, name: '', labels: { '-x': 'y' } },
        metadata: m(),
      })
      .thenThrows('validation_failed', { fields: ['name', 'labels.-x'] });
  });

  it('is not_found for a missing project', () => {
    given([])
      .when({ type: 'UpdateProject', data: { projectId: id, name: 'x' }, metadata: m() })
      .thenThrows('not_found');
  });

  it("is not_found for another owner's project", () => {
    given([created])
      .when({
        type: 'UpdateProject',
        data: { projectId: id, name: 'x' },
        metadata: m({ actor: { kind: 'user', id: 'mallory' } }),
      })
      .thenThrows('not_found');
  });

  it('is illegal_state on an archived project', () => {
    given([created, archived])
      .when({ type: 'UpdateProject', data: { projectId: id, name: 'x' }, metadata: m() })
      .thenThrows('illegal_state');
  });

  it('works again after unarchiving', () => {
    const events = given([created, archived, unarchived])
      .when({ type: 'UpdateProject', data: { projectId: id, name: 'x' }, metadata: m() })
      .events();
    expect(events.map((e) => e.type)).toEqual(['ProjectUpdated']);
  });

  it('lets a system actor act on any project', () => {
    const events = given([created])
      .when({
        type: 'UpdateProject',
        data: { projectId: id, name: 'by system' },
        metadata: m({ actor: { kind: 'system', id: 'migrator' } }),
      })
      .events();
    expect(events).toHaveLength(1);
  });
});

describe('ArchiveProject', () => {
  it('archives an active project', () => {
    given([created])
      .when({ type: 'ArchiveProject', data: { projectId: id }, metadata: m() })
      .then([{ type: 'ProjectArchived', data: { projectId: id, archivedAt: t1 } }]);
  });

  it('is illegal_state when already archived', () => {
    given([created, archived])
      .when({ type: 'ArchiveProject', data: { projectId: id }, metadata: m() })
      .thenThrows('illegal_state');
  });

  it('is not_found for a missing or foreign project', () => {
    given([])
      .when({ type: 'ArchiveProject', data: { projectId: id }, metadata: m() })
      .thenThrows('not_found');
    given([created])
      .when({
        type: 'ArchiveProject',
        data: { projectId: id },
        metadata: m({ actor: { kind: 'user', id: 'bob' } }),
      })
      .thenThrows('not_found');
  });

  it('rejects a malformed id', () => {
    given([created])
      .when({ type: 'ArchiveProject', data: { projectId: '' }, metadata: m() })
      .thenThrows('validation_failed', { fields: ['projectId'] });
  });
});

describe('UnarchiveProject', () => {
  it('unarchives an archived project', () => {
    given([created, archived])
      .when({ type: 'UnarchiveProject', data: { projectId: id }, metadata: m() })
      .then([{ type: 'ProjectUnarchived', data: { projectId: id, unarchivedAt: t1 } }]);
  });

  it('is illegal_state on an active project', () => {
    given([created])
      .when({ type: 'UnarchiveProject', data: { projectId: id }, metadata: m() })
      .thenThrows('illegal_state');
    given([created, archived, unarchived])
      .when({ type: 'UnarchiveProject', data: { projectId: id }, metadata: m() })
      .thenThrows('illegal_state');
  });

  it('is not_found for a missing or foreign project', () => {
    given([])
      .when({ type: 'UnarchiveProject', data: { projectId: id }, metadata: m() })
      .thenThrows('not_found');
    given([created, archived])
      .when({
        type: 'UnarchiveProject',
        data: { projectId: id },
        metadata: m({ actor: { kind: 'user', id: 'bob' } }),
      })
      .thenThrows('not_found');
  });
});

describe('evolve', () => {
  it('folds the whole life cycle', () => {
    const history: ProjectEvent[] = [created, archived];
    expect(fold(projectDecider, history)).toMatchObject({
      status: 'archived',
      archivedAt: t0,
      name: 'Checkout tests',
    });
    const back = fold(projectDecider, [...history, unarchived]);
    expect(back).toMatchObject({ status: 'active', updatedAt: t0 });
    expect(back).not.toHaveProperty('archivedAt');
  });

  it('knows the owner of the aggregate', () => {
    expect(projectDecider.ownerOf?.(fold(projectDecider, [created]))).toBe('alice');
    expect(projectDecider.ownerOf?.(projectDecider.initialState())).toBeUndefined();
  });
});
