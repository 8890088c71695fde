import type { SessionTemplateState, TemplateDefaultsInput } from '@bpane/domain-sessions';
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
} from './values.dto';

/** The API shape of a session template (`openapi/src/55-session-templates.yaml`). */
export type SessionTemplateDto = {
  id: string;
  name: string;
  description: string | null;
  labels: Record<string, string>;
  owner_mode: OwnerModeDto | null;
  project_id: string | null;
  viewport: ViewportDto | null;
  idle_timeout_sec: number | null;
  default_labels: Record<string, string>;
  integration_context: Record<string, string>;
  network_identity: NetworkIdentityDto;
  recording: RecordingDto | null;
  created_at: string;
  updated_at: string;
};

export type SessionTemplateDefaultsBody = {
  owner_mode?: OwnerModeDto | null;
  project_id?: string | null;
  viewport?: ViewportDto | null;
  idle_timeout_sec?: number | null;
  default_labels?: Record<string, string>;
  integration_context?: Record<string, string>;
  network_identity?: NetworkIdentityBody;
  recording?: RecordingBody | null;
};

export type SessionTemplateCreateBody = SessionTemplateDefaultsBody & {
  name: string;
  description?: string | null;
  labels?: Record<string, string>;
  client_request_id?: string;
};

export type SessionTemplateUpdateBody = Omit<SessionTemplateCreateBody, 'name' | 'client_request_id'> & {
  name?: string;
};

export const defaultsFromBody = (b: SessionTemplateDefaultsBody): TemplateDefaultsInput => {
  const out: TemplateDefaultsInput = {};
  if (b.owner_mode !== undefined) out.ownerMode = b.owner_mode;
  if (b.project_id !== undefined) out.projectId = b.project_id;
  if (b.viewport !== undefined) out.viewport = b.viewport;
  if (b.idle_timeout_sec !== undefined) out.idleTimeoutSec = b.idle_timeout_sec;
  if (b.default_labels !== undefined) out.labels = b.default_labels;
  if (b.integration_context !== undefined) out.integrationContext = b.integration_context;
  const ni = networkIdentityFromBody(b.network_identity);
  if (ni !== undefined) out.networkIdentity = ni;
  if (b.recording !== undefined)
    out.recording = b.recording === null ? null : (recordingFromBody(b.recording) ?? {});
  return out;
};

export const templateToDto = (s: SessionTemplateState): SessionTemplateDto => {
  if (s.status === 'absent') throw new Error('a session template command left no template');
  const d = s.defaults;
  return {
    id: s.templateId,
    name: s.name,
    description: s.description,
    labels: { ...s.labels },
    owner_mode: d.ownerMode,
    project_id: d.projectId,
    viewport: d.viewport === null ? null : viewportToDto(d.viewport),
    idle_timeout_sec: d.idleTimeoutSec,
    default_labels: { ...d.labels },
    integration_context: { ...d.integrationContext },
    network_identity: networkIdentityToDto(d.networkIdentity),
    recording: d.recording === null ? null : recordingToDto(d.recording),
    created_at: s.createdAt,
    updated_at: s.updatedAt,
  };
};
