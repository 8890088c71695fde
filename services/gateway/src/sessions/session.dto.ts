import {
  connectionCountsOf,
  idleExpiresAtOf,
  presenceStateOf,
  runtimeStateOf,
  stopEligibilityOf,
  type ConnectionCounts,
  type PresenceState,
  type RuntimeState,
  type SessionConfigInput,
  type SessionData,
  type SessionLifecycleState,
  type StopEligibility,
} from '@bpane/domain-sessions';
import type { ProjectView } from '@bpane/read-models';
import {
  networkIdentityFromBody,
  networkIdentityToDto,
  recordingFromBody,
  recordingToDto,
  viewportToDto,
  type NetworkIdentityBody,
  type NetworkIdentityDto,
  type OwnerModeDto,
  type RecordingBody,
  type RecordingDto,
  type ViewportDto,
} from '../session-templates/values.dto';

/** API shapes of sessions (`openapi/src/50-sessions.yaml`). */
export type SessionCreateBody = {
  template_id?: string;
  project_id?: string | null;
  owner_mode?: OwnerModeDto;
  viewport?: ViewportDto;
  idle_timeout_sec?: number;
  labels?: Record<string, string>;
  integration_context?: Record<string, string>;
  network_identity?: NetworkIdentityBody;
  recording?: RecordingBody;
  client_request_id?: string;
};

export type AdmissionDto = {
  decision: 'admitted' | 'queued' | 'owner_scoped';
  reason: string;
  project_id: string | null;
  queue_position: number | null;
  decided_at: string;
};

type Owners = {
  automation_owner: { client_id: string; set_at: string } | null;
  mcp_owner: {
    principal_type: 'user' | 'service_principal';
    client_id: string | null;
    claimed_at: string;
  } | null;
};

export type SessionDto = {
  id: string;
  state: SessionLifecycleState;
  runtime_state: RuntimeState;
  presence_state: PresenceState;
  owner_mode: OwnerModeDto;
  template_id: string | null;
  project_id: string | null;
  admission: AdmissionDto | null;
  viewport: ViewportDto;
  idle_timeout_sec: number;
  idle_since: string | null;
  idle_expires_at: string | null;
  labels: Record<string, string>;
  integration_context: Record<string, string>;
  network_identity: NetworkIdentityDto;
  recording: RecordingDto;
  connection_counts: ConnectionCounts;
  stop_eligibility: { allowed: boolean; blockers: StopEligibility['blockers'][number][] };
  runtime: { runtime_id: string; backend: string; assigned_at: string; released_at: string | null } | null;
  runtime_released_at: string | null;
  stop_reason: SessionData['stopReason'];
  failure: { code: string; message: string } | null;
  stopped_at: string | null;
  created_at: string;
  updated_at: string;
} & Owners;

export type SessionStatusDto = {
  session_id: string;
  state: SessionLifecycleState;
  runtime_state: RuntimeState;
  presence_state: PresenceState;
  owner_mode: OwnerModeDto;
  connection_counts: ConnectionCounts;
  connections: {
    connection_id: string;
    role: string;
    principal_type: 'user' | 'service_principal';
    opened_at: string;
  }[];
  stop_eligibility: SessionDto['stop_eligibility'];
  idle_timeout_sec: number;
  idle_since: string | null;
  idle_expires_at: string | null;
  admission: AdmissionDto | null;
  project: { id: string; name: string; state: 'active' | 'archived' } | null;
  network_identity: NetworkIdentityDto;
  recording: RecordingDto;
  runtime_released_at: string | null;
  stopped_at: string | null;
} & Owners;

export const configFromBody = (b: SessionCreateBody): SessionConfigInput => {
  const out: SessionConfigInput = {};
  if (b.owner_mode !== undefined) out.ownerMode = b.owner_mode;
  if (b.viewport !== undefined) out.viewport = b.viewport;
  if (b.idle_timeout_sec !== undefined) out.idleTimeoutSec = b.idle_timeout_sec;
  if (b.labels !== undefined) out.labels = b.labels;
  if (b.integration_context !== undefined) out.integrationContext = b.integration_context;
  const ni = networkIdentityFromBody(b.network_identity);
  if (ni !== undefined) out.networkIdentity = ni;
  const rec = recordingFromBody(b.recording);
  if (rec !== undefined) out.recording = rec;
  return out;
};

const principalType = (k: 'user' | 'service'): 'user' | 'service_principal' =>
  k === 'service' ? 'service_principal' : 'user';

const admissionToDto = (s: SessionData, queuePosition: number | null): AdmissionDto | null =>
  s.admission === null
    ? null
    : {
        decision: s.admission.decision,
        reason: s.admission.reason,
        project_id: s.admission.projectId,
        // The current place in the queue (it moves up as others are admitted or cancelled).
        queue_position: s.admission.decision === 'queued' && s.status === 'pending' ? queuePosition : null,
        decided_at: s.admission.decidedAt,
      };

const ownersToDto = (s: SessionData): Owners => ({
  automation_owner:
    s.automationOwner === null
      ? null
      : { client_id: s.automationOwner.clientId, set_at: s.automationOwner.setAt },
  mcp_owner:
    s.mcpOwner === null
      ? null
      : {
          principal_type: principalType(s.mcpOwner.principalKind),
          client_id: s.mcpOwner.clientId,
          claimed_at: s.mcpOwner.claimedAt,
        },
});

const eligibility = (s: SessionData): SessionDto['stop_eligibility'] => {
  const e = stopEligibilityOf(s);
  return { allowed: e.allowed, blockers: e.blockers.map((b) => ({ ...b })) };
};

export const sessionToDto = (s: SessionData, queuePosition: number | null): SessionDto => ({
  id: s.sessionId,
  state: s.status,
  runtime_state: runtimeStateOf(s),
  presence_state: presenceStateOf(s),
  owner_mode: s.config.ownerMode,
  template_id: s.templateId,
  project_id: s.projectId,
  admission: admissionToDto(s, queuePosition),
  viewport: viewportToDto(s.config.viewport),
  idle_timeout_sec: s.config.idleTimeoutSec,
  idle_since: s.idleSince,
  idle_expires_at: idleExpiresAtOf(s),
  labels: { ...s.config.labels },
  integration_context: { ...s.config.integrationContext },
  network_identity: networkIdentityToDto(s.config.networkIdentity),
  recording: recordingToDto(s.config.recording),
  connection_counts: connectionCountsOf(s),
  stop_eligibility: eligibility(s),
  ...ownersToDto(s),
  runtime:
    s.runtime === null
      ? null
      : {
          runtime_id: s.runtime.runtimeId,
          backend: s.runtime.backend,
          assigned_at: s.runtime.assignedAt,
          released_at: s.runtime.releasedAt,
        },
  runtime_released_at: s.runtime?.releasedAt ?? null,
  stop_reason: s.stopReason,
  failure: s.failure === null ? null : { ...s.failure },
  stopped_at: s.stoppedAt,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
});

export const statusToDto = (
  s: SessionData,
  queuePosition: number | null,
  project: ProjectView | null,
): SessionStatusDto => ({
  session_id: s.sessionId,
  state: s.status,
  runtime_state: runtimeStateOf(s),
  presence_state: presenceStateOf(s),
  owner_mode: s.config.ownerMode,
  connection_counts: connectionCountsOf(s),
  connections: Object.entries(s.connections)
    .map(([id, c]) => ({
      connection_id: id,
      role: c.role,
      principal_type: principalType(c.principalKind),
      opened_at: c.openedAt,
    }))
    .sort((a, b) =>
      a.opened_at < b.opened_at
        ? -1
        : a.opened_at > b.opened_at
          ? 1
          : a.connection_id < b.connection_id
            ? -1
            : 1,
    ),
  stop_eligibility: eligibility(s),
  idle_timeout_sec: s.config.idleTimeoutSec,
  idle_since: s.idleSince,
  idle_expires_at: idleExpiresAtOf(s),
  admission: admissionToDto(s, queuePosition),
  project: project === null ? null : { id: project.id, name: project.name, state: project.state },
  network_identity: networkIdentityToDto(s.config.networkIdentity),
  recording: recordingToDto(s.config.recording),
  ...ownersToDto(s),
  runtime_released_at: s.runtime?.releasedAt ?? null,
  stopped_at: s.stoppedAt,
});
