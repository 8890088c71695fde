/**
 * Version 1 of the session events, FROZEN: stored in the event log and never edited. A breaking
 * change gets a new type name plus an upcaster. Every state transition of a session is one of
 * these events (see docs/sessions.md for the table of transitions).
 */
import type { DomainEvent } from '@bpane/ddd';
import type { NetworkIdentity, OwnerMode, RecordingPolicy, StringMap, Viewport } from './values';

/** The resolved configuration of a session (template defaults merged, explicit fields won). */
export type SessionConfigV1 = Readonly<{
  ownerMode: OwnerMode;
  viewport: Viewport;
  idleTimeoutSec: number;
  labels: StringMap;
  integrationContext: StringMap;
  networkIdentity: NetworkIdentity;
  recording: RecordingPolicy;
}>;

export type AdmissionDecisionV1 = 'admitted' | 'queued' | 'owner_scoped';

export type SessionCreatedV1 = DomainEvent<
  'SessionCreated',
  Readonly<{
    sessionId: string;
    ownerId: string;
    templateId: string | null;
    projectId: string | null;
    config: SessionConfigV1;
    createdAt: string;
  }>
>;

/** Admission of the session into its project (or owner scope); recorded again when a queued one is admitted. */
export type SessionAdmissionDecidedV1 = DomainEvent<
  'SessionAdmissionDecided',
  Readonly<{
    sessionId: string;
    decision: AdmissionDecisionV1;
    /** Machine-readable reason: owner_scoped, unlimited_quota, within_quota, quota_exhausted, capacity_freed. */
    reason: string;
    projectId: string | null;
    /** 1-based position in the project's queue at decision time (queued only). */
    queuePosition: number | null;
    decidedAt: string;
  }>
>;

/** pending → starting: a runtime backend took the session. */
export type SessionRuntimeAssignedV1 = DomainEvent<
  'SessionRuntimeAssigned',
  Readonly<{ sessionId: string; runtimeId: string; backend: string; assignedAt: string }>
>;

/** starting → ready. */
export type SessionReadyV1 = DomainEvent<'SessionReady', Readonly<{ sessionId: string; readyAt: string }>>;

/** ready → idle. */
export type SessionBecameIdleV1 = DomainEvent<
  'SessionBecameIdle',
  Readonly<{ sessionId: string; idleSince: string }>
>;

/** idle → ready. */
export type SessionResumedV1 = DomainEvent<
  'SessionResumed',
  Readonly<{ sessionId: string; resumedAt: string }>
>;

export type ConnectionRoleV1 = 'owner' | 'collaborator' | 'viewer' | 'automation';

export type SessionConnectionOpenedV1 = DomainEvent<
  'SessionConnectionOpened',
  Readonly<{
    sessionId: string;
    connectionId: string;
    role: ConnectionRoleV1;
    principalKind: 'user' | 'service';
    principalId: string;
    openedAt: string;
  }>
>;

export type SessionConnectionClosedV1 = DomainEvent<
  'SessionConnectionClosed',
  Readonly<{ sessionId: string; connectionId: string; reason: string; closedAt: string }>
>;

export type StopReasonV1 = 'stop' | 'release' | 'kill' | 'cancel' | 'runtime';

/** starting | ready | idle | pending → stopping. */
export type SessionStopRequestedV1 = DomainEvent<
  'SessionStopRequested',
  Readonly<{ sessionId: string; reason: StopReasonV1; requestedAt: string }>
>;

/** The runtime assignment ended (runtime_state becomes released). */
export type SessionRuntimeReleasedV1 = DomainEvent<
  'SessionRuntimeReleased',
  Readonly<{ sessionId: string; runtimeId: string; releasedAt: string }>
>;

/** stopping → stopped. */
export type SessionStoppedV1 = DomainEvent<
  'SessionStopped',
  Readonly<{ sessionId: string; reason: StopReasonV1; stoppedAt: string }>
>;

/** pending → stopped, for a session that never got a runtime. */
export type SessionCancelledV1 = DomainEvent<
  'SessionCancelled',
  Readonly<{ sessionId: string; cancelledAt: string }>
>;

/** any live state → failed. */
export type SessionFailedV1 = DomainEvent<
  'SessionFailed',
  Readonly<{ sessionId: string; code: string; message: string; failedAt: string }>
>;

/** idle → expired (idle timeout elapsed). */
export type SessionExpiredV1 = DomainEvent<
  'SessionExpired',
  Readonly<{ sessionId: string; expiredAt: string }>
>;

export type SessionAutomationOwnerSetV1 = DomainEvent<
  'SessionAutomationOwnerSet',
  Readonly<{ sessionId: string; clientId: string; setAt: string }>
>;

export type SessionAutomationOwnerClearedV1 = DomainEvent<
  'SessionAutomationOwnerCleared',
  Readonly<{ sessionId: string; clientId: string; clearedAt: string }>
>;

export type SessionMcpOwnerClaimedV1 = DomainEvent<
  'SessionMcpOwnerClaimed',
  Readonly<{
    sessionId: string;
    principalKind: 'user' | 'service';
    principalId: string;
    clientId: string | null;
    claimedAt: string;
  }>
>;

export type SessionMcpOwnerReleasedV1 = DomainEvent<
  'SessionMcpOwnerReleased',
  Readonly<{ sessionId: string; principalId: string; releasedAt: string }>
>;

/** A stopped, failed or expired session is removed from the catalogue. */
export type SessionDeletedV1 = DomainEvent<
  'SessionDeleted',
  Readonly<{ sessionId: string; deletedAt: string }>
>;

export type SessionEventV1 =
  | SessionCreatedV1
  | SessionAdmissionDecidedV1
  | SessionRuntimeAssignedV1
  | SessionReadyV1
  | SessionBecameIdleV1
  | SessionResumedV1
  | SessionConnectionOpenedV1
  | SessionConnectionClosedV1
  | SessionStopRequestedV1
  | SessionRuntimeReleasedV1
  | SessionStoppedV1
  | SessionCancelledV1
  | SessionFailedV1
  | SessionExpiredV1
  | SessionAutomationOwnerSetV1
  | SessionAutomationOwnerClearedV1
  | SessionMcpOwnerClaimedV1
  | SessionMcpOwnerReleasedV1
  | SessionDeletedV1;

export const sessionEventTypesV1 = [
  'SessionCreated',
  'SessionAdmissionDecided',
  'SessionRuntimeAssigned',
  'SessionReady',
  'SessionBecameIdle',
  'SessionResumed',
  'SessionConnectionOpened',
  'SessionConnectionClosed',
  'SessionStopRequested',
  'SessionRuntimeReleased',
  'SessionStopped',
  'SessionCancelled',
  'SessionFailed',
  'SessionExpired',
  'SessionAutomationOwnerSet',
  'SessionAutomationOwnerCleared',
  'SessionMcpOwnerClaimed',
  'SessionMcpOwnerReleased',
  'SessionDeleted',
] as const satisfies readonly SessionEventV1['type'][];
