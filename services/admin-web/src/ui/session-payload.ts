import type { OwnerMode, RecordingMode, SessionCreate } from '../api/schema.gen';

/** The create form's fields, as typed. */
export type SessionForm = Readonly<{
  templateId: string;
  projectId: string;
  ownerMode: OwnerMode | '';
  idleTimeoutSec: string;
  locale: string;
  timezone: string;
  userAgent: string;
  /** One `key=value` per line. */
  labels: string;
  recordingMode: RecordingMode | '';
  retentionDays: string;
}>;

export const EMPTY_FORM: SessionForm = {
  templateId: '',
  projectId: '',
  ownerMode: '',
  idleTimeoutSec: '',
  locale: '',
  timezone: '',
  userAgent: '',
  labels: '',
  recordingMode: '',
  retentionDays: '',
};

export const parseLabels = (text: string): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const line of text.split(/[\n,]/)) {
    const t = line.trim();
    const eq = t.indexOf('=');
    if (eq > 0) out[t.slice(0, eq).trim()] = t.slice(eq + 1).trim();
  }
  return out;
};

/**
 * The exact body `POST /api/v1/sessions` receives: fields left empty are omitted so the
 * template's or the server's defaults apply.
 */
export const sessionPayload = (f: SessionForm): SessionCreate => {
  const body: SessionCreate = {};
  if (f.templateId !== '') body.template_id = f.templateId;
  if (f.projectId !== '') body.project_id = f.projectId;
  if (f.ownerMode !== '') body.owner_mode = f.ownerMode;
  const idle = f.idleTimeoutSec.trim();
  if (idle !== '' && Number.isFinite(Number(idle))) body.idle_timeout_sec = Number(idle);
  const labels = parseLabels(f.labels);
  if (Object.keys(labels).length > 0) body.labels = labels;
  const ni: NonNullable<SessionCreate['network_identity']> = {};
  if (f.locale.trim() !== '') ni.locale = f.locale.trim();
  if (f.timezone.trim() !== '') ni.timezone = f.timezone.trim();
  if (f.userAgent.trim() !== '') ni.user_agent = f.userAgent.trim();
  if (Object.keys(ni).length > 0) body.network_identity = ni;
  if (f.recordingMode !== '') {
    const days = f.retentionDays.trim();
    body.recording = {
      mode: f.recordingMode,
      ...(days !== '' && Number.isFinite(Number(days)) ? { retention_days: Number(days) } : {}),
    };
  }
  return body;
};
