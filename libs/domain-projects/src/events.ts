import { createUpcasterRegistry } from '@bpane/ddd';
import type {
  ProjectArchivedV1,
  ProjectCreatedV1,
  ProjectEventV1,
  ProjectLabelsV1,
  ProjectQuotasV1,
  ProjectUnarchivedV1,
  ProjectUpdatedV1,
} from './events.v1';
import { projectEventTypesV1 } from './events.v1';

/** The current project events (all still at version 1). */
export type ProjectLabels = ProjectLabelsV1;
export type ProjectQuotas = ProjectQuotasV1;
export type ProjectCreated = ProjectCreatedV1;
export type ProjectUpdated = ProjectUpdatedV1;
export type ProjectArchived = ProjectArchivedV1;
export type ProjectUnarchived = ProjectUnarchivedV1;
export type ProjectEvent = ProjectEventV1;
export type ProjectEventType = ProjectEvent['type'];

export const projectEventTypes: readonly ProjectEventType[] = projectEventTypesV1;

export const isProjectEvent = (event: { type: string }): event is ProjectEvent =>
  (projectEventTypes as readonly string[]).includes(event.type);

/** No stored shape has been superseded yet; new upcasters go here (each with its own test). */
export const projectUpcasters = createUpcasterRegistry([]);

export const PROJECT_STREAM_PREFIX = 'project-';

export const projectStreamId = (projectId: string): string => `${PROJECT_STREAM_PREFIX}${projectId}`;

/** The project id of a `project-<uuid>` stream, or undefined for any other stream. */
export const projectIdOfStream = (streamId: string): string | undefined =>
  streamId.startsWith(PROJECT_STREAM_PREFIX) ? streamId.slice(PROJECT_STREAM_PREFIX.length) : undefined;
