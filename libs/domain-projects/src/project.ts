import { assertNever } from '@bpane/errors';
import type { ProjectEvent, ProjectLabels, ProjectQuotas } from './events';

type ProjectFields = Readonly<{
  projectId: string;
  ownerId: string;
  name: string;
  description: string | null;
  labels: ProjectLabels;
  quotas: ProjectQuotas;
  createdAt: string;
  updatedAt: string;
}>;

/** The write-side state of one project; a union on `status`. */
export type ProjectState =
  | Readonly<{ status: 'absent' }>
  | (ProjectFields & Readonly<{ status: 'active' }>)
  | (ProjectFields & Readonly<{ status: 'archived'; archivedAt: string }>);

export type ProjectStatus = ProjectState['status'];

export const initialProjectState = (): ProjectState => ({ status: 'absent' });

export const evolveProject = (state: ProjectState, event: ProjectEvent): ProjectState => {
  switch (event.type) {
    case 'ProjectCreated': {
      const d = event.data;
      return {
        status: 'active',
        projectId: d.projectId,
        ownerId: d.ownerId,
        name: d.name,
        description: d.description,
        labels: d.labels,
        quotas: d.quotas,
        createdAt: d.createdAt,
        updatedAt: d.createdAt,
      };
    }
    case 'ProjectUpdated': {
      if (state.status === 'absent') return state;
      const d = event.data;
      return {
        ...state,
        name: d.name,
        description: d.description,
        labels: d.labels,
        quotas: d.quotas,
        updatedAt: d.updatedAt,
      };
    }
    case 'ProjectArchived':
      if (state.status !== 'active') return state;
      return {
        ...state,
        status: 'archived',
        archivedAt: event.data.archivedAt,
        updatedAt: event.data.archivedAt,
      };
    case 'ProjectUnarchived': {
      if (state.status !== 'archived') return state;
      const { archivedAt: _archivedAt, ...rest } = state;
      return { ...rest, status: 'active', updatedAt: event.data.unarchivedAt };
    }
    default:
      return assertNever(event, 'project event');
  }
};
