import {
  arrayOf,
  type Guard,
  type Infer,
  int,
  literal,
  nonEmptyStr,
  nullable,
  object,
  str,
  stringRecord,
} from './guards';

/**
 * Integration events of the sessions context (`bpane.sessions.*`): sessions and session templates.
 * The payload is the `data` of the stored v1 event. Fields are only ever added, never renamed or
 * removed; a breaking change is a new event type.
 */
const num: Guard<number> = (v, p) =>
  typeof v === 'number' && Number.isFinite(v) ? [] : [`${p} must be a finite number`];

const ownerMode = literal('collaborative', 'exclusive_owner');
const viewport = object({ width: int, height: int });
const networkIdentity = object({
  locale: nullable(str),
  languages: arrayOf(str),
  timezone: nullable(str),
  geolocation: nullable(object({ latitude: num, longitude: num, accuracyM: nullable(num) })),
  userAgent: nullable(str),
  egressProfileId: nullable(str),
});
const recording = object({ mode: literal('disabled', 'manual', 'always'), retentionDays: nullable(int) });

const templateDefaults = object({
  ownerMode: nullable(ownerMode),
  projectId: nullable(str),
  viewport: nullable(viewport),
  idleTimeoutSec: nullable(int),
  labels: stringRecord,
  integrationContext: stringRecord,
  networkIdentity,
  recording: nullable(recording),
});

export const sessionTemplateCreatedV1 = object({
  templateId: nonEmptyStr,
  ownerId: nonEmptyStr,
  name: nonEmptyStr,
  description: nullable(str),
  labels: stringRecord,
  defaults: templateDefaults,
  createdAt: nonEmptyStr,
});
export type SessionTemplateCreatedV1 = Infer<typeof sessionTemplateCreatedV1>;

export const sessionTemplateUpdatedV1 = object({
  templateId: nonEmptyStr,
  name: nonEmptyStr,
  description: nullable(str),
  labels: stringRecord,
  defaults: templateDefaults,
  changedFields: arrayOf(nonEmptyStr),
  updatedAt: nonEmptyStr,
});
export type SessionTemplateUpdatedV1 = Infer<typeof sessionTemplateUpdatedV1>;

export const sessionCreatedV1 = object({
  sessionId: nonEmptyStr,
  ownerId: nonEmptyStr,
  templateId: nullable(str),
  projectId: nullable(str),
  config: object({
    ownerMode,
    viewport,
    idleTimeoutSec: int,
    labels: stringRecord,
    integrationContext: stringRecord,
    networkIdentity,
    recording,
  }),
  createdAt: nonEmptyStr,
});
export type SessionCreatedV1 = Infer<typeof sessionCreatedV1>;

export const sessionAdmissionDecidedV1 = object({
  sessionId: nonEmptyStr,
  decision: literal('admitted', 'queued', 'owner_scoped'),
  reason: nonEmptyStr,
  projectId: nullable(str),
  queuePosition: nullable(int),
  decidedAt: nonEmptyStr,
});
export type SessionAdmissionDecidedV1 = Infer<typeof sessionAdmissionDecidedV1>;

export const sessionRuntimeAssignedV1 = object({
  sessionId: nonEmptyStr,
  runtimeId: nonEmptyStr,
  backend: nonEmptyStr,
  assignedAt: nonEmptyStr,
});
export type SessionRuntimeAssignedV1 = Infer<typeof sessionRuntimeAssignedV1>;

export const sessionReadyV1 = object({ sessionId: nonEmptyStr, readyAt: nonEmptyStr });
export type SessionReadyV1 = Infer<typeof sessionReadyV1>;

export const sessionBecameIdleV1 = object({ sessionId: nonEmptyStr, idleSince: nonEmptyStr });
export type SessionBecameIdleV1 = Infer<typeof sessionBecameIdleV1>;

export const sessionResumedV1 = object({ sessionId: nonEmptyStr, resumedAt: nonEmptyStr });
export type SessionResumedV1 = Infer<typeof sessionResumedV1>;

export const sessionConnectionOpenedV1 = object({
  sessionId: nonEmptyStr,
  connectionId: nonEmptyStr,
  role: literal('owner', 'collaborator', 'viewer', 'automation'),
  principalKind: literal('user', 'service'),
  principalId: nonEmptyStr,
  openedAt: nonEmptyStr,
});
export type SessionConnectionOpenedV1 = Infer<typeof sessionConnectionOpenedV1>;

export const sessionConnectionClosedV1 = object({
  sessionId: nonEmptyStr,
  connectionId: nonEmptyStr,
  reason: nonEmptyStr,
  closedAt: nonEmptyStr,
});
export type SessionConnectionClosedV1 = Infer<typeof sessionConnectionClosedV1>;

const stopReason = literal('stop', 'release', 'kill', 'cancel', 'runtime');

export const sessionStopRequestedV1 = object({
  sessionId: nonEmptyStr,
  reason: stopReason,
  requestedAt: nonEmptyStr,
});
export type SessionStopRequestedV1 = Infer<typeof sessionStopRequestedV1>;

export const sessionRuntimeReleasedV1 = object({
  sessionId: nonEmptyStr,
  runtimeId: nonEmptyStr,
  releasedAt: nonEmptyStr,
});
export type SessionRuntimeReleasedV1 = Infer<typeof sessionRuntimeReleasedV1>;

export const sessionStoppedV1 = object({
  sessionId: nonEmptyStr,
  reason: stopReason,
  stoppedAt: nonEmptyStr,
});
export type SessionStoppedV1 = Infer<typeof sessionStoppedV1>;

export const sessionCancelledV1 = object({ sessionId: nonEmptyStr, cancelledAt: nonEmptyStr });
export type SessionCancelledV1 = Infer<typeof sessionCancelledV1>;

export const sessionFailedV1 = object({
  sessionId: nonEmptyStr,
  code: nonEmptyStr,
  message: str,
  failedAt: nonEmptyStr,
});
export type SessionFailedV1 = Infer<typeof sessionFailedV1>;

export const sessionExpiredV1 = object({ sessionId: nonEmptyStr, expiredAt: nonEmptyStr });
export type SessionExpiredV1 = Infer<typeof sessionExpiredV1>;

export const sessionAutomationOwnerSetV1 = object({
  sessionId: nonEmptyStr,
  clientId: nonEmptyStr,
  setAt: nonEmptyStr,
});
export type SessionAutomationOwnerSetV1 = Infer<typeof sessionAutomationOwnerSetV1>;

export const sessionAutomationOwnerClearedV1 = object({
  sessionId: nonEmptyStr,
  clientId: nonEmptyStr,
  clearedAt: nonEmptyStr,
});
export type SessionAutomationOwnerClearedV1 = Infer<typeof sessionAutomationOwnerClearedV1>;

export const sessionMcpOwnerClaimedV1 = object({
  sessionId: nonEmptyStr,
  principalKind: literal('user', 'service'),
  principalId: nonEmptyStr,
  clientId: nullable(str),
  claimedAt: nonEmptyStr,
});
export type SessionMcpOwnerClaimedV1 = Infer<typeof sessionMcpOwnerClaimedV1>;

export const sessionMcpOwnerReleasedV1 = object({
  sessionId: nonEmptyStr,
  principalId: nonEmptyStr,
  releasedAt: nonEmptyStr,
});
export type SessionMcpOwnerReleasedV1 = Infer<typeof sessionMcpOwnerReleasedV1>;

export const sessionDeletedV1 = object({ sessionId: nonEmptyStr, deletedAt: nonEmptyStr });
export type SessionDeletedV1 = Infer<typeof sessionDeletedV1>;
