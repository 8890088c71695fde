import type { Admission, AdmissionDecision } from './session';
import type { TemplateDefaults } from './template';
import {
  emptyNetworkIdentity,
  mergeNetworkIdentity,
  mergeRecording,
  sessionDefaults,
  sortedMap,
  type NetworkIdentityInput,
  type OwnerMode,
  type RecordingInput,
  type StringMap,
  type Viewport,
} from './values';
import type { SessionConfig } from './session';

/** What the caller of a session create gave explicitly (absent keys take template defaults). */
export type SessionConfigInput = Partial<{
  ownerMode: OwnerMode;
  viewport: Viewport;
  idleTimeoutSec: number;
  labels: StringMap;
  integrationContext: StringMap;
  networkIdentity: NetworkIdentityInput;
  recording: RecordingInput;
}>;

/**
 * Merges a template's defaults into a create request: explicit fields win. Labels and the
 * integration context merge key by key (the request's keys win); network identity and recording
 * merge field by field; everything a template leaves unset takes the session defaults.
 */
export const resolveSessionConfig = (
  template: TemplateDefaults | null,
  input: SessionConfigInput,
): SessionConfig => ({
  ownerMode: input.ownerMode ?? template?.ownerMode ?? sessionDefaults.ownerMode,
  viewport: input.viewport ?? template?.viewport ?? sessionDefaults.viewport,
  idleTimeoutSec: input.idleTimeoutSec ?? template?.idleTimeoutSec ?? sessionDefaults.idleTimeoutSec,
  labels: sortedMap({ ...(template?.labels ?? {}), ...(input.labels ?? {}) }),
  integrationContext: sortedMap({
    ...(template?.integrationContext ?? {}),
    ...(input.integrationContext ?? {}),
  }),
  networkIdentity: mergeNetworkIdentity(
    template?.networkIdentity ?? emptyNetworkIdentity,
    input.networkIdentity,
  ),
  recording: mergeRecording(template?.recording ?? sessionDefaults.recording, input.recording),
});

/** What admission needs to know about the target project at the moment of the request. */
export type ProjectCapacity = Readonly<{
  projectId: string;
  archived: boolean;
  /** null: unlimited. */
  maxActiveSessions: number | null;
  /** Admitted sessions of the project that still hold a slot. */
  activeSessions: number;
  /** Sessions of the project waiting in its queue. */
  queuedSessions: number;
}>;

export type AdmissionInput = Omit<Admission, 'decidedAt'>;

export type AdmissionOutcome =
  Readonly<{ refused: true; reason: 'project_archived' }> | (AdmissionInput & Readonly<{ refused: false }>);

/**
 * The admission policy: no project → owner scoped; archived project → refused; free capacity (and
 * nobody queued ahead) → admitted; otherwise queued at the end of the project's queue, FIFO.
 */
export const decideAdmission = (project: ProjectCapacity | null): AdmissionOutcome => {
  const decision = (d: AdmissionDecision, reason: string, queuePosition: number | null = null) => ({
    refused: false as const,
    decision: d,
    reason,
    projectId: project?.projectId ?? null,
    queuePosition,
  });
  if (project === null) return decision('owner_scoped', 'owner_scoped');
  if (project.archived) return { refused: true, reason: 'project_archived' };
  if (project.maxActiveSessions === null) return decision('admitted', 'unlimited_quota');
  if (project.queuedSessions === 0 && project.activeSessions < project.maxActiveSessions)
    return decision('admitted', 'within_quota');
  return decision('queued', 'quota_exhausted', project.queuedSessions + 1);
};
