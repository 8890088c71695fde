import type { FieldViolation } from '@bpane/ddd';
import { isMappableClaim, type Labels, type MappingSubject } from './events';

export const identityLimits = {
  displayNameMaxLength: 120,
  descriptionMaxLength: 2000,
  clientIdMaxLength: 200,
  valueMaxLength: 256,
  maxLabels: 64,
} as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LABEL_KEY = /^[a-z0-9]([a-z0-9._/-]{0,61}[a-z0-9])?$/;
const CLIENT_ID = /^[A-Za-z0-9._:@/-]+$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export const checkUuid = (value: unknown, field: string, out: FieldViolation[]): void => {
  if (typeof value !== 'string' || !UUID.test(value)) out.push({ field, message: 'must be a UUID' });
};

export const checkText = (
  value: unknown,
  field: string,
  max: number,
  out: FieldViolation[],
  opts: { nullable?: boolean; nonEmpty?: boolean } = {},
): void => {
  if (value === null && opts.nullable) return;
  if (typeof value !== 'string') {
    out.push({ field, message: opts.nullable ? 'must be a string or null' : 'must be a string' });
    return;
  }
  if (opts.nonEmpty && value.trim().length === 0) out.push({ field, message: 'must not be empty' });
  else if ([...value].length > max) out.push({ field, message: `must be at most ${max} characters` });
  else if (CONTROL.test(value) && field !== 'description')
    out.push({ field, message: 'must not contain control characters' });
};

export const checkClientId = (value: unknown, out: FieldViolation[]): void => {
  if (typeof value !== 'string' || value.length === 0 || value.length > identityLimits.clientIdMaxLength) {
    out.push({ field: 'client_id', message: `must be 1-${identityLimits.clientIdMaxLength} characters` });
    return;
  }
  if (!CLIENT_ID.test(value))
    out.push({ field: 'client_id', message: 'may contain letters, digits and . _ : @ / -' });
};

export const checkIssuer = (value: unknown, out: FieldViolation[]): void => {
  if (value === null || value === undefined) return;
  try {
    if (typeof value !== 'string') throw new Error('type');
    const u = new URL(value);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error('scheme');
  } catch {
    out.push({ field: 'issuer', message: 'must be an http(s) URL' });
  }
};

export const checkLabels = (labels: unknown, out: FieldViolation[]): void => {
  if (typeof labels !== 'object' || labels === null || Array.isArray(labels)) {
    out.push({ field: 'labels', message: 'must be an object of string values' });
    return;
  }
  const entries = Object.entries(labels as Record<string, unknown>);
  if (entries.length > identityLimits.maxLabels)
    out.push({ field: 'labels', message: `must have at most ${identityLimits.maxLabels} entries` });
  for (const [k, v] of entries) {
    if (!LABEL_KEY.test(k)) out.push({ field: `labels.${k}`, message: 'is not a valid label key' });
    else if (typeof v !== 'string' || [...v].length > identityLimits.valueMaxLength)
      out.push({
        field: `labels.${k}`,
        message: `value must be a string of at most ${identityLimits.valueMaxLength} characters`,
      });
  }
};

export const checkSubject = (subject: MappingSubject, out: FieldViolation[]): void => {
  const short = (v: unknown, field: string): void =>
    checkText(v, field, identityLimits.valueMaxLength, out, { nonEmpty: true });
  switch (subject.kind) {
    case 'user':
      short(subject.subject, 'subject.subject');
      return;
    case 'group':
      short(subject.group, 'subject.group');
      return;
    case 'claim':
      if (typeof subject.claim !== 'string' || !isMappableClaim(subject.claim))
        out.push({
          field: 'subject.claim',
          message:
            'must be one of roles, realm_access.roles, resource_access.<client>.roles, tenant, tenant_id, organization, organization_id, org_id, department',
        });
      short(subject.value, 'subject.value');
      return;
    case 'service_principal':
      checkUuid(subject.servicePrincipalId, 'subject.service_principal_id', out);
      return;
    default:
      out.push({ field: 'subject.kind', message: 'must be user, group, claim or service_principal' });
  }
};

export const normaliseLabels = (labels: Labels): Labels =>
  Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
