/**
 * Version 1 of the project events, FROZEN: these shapes are stored in the event log and are never
 * edited. A breaking change gets a new type name (`'ProjectCreated.v2'`) plus an upcaster from
 * the shape below; the decider then only knows the newest version.
 */
import type { DomainEvent } from '@bpane/ddd';

export type ProjectLabelsV1 = Readonly<Record<string, string>>;

/** `null` means unlimited. */
export type ProjectQuotasV1 = Readonly<{
  maxActiveSessions: number | null;
  maxActiveWorkflowRuns: number | null;
  maxRetainedStorageBytes: number | null;
}>;

export type ProjectCreatedV1 = DomainEvent<
  'ProjectCreated',
  Readonly<{
    projectId: string;
    ownerId: string;
    name: string;
    description: string | null;
    labels: ProjectLabelsV1;
    quotas: ProjectQuotasV1;
    createdAt: string;
  }>
>;

/** Carries the complete new values of the mutable fields; `changedFields` names what changed. */
export type ProjectUpdatedV1 = DomainEvent<
  'ProjectUpdated',
  Readonly<{
    projectId: string;
    name: string;
    description: string | null;
    labels: ProjectLabelsV1;
    quotas: ProjectQuotasV1;
    changedFields: readonly ('name' | 'description' | 'labels' | 'quotas')[];
    updatedAt: string;
  }>
>;

export type ProjectArchivedV1 = DomainEvent<
  'ProjectArchived',
  Readonly<{ projectId: string; archivedAt: string }>
>;

export type ProjectUnarchivedV1 = DomainEvent<
  'ProjectUnarchived',
  Readonly<{ projectId: string; unarchivedAt: string }>
>;

export type ProjectEventV1 = ProjectCreatedV1 | ProjectUpdatedV1 | ProjectArchivedV1 | ProjectUnarchivedV1;

export const projectEventTypesV1 = [
  'ProjectCreated',
  'ProjectUpdated',
  'ProjectArchived',
  'ProjectUnarchived',
] as const satisfies readonly ProjectEventV1['type'][];
