import type { ProjectLabels, ProjectQuotas } from '@bpane/domain-projects';

/** The API shape of a project (snake_case, as in `openapi/src/30-projects.yaml`). */
export type ProjectDto = {
  id: string;
  name: string;
  description: string | null;
  labels: ProjectLabels;
  state: 'active' | 'archived';
  quotas: {
    max_active_sessions: number | null;
    max_active_workflow_runs: number | null;
    max_retained_storage_bytes: number | null;
  };
  created_at: string;
  updated_at: string;
  archived_at: string | null;
};

export type ProjectCreateBody = {
  name: string;
  description?: string | null;
  labels?: Record<string, string>;
  quotas?: QuotasBody;
  client_request_id?: string;
};

export type QuotasBody = {
  max_active_sessions?: number | null;
  max_active_workflow_runs?: number | null;
  max_retained_storage_bytes?: number | null;
};

export type ProjectUpdateBody = Omit<ProjectCreateBody, 'client_request_id' | 'name'> & {
  name?: string;
  state?: 'active' | 'archived';
};

export const quotasFromBody = (q: QuotasBody | undefined): Partial<ProjectQuotas> | undefined => {
  if (q === undefined) return undefined;
  const out: {
    maxActiveSessions?: number | null;
    maxActiveWorkflowRuns?: number | null;
    maxRetainedStorageBytes?: number | null;
  } = {};
  if (q.max_active_sessions !== undefined) out.maxActiveSessions = q.max_active_sessions;
  if (q.max_active_workflow_runs !== undefined) out.maxActiveWorkflowRuns = q.max_active_workflow_runs;
  if (q.max_retained_storage_bytes !== undefined) out.maxRetainedStorageBytes = q.max_retained_storage_bytes;
  return out;
};

export const quotasToDto = (q: ProjectQuotas): ProjectDto['quotas'] => ({
  max_active_sessions: q.maxActiveSessions,
  max_active_workflow_runs: q.maxActiveWorkflowRuns,
  max_retained_storage_bytes: q.maxRetainedStorageBytes,
});
