import type { Command } from '@bpane/ddd';
import type { ProjectLabels, ProjectQuotas } from './events';

export type QuotaInput = Partial<ProjectQuotas>;

export type CreateProject = Command<
  'CreateProject',
  Readonly<{
    projectId: string;
    name: string;
    description?: string | null;
    labels?: ProjectLabels;
    /** Missing quotas are unlimited (null). */
    quotas?: QuotaInput;
  }>
>;

/** Partial update: only the fields present change; `quotas` merges per quota. */
export type UpdateProject = Command<
  'UpdateProject',
  Readonly<{
    projectId: string;
    name?: string;
    description?: string | null;
    labels?: ProjectLabels;
    quotas?: QuotaInput;
  }>
>;

export type ArchiveProject = Command<'ArchiveProject', Readonly<{ projectId: string }>>;

export type UnarchiveProject = Command<'UnarchiveProject', Readonly<{ projectId: string }>>;

export type ProjectCommand = CreateProject | UpdateProject | ArchiveProject | UnarchiveProject;
