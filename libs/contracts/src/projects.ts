import {
  arrayOf,
  type Infer,
  int,
  literal,
  nonEmptyStr,
  nullable,
  object,
  str,
  stringRecord,
} from './guards';

/**
 * Integration events of the projects context (`bpane.projects.*`). The payload is the `data` of
 * the stored v1 event. Fields are only ever added, never renamed or removed; a breaking change is
 * a new event type (`ProjectCreated.v2` → subject `bpane.projects.ProjectCreated_v2`).
 */
const quotas = object({
  maxActiveSessions: nullable(int),
  maxActiveWorkflowRuns: nullable(int),
  maxRetainedStorageBytes: nullable(int),
});

export const projectCreatedV1 = object({
  projectId: nonEmptyStr,
  ownerId: nonEmptyStr,
  name: nonEmptyStr,
  description: nullable(str),
  labels: stringRecord,
  quotas,
  createdAt: nonEmptyStr,
});
export type ProjectCreatedV1 = Infer<typeof projectCreatedV1>;

export const projectUpdatedV1 = object({
  projectId: nonEmptyStr,
  name: nonEmptyStr,
  description: nullable(str),
  labels: stringRecord,
  quotas,
  changedFields: arrayOf(literal('name', 'description', 'labels', 'quotas')),
  updatedAt: nonEmptyStr,
});
export type ProjectUpdatedV1 = Infer<typeof projectUpdatedV1>;

export const projectArchivedV1 = object({ projectId: nonEmptyStr, archivedAt: nonEmptyStr });
export type ProjectArchivedV1 = Infer<typeof projectArchivedV1>;

export const projectUnarchivedV1 = object({ projectId: nonEmptyStr, unarchivedAt: nonEmptyStr });
export type ProjectUnarchivedV1 = Infer<typeof projectUnarchivedV1>;
