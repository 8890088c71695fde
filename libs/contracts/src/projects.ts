import { type Infer, int, nonEmptyStr, nullable, object, optional, str, stringRecord } from './guards';

/**
 * Integration events of the projects context (`bpane.projects.*`). Payloads are the `data` of the
 * stored events; fields are only ever added (optional), never renamed or removed — a breaking
 * change is a new event type (`ProjectCreated.v2` → subject `bpane.projects.ProjectCreated_v2`).
 */
export const projectCreatedV1 = object({
  projectId: nonEmptyStr,
  name: nonEmptyStr,
  description: optional(nullable(str)),
  maxActiveSessions: optional(nullable(int)),
  labels: optional(stringRecord),
});
export type ProjectCreatedV1 = Infer<typeof projectCreatedV1>;

export const projectUpdatedV1 = object({
  projectId: nonEmptyStr,
  name: optional(nonEmptyStr),
  description: optional(nullable(str)),
  maxActiveSessions: optional(nullable(int)),
  labels: optional(stringRecord),
});
export type ProjectUpdatedV1 = Infer<typeof projectUpdatedV1>;

export const projectArchivedV1 = object({
  projectId: nonEmptyStr,
});
export type ProjectArchivedV1 = Infer<typeof projectArchivedV1>;
