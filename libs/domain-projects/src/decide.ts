import {
  ConflictError,
  IllegalStateError,
  NotFoundError,
  ValidationFailedError,
  type CommandMetadata,
  type Decider,
  type FieldViolation,
} from '@bpane/ddd';
import { assertNever } from '@bpane/errors';
import type {
  ArchiveProject,
  CreateProject,
  ProjectCommand,
  UnarchiveProject,
  UpdateProject,
} from './commands';
import type { ProjectEvent, ProjectUpdated } from './events';
import { evolveProject, initialProjectState, type ProjectState } from './project';
import {
  mergeQuotas,
  normaliseLabels,
  unlimitedQuotas,
  validateDescription,
  validateLabels,
  validateName,
  validateProjectId,
  validateQuotas,
} from './validation';

type Existing = Exclude<ProjectState, { status: 'absent' }>;

const fail = (violations: FieldViolation[]): void => {
  if (violations.length > 0) throw new ValidationFailedError(violations);
};

/** The owner a new project gets: the caller's `ownerId` when given, else the actor. */
const requestedOwner = (m: CommandMetadata): string => m.ownerId ?? m.actor.id;

/**
 * Loads the project the command targets, as the caller may see it. Another owner's project is
 * reported exactly like a missing one (`not_found`) so ids cannot be probed. System actors act on
 * any project.
 */
const visible = (state: ProjectState, projectId: string, m: CommandMetadata): Existing => {
  if (state.status === 'absent') throw new NotFoundError('project', projectId);
  if (m.actor.kind !== 'system' && state.ownerId !== requestedOwner(m)) {
    throw new NotFoundError('project', projectId);
  }
  if (state.projectId !== projectId) throw new NotFoundError('project', projectId);
  return state;
};

const create = (command: CreateProject, state: ProjectState): ProjectEvent[] => {
  const d = command.data;
  const v: FieldViolation[] = [];
  validateProjectId(d.projectId, v);
  validateName(d.name, v);
  if (d.description !== undefined) validateDescription(d.description, v);
  if (d.labels !== undefined) validateLabels(d.labels, v);
  if (d.quotas !== undefined) validateQuotas(d.quotas, v);
  fail(v);
  if (state.status !== 'absent') {
    throw new ConflictError(`project ${d.projectId} already exists`, { projectId: d.projectId });
  }
  return [
    {
      type: 'ProjectCreated',
      data: {
        projectId: d.projectId,
        ownerId: requestedOwner(command.metadata),
        name: d.name.trim(),
        description: d.description ?? null,
        labels: normaliseLabels(d.labels ?? {}),
        quotas: mergeQuotas(unlimitedQuotas, d.quotas),
        createdAt: command.metadata.now,
      },
    },
  ];
};

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const update = (command: UpdateProject, state: ProjectState): ProjectEvent[] => {
  const d = command.data;
  const v: FieldViolation[] = [];
  validateProjectId(d.projectId, v);
  if (d.name !== undefined) validateName(d.name, v);
  if (d.description !== undefined) validateDescription(d.description, v);
  if (d.labels !== undefined) validateLabels(d.labels, v);
  if (d.quotas !== undefined) validateQuotas(d.quotas, v);
  if (
    d.name === undefined &&
    d.description === undefined &&
    d.labels === undefined &&
    d.quotas === undefined
  ) {
    v.push({ field: 'changes', message: 'at least one of name, description, labels, quotas is required' });
  }
  fail(v);
  const project = visible(state, d.projectId, command.metadata);
  if (project.status === 'archived') {
    throw new IllegalStateError(`project ${d.projectId} is archived; unarchive it before changing it`, {
      projectId: d.projectId,
      status: project.status,
    });
  }
  const next = {
    name: d.name === undefined ? project.name : d.name.trim(),
    description: d.description === undefined ? project.description : d.description,
    labels: d.labels === undefined ? project.labels : normaliseLabels(d.labels),
    quotas: mergeQuotas(project.quotas, d.quotas),
  };
  const changedFields = (['name', 'description', 'labels', 'quotas'] as const).filter(
    (f) => !sameJson(next[f], project[f]),
  );
  // An update that changes nothing records nothing.
  if (changedFields.length === 0) return [];
  const event: ProjectUpdated = {
    type: 'ProjectUpdated',
    data: { projectId: d.projectId, ...next, changedFields, updatedAt: command.metadata.now },
  };
  return [event];
};

const archive = (command: ArchiveProject, state: ProjectState): ProjectEvent[] => {
  const v: FieldViolation[] = [];
  validateProjectId(command.data.projectId, v);
  fail(v);
  const project = visible(state, command.data.projectId, command.metadata);
  if (project.status === 'archived') {
    throw new IllegalStateError(`project ${project.projectId} is already archived`, {
      projectId: project.projectId,
      status: project.status,
    });
  }
  return [
    { type: 'ProjectArchived', data: { projectId: project.projectId, archivedAt: command.metadata.now } },
  ];
};

const unarchive = (command: UnarchiveProject, state: ProjectState): ProjectEvent[] => {
  const v: FieldViolation[] = [];
  validateProjectId(command.data.projectId, v);
  fail(v);
  const project = visible(state, command.data.projectId, command.metadata);
  if (project.status === 'active') {
    throw new IllegalStateError(`project ${project.projectId} is not archived`, {
      projectId: project.projectId,
      status: project.status,
    });
  }
  return [
    { type: 'ProjectUnarchived', data: { projectId: project.projectId, unarchivedAt: command.metadata.now } },
  ];
};

export const decideProject = (command: ProjectCommand, state: ProjectState): ProjectEvent[] => {
  switch (command.type) {
    case 'CreateProject':
      return create(command, state);
    case 'UpdateProject':
      return update(command, state);
    case 'ArchiveProject':
      return archive(command, state);
    case 'UnarchiveProject':
      return unarchive(command, state);
    default:
      return assertNever(command, 'project command');
  }
};

export const projectDecider: Decider<ProjectCommand, ProjectEvent, ProjectState> = {
  decide: decideProject,
  evolve: evolveProject,
  initialState: initialProjectState,
  ownerOf: (state) => (state.status === 'absent' ? undefined : state.ownerId),
};
