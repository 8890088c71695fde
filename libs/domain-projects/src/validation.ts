import type { FieldViolation } from '@bpane/ddd';
import type { ProjectLabels, ProjectQuotas } from './events';
import type { QuotaInput } from './commands';

/** Limits of the v1 contract (openapi/bpane-control-v1.yaml, `ProjectCreate` and `Labels`). */
export const projectLimits = {
  nameMaxLength: 120,
  descriptionMaxLength: 2000,
  maxLabels: 64,
  labelValueMaxLength: 256,
  maxActiveSessions: 100_000,
  maxActiveWorkflowRuns: 100_000,
  /** 1 PiB. */
  maxRetainedStorageBytes: 1_125_899_906_842_624,
} as const;

export const LABEL_KEY = /^[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export const unlimitedQuotas: ProjectQuotas = {
  maxActiveSessions: null,
  maxActiveWorkflowRuns: null,
  maxRetainedStorageBytes: null,
};

export const validateProjectId = (id: unknown, out: FieldViolation[]): void => {
  if (typeof id !== 'string' || !UUID.test(id)) out.push({ field: 'projectId', message: 'must be a UUID' });
};

export const validateName = (name: unknown, out: FieldViolation[]): void => {
  if (typeof name !== 'string') {
    out.push({ field: 'name', message: 'must be a string' });
    return;
  }
  const trimmed = name.trim();
  if (trimmed.length === 0) out.push({ field: 'name', message: 'must not be empty' });
  else if ([...trimmed].length > projectLimits.nameMaxLength)
    out.push({ field: 'name', message: `must be at most ${projectLimits.nameMaxLength} characters` });
  else if (CONTROL.test(trimmed)) out.push({ field: 'name', message: 'must not contain control characters' });
};

export const validateDescription = (description: unknown, out: FieldViolation[]): void => {
  if (description === null) return;
  if (typeof description !== 'string') {
    out.push({ field: 'description', message: 'must be a string or null' });
    return;
  }
  if ([...description].length > projectLimits.descriptionMaxLength)
    out.push({
      field: 'description',
      message: `must be at most ${projectLimits.descriptionMaxLength} characters`,
    });
};

export const validateLabels = (labels: unknown, out: FieldViolation[]): void => {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    out.push({ field: 'labels', message: 'must be an object of string values' });
    return;
  }
  const entries = Object.entries(labels as Record<string, unknown>);
  if (entries.length > projectLimits.maxLabels)
    out.push({ field: 'labels', message: `must have at most ${projectLimits.maxLabels} entries` });
  for (const [key, value] of entries) {
    if (!LABEL_KEY.test(key))
      out.push({
        field: `labels.${key}`,
        message: 'key must be 1-63 of a-z 0-9 . _ / - and start and end with a letter or digit',
      });
    if (typeof value !== 'string') out.push({ field: `labels.${key}`, message: 'value must be a string' });
    else if ([...value].length > projectLimits.labelValueMaxLength)
      out.push({
        field: `labels.${key}`,
        message: `value must be at most ${projectLimits.labelValueMaxLength} characters`,
      });
    else if (CONTROL.test(value))
      out.push({ field: `labels.${key}`, message: 'value must not contain control characters' });
  }
};

const quotaFields = [
  ['maxActiveSessions', 'quotas.max_active_sessions', projectLimits.maxActiveSessions],
  ['maxActiveWorkflowRuns', 'quotas.max_active_workflow_runs', projectLimits.maxActiveWorkflowRuns],
  ['maxRetainedStorageBytes', 'quotas.max_retained_storage_bytes', projectLimits.maxRetainedStorageBytes],
] as const;

export const validateQuotas = (quotas: unknown, out: FieldViolation[]): void => {
  if (typeof quotas !== 'object' || quotas === null || Array.isArray(quotas)) {
    out.push({ field: 'quotas', message: 'must be an object' });
    return;
  }
  const known = new Set<string>(quotaFields.map(([k]) => k));
  for (const key of Object.keys(quotas)) {
    if (!known.has(key)) out.push({ field: `quotas.${key}`, message: 'is not a known quota' });
  }
  for (const [key, field, max] of quotaFields) {
    const v = (quotas as Record<string, unknown>)[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0 || v > max)
      out.push({ field, message: `must be null or an integer from 0 to ${max}` });
  }
};

export const mergeQuotas = (base: ProjectQuotas, input: QuotaInput | undefined): ProjectQuotas => ({
  maxActiveSessions:
    input?.maxActiveSessions === undefined ? base.maxActiveSessions : input.maxActiveSessions,
  maxActiveWorkflowRuns:
    input?.maxActiveWorkflowRuns === undefined ? base.maxActiveWorkflowRuns : input.maxActiveWorkflowRuns,
  maxRetainedStorageBytes:
    input?.maxRetainedStorageBytes === undefined
      ? base.maxRetainedStorageBytes
      : input.maxRetainedStorageBytes,
});

/** Labels as stored: a plain object with keys sorted, so equal label sets compare equal. */
export const normaliseLabels = (labels: ProjectLabels): ProjectLabels =>
  Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
