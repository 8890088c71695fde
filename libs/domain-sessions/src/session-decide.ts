import {
  ConflictError,
  IllegalStateError,
  NotFoundError,
  ValidationFailedError,
  type AggregateRegistration,
  type Command,
  type CommandMetadata,
  type Decider,
  type FieldViolation,
} from '@bpane/ddd';
import { assertNever } from '@bpane/errors';
import type { AdmissionInput } from './admission';
import {
  CONNECTION_ROLES,
  SESSION_STREAM_PREFIX,
  STOPPABLE_STATES,
  TERMINAL_STATES,
  connectionCountsOf,
  evolveSession,
  initialSessionState,
  isLiveSession,
  sessionUpcasters,
  stopEligibilityOf,
  type ConnectionRole,
  type SessionConfig,
  type SessionData,
  type SessionEvent,
  type SessionLifecycleState,
  type SessionState,
  type StopBlocker,
} from './session';
import {
  validateIdleTimeout,
  validateIntegrationContext,
  validateLabels,
  validateNetworkIdentity,
  validateNullableUuid,
  validateOwnerMode,
  validateRecording,
  validateUuid,
  validateViewport,
} from './values';

type Id = Readonly<{ sessionId: string }>;

export type CreateSession = Command<
  'CreateSession',
  Readonly<{
    sessionId: string;
    templateId: string | null;
    projectId: string | null;
    config: SessionConfig;
    admission: AdmissionInput;
  }>
>;
/** A queued session gets a slot (the project freed capacity). */
export type AdmitQueuedSession = Command<'AdmitQueuedSession', Id>;
export type AssignRuntime = Command<'AssignRuntime', Id & Readonly<{ runtimeId: string; backend: string }>>;
export type MarkSessionReady = Command<'MarkSessionReady', Id>;
export type MarkSessionIdle = Command<'MarkSessionIdle', Id>;
export type MarkSessionActive = Command<'MarkSessionActive', Id>;
export type OpenConnection = Command<
  'OpenConnection',
  Id &
    Readonly<{
      connectionId: string;
      role: ConnectionRole;
      principalKind: 'user' | 'service';
      principalId: string;
    }>
>;
export type CloseConnection = Command<
  'CloseConnection',
  Id & Readonly<{ connectionId: string; reason: string }>
>;
export type CloseAllConnections = Command<'CloseAllConnections', Id & Readonly<{ reason: string }>>;
/** `stop`: safe stop, refused while blockers remain; `release`: only connections block; `kill`: nothing blocks. */
export type StopSession = Command<'StopSession', Id & Readonly<{ mode: 'stop' | 'release' | 'kill' }>>;
/** The runtime confirmed that a stopping session's runtime is gone. */
export type CompleteSessionStop = Command<'CompleteSessionStop', Id>;
export type CancelSession = Command<'CancelSession', Id>;
export type FailSession = Command<'FailSession', Id & Readonly<{ code: string; message: string }>>;
export type ExpireSession = Command<'ExpireSession', Id>;
export type SetAutomationOwner = Command<'SetAutomationOwner', Id & Readonly<{ clientId: string }>>;
export type ClearAutomationOwner = Command<'ClearAutomationOwner', Id>;
export type ClaimMcpOwner = Command<
  'ClaimMcpOwner',
  Id & Readonly<{ principalKind: 'user' | 'service'; principalId: string; clientId: string | null }>
>;
export type ReleaseMcpOwner = Command<'ReleaseMcpOwner', Id>;
export type DeleteSession = Command<'DeleteSession', Id>;

export type SessionCommand =
  | CreateSession
  | AdmitQueuedSession
  | AssignRuntime
  | MarkSessionReady
  | MarkSessionIdle
  | MarkSessionActive
  | OpenConnection
  | CloseConnection
  | CloseAllConnections
  | StopSession
  | CompleteSessionStop
  | CancelSession
  | FailSession
  | ExpireSession
  | SetAutomationOwner
  | ClearAutomationOwner
  | ClaimMcpOwner
  | ReleaseMcpOwner
  | DeleteSession;

/** `illegal_state` for a command the session's state does not allow; carries the blockers. */
export class SessionIllegalStateError extends IllegalStateError {
  constructor(
    message: string,
    readonly sessionState: SessionLifecycleState,
    readonly blockers: readonly StopBlocker[] = [],
  ) {
    super(message, { state: sessionState, blockers });
  }
}

const fail = (v: FieldViolation[]): void => {
  if (v.length > 0) throw new ValidationFailedError(v);
};

const requestedOwner = (m: CommandMetadata): string => m.ownerId ?? m.actor.id;

const visible = (state: SessionState, c: SessionCommand): SessionData => {
  const id = c.data.sessionId;
  if (!isLiveSession(state) || state.sessionId !== id) throw new NotFoundError('session', id);
  if (c.metadata.actor.kind !== 'system' && state.ownerId !== requestedOwner(c.metadata))
    throw new NotFoundError('session', id);
  return state;
};

const requireState = (s: SessionData, allowed: readonly SessionLifecycleState[], what: string): void => {
  if (!allowed.includes(s.status))
    throw new SessionIllegalStateError(
      `cannot ${what} a session that is ${s.status} (allowed from: ${allowed.join(', ')})`,
      s.status,
    );
};

const TOKEN = /^[A-Za-z0-9][A-Za-z0-9._:@/-]{0,199}$/;
const validateToken = (v: unknown, field: string, out: FieldViolation[]): void => {
  if (typeof v !== 'string' || !TOKEN.test(v))
    out.push({ field, message: 'must be 1-200 of A-Z a-z 0-9 . _ : @ / - starting with a letter or digit' });
};

export const validateSessionConfig = (c: SessionConfig, out: FieldViolation[]): void => {
  validateOwnerMode(c.ownerMode, 'owner_mode', out);
  validateViewport(c.viewport, 'viewport', out);
  validateIdleTimeout(c.idleTimeoutSec, 'idle_timeout_sec', out);
  validateLabels(c.labels, 'labels', out);
  validateIntegrationContext(c.integrationContext, 'integration_context', out);
  validateNetworkIdentity(c.networkIdentity, 'network_identity', out);
  validateRecording(c.recording, 'recording', out);
};

const create = (c: CreateSession, state: SessionState): SessionEvent[] => {
  const d = c.data;
  const v: FieldViolation[] = [];
  validateUuid(d.sessionId, 'session_id', v);
  validateNullableUuid(d.templateId, 'template_id', v);
  validateNullableUuid(d.projectId, 'project_id', v);
  validateSessionConfig(d.config, v);
  if (d.admission.projectId !== d.projectId)
    v.push({ field: 'admission.project_id', message: 'must be the session project' });
  if ((d.admission.decision === 'owner_scoped') !== (d.projectId === null))
    v.push({ field: 'admission.decision', message: 'owner_scoped exactly when there is no project' });
  if ((d.admission.decision === 'queued') !== (d.admission.queuePosition !== null))
    v.push({ field: 'admission.queue_position', message: 'is given exactly for queued sessions' });
  fail(v);
  if (state.status !== 'absent')
    throw new ConflictError(`session ${d.sessionId} already exists`, { sessionId: d.sessionId });
  const now = c.metadata.now;
  return [
    {
      type: 'SessionCreated',
      data: {
        sessionId: d.sessionId,
        ownerId: requestedOwner(c.metadata),
        templateId: d.templateId,
        projectId: d.projectId,
        config: d.config,
        createdAt: now,
      },
    },
    { type: 'SessionAdmissionDecided', data: { sessionId: d.sessionId, ...d.admission, decidedAt: now } },
  ];
};

/** Events that take a session from its current state to stopped (or stopping, while a runtime must confirm). */
const stopEvents = (s: SessionData, mode: 'stop' | 'release' | 'kill', now: string): SessionEvent[] => {
  const id = s.sessionId;
  const out: SessionEvent[] = [];
  if (mode === 'kill') {
    for (const connectionId of Object.keys(s.connections))
      out.push({
        type: 'SessionConnectionClosed',
        data: { sessionId: id, connectionId, reason: 'killed', closedAt: now },
      });
    if (s.automationOwner !== null)
      out.push({
        type: 'SessionAutomationOwnerCleared',
        data: { sessionId: id, clientId: s.automationOwner.clientId, clearedAt: now },
      });
    if (s.mcpOwner !== null)
      out.push({
        type: 'SessionMcpOwnerReleased',
        data: { sessionId: id, principalId: s.mcpOwner.principalId, releasedAt: now },
      });
  }
  if (s.status !== 'stopping')
    out.push({ type: 'SessionStopRequested', data: { sessionId: id, reason: mode, requestedAt: now } });
  const runtimeHeld = s.runtime !== null && s.runtime.releasedAt === null;
  // A graceful stop of a session with a runtime waits in `stopping` for the runtime to confirm.
  if (mode === 'stop' && runtimeHeld) return out;
  if (runtimeHeld)
    out.push({
      type: 'SessionRuntimeReleased',
      data: { sessionId: id, runtimeId: s.runtime.runtimeId, releasedAt: now },
    });
  out.push({ type: 'SessionStopped', data: { sessionId: id, reason: mode, stoppedAt: now } });
  return out;
};

const stop = (c: StopSession, s: SessionData): SessionEvent[] => {
  const { mode } = c.data;
  const now = c.metadata.now;
  switch (mode) {
    case 'stop': {
      const e = stopEligibilityOf(s);
      if (!e.allowed)
        throw new SessionIllegalStateError(
          `the session cannot be stopped now: ${e.blockers.map((b) => b.code).join(', ')}`,
          s.status,
          e.blockers,
        );
      return stopEvents(s, 'stop', now);
    }
    case 'release': {
      requireState(s, ['starting', 'ready', 'idle'], 'release');
      const n = connectionCountsOf(s).total;
      if (n > 0)
        throw new SessionIllegalStateError(
          'the session has live connections; disconnect them first',
          s.status,
          [{ code: 'active_connections', message: `${n} live connection(s) are attached`, count: n }],
        );
      return stopEvents(s, 'release', now);
    }
    case 'kill':
      requireState(s, [...STOPPABLE_STATES, 'stopping'], 'kill');
      return stopEvents(s, 'kill', now);
    default:
      return assertNever(mode, 'stop mode');
  }
};

const decide = (c: SessionCommand, state: SessionState): SessionEvent[] => {
  if (c.type === 'CreateSession') return create(c, state);
  const v: FieldViolation[] = [];
  validateUuid(c.data.sessionId, 'session_id', v);
  fail(v);
  const s = visible(state, c);
  const id = s.sessionId;
  const now = c.metadata.now;
  switch (c.type) {
    case 'AdmitQueuedSession':
      requireState(s, ['pending'], 'admit');
      if (s.admission?.decision !== 'queued')
        throw new SessionIllegalStateError('the session is not queued', s.status);
      return [
        {
          type: 'SessionAdmissionDecided',
          data: {
            sessionId: id,
            decision: 'admitted',
            reason: 'capacity_freed',
            projectId: s.projectId,
            queuePosition: null,
            decidedAt: now,
          },
        },
      ];
    case 'AssignRuntime': {
      validateToken(c.data.runtimeId, 'runtime_id', v);
      validateToken(c.data.backend, 'backend', v);
      fail(v);
      requireState(s, ['pending'], 'start');
      if (s.admission?.decision === 'queued')
        throw new SessionIllegalStateError('the session is queued for project capacity', s.status);
      return [
        {
          type: 'SessionRuntimeAssigned',
          data: { sessionId: id, runtimeId: c.data.runtimeId, backend: c.data.backend, assignedAt: now },
        },
      ];
    }
    case 'MarkSessionReady':
      requireState(s, ['starting'], 'mark ready');
      return [{ type: 'SessionReady', data: { sessionId: id, readyAt: now } }];
    case 'MarkSessionIdle': {
      requireState(s, ['ready'], 'idle');
      const counts = connectionCountsOf(s);
      if (counts.total - counts.automation > 0 || s.mcpOwner !== null)
        throw new SessionIllegalStateError(
          'a viewer or MCP owner is attached; the session is not idle',
          s.status,
        );
      return [{ type: 'SessionBecameIdle', data: { sessionId: id, idleSince: now } }];
    }
    case 'MarkSessionActive':
      requireState(s, ['idle'], 'resume');
      return [{ type: 'SessionResumed', data: { sessionId: id, resumedAt: now } }];
    case 'OpenConnection': {
      validateToken(c.data.connectionId, 'connection_id', v);
      validateToken(c.data.principalId, 'principal_id', v);
      if (!CONNECTION_ROLES.includes(c.data.role))
        v.push({ field: 'role', message: `must be one of ${CONNECTION_ROLES.join(', ')}` });
      fail(v);
      requireState(s, ['ready', 'idle'], 'connect to');
      if (s.connections[c.data.connectionId] !== undefined)
        throw new ConflictError(`connection ${c.data.connectionId} is already open`);
      const out: SessionEvent[] = [];
      if (s.status === 'idle') out.push({ type: 'SessionResumed', data: { sessionId: id, resumedAt: now } });
      out.push({
        type: 'SessionConnectionOpened',
        data: {
          sessionId: id,
          connectionId: c.data.connectionId,
          role: c.data.role,
          principalKind: c.data.principalKind,
          principalId: c.data.principalId,
          openedAt: now,
        },
      });
      return out;
    }
    case 'CloseConnection':
      if (s.connections[c.data.connectionId] === undefined)
        throw new NotFoundError('connection', c.data.connectionId);
      return [
        {
          type: 'SessionConnectionClosed',
          data: { sessionId: id, connectionId: c.data.connectionId, reason: c.data.reason, closedAt: now },
        },
      ];
    case 'CloseAllConnections':
      return Object.keys(s.connections).map((connectionId) => ({
        type: 'SessionConnectionClosed' as const,
        data: { sessionId: id, connectionId, reason: c.data.reason, closedAt: now },
      }));
    case 'StopSession':
      return stop(c, s);
    case 'CompleteSessionStop': {
      requireState(s, ['stopping'], 'complete the stop of');
      const out: SessionEvent[] = [];
      if (s.runtime !== null && s.runtime.releasedAt === null)
        out.push({
          type: 'SessionRuntimeReleased',
          data: { sessionId: id, runtimeId: s.runtime.runtimeId, releasedAt: now },
        });
      out.push({
        type: 'SessionStopped',
        data: { sessionId: id, reason: s.stopReason ?? 'runtime', stoppedAt: now },
      });
      return out;
    }
    case 'CancelSession':
      requireState(s, ['pending'], 'cancel');
      return [{ type: 'SessionCancelled', data: { sessionId: id, cancelledAt: now } }];
    case 'FailSession': {
      validateToken(c.data.code, 'code', v);
      if (typeof c.data.message !== 'string' || c.data.message.length > 2000)
        v.push({ field: 'message', message: 'must be a string of at most 2000 characters' });
      fail(v);
      requireState(s, ['pending', 'starting', 'ready', 'idle', 'stopping'], 'fail');
      return [
        {
          type: 'SessionFailed',
          data: { sessionId: id, code: c.data.code, message: c.data.message, failedAt: now },
        },
      ];
    }
    case 'ExpireSession': {
      requireState(s, ['idle'], 'expire');
      const out: SessionEvent[] = [];
      if (s.runtime !== null && s.runtime.releasedAt === null)
        out.push({
          type: 'SessionRuntimeReleased',
          data: { sessionId: id, runtimeId: s.runtime.runtimeId, releasedAt: now },
        });
      out.push({ type: 'SessionExpired', data: { sessionId: id, expiredAt: now } });
      return out;
    }
    case 'SetAutomationOwner':
      validateToken(c.data.clientId, 'client_id', v);
      fail(v);
      requireState(s, ['pending', 'starting', 'ready', 'idle'], 'delegate automation of');
      if (s.automationOwner?.clientId === c.data.clientId) return [];
      return [
        { type: 'SessionAutomationOwnerSet', data: { sessionId: id, clientId: c.data.clientId, setAt: now } },
      ];
    case 'ClearAutomationOwner':
      if (s.automationOwner === null) return [];
      return [
        {
          type: 'SessionAutomationOwnerCleared',
          data: { sessionId: id, clientId: s.automationOwner.clientId, clearedAt: now },
        },
      ];
    case 'ClaimMcpOwner':
      validateToken(c.data.principalId, 'principal_id', v);
      fail(v);
      requireState(s, ['pending', 'starting', 'ready', 'idle'], 'claim MCP ownership of');
      if (s.mcpOwner !== null) {
        if (s.mcpOwner.principalId === c.data.principalId) return [];
        throw new SessionIllegalStateError(
          'another principal owns the MCP control of this session',
          s.status,
        );
      }
      return [
        {
          type: 'SessionMcpOwnerClaimed',
          data: {
            sessionId: id,
            principalKind: c.data.principalKind,
            principalId: c.data.principalId,
            clientId: c.data.clientId,
            claimedAt: now,
          },
        },
      ];
    case 'ReleaseMcpOwner':
      if (s.mcpOwner === null) return [];
      return [
        {
          type: 'SessionMcpOwnerReleased',
          data: { sessionId: id, principalId: s.mcpOwner.principalId, releasedAt: now },
        },
      ];
    case 'DeleteSession':
      if (!TERMINAL_STATES.includes(s.status))
        throw new SessionIllegalStateError(
          `only a stopped, failed or expired session can be deleted; this one is ${s.status}`,
          s.status,
          [
            { code: 'state', message: `the session is ${s.status}; stop it first` },
            ...stopEligibilityOf(s).blockers.filter((b) => b.code !== 'state'),
          ],
        );
      return [{ type: 'SessionDeleted', data: { sessionId: id, deletedAt: now } }];
    default:
      return assertNever(c, 'session command');
  }
};

export const sessionDecider: Decider<SessionCommand, SessionEvent, SessionState> = {
  decide,
  evolve: evolveSession,
  initialState: initialSessionState,
  ownerOf: (s) => (s.status === 'absent' ? undefined : s.ownerId),
};

export const sessionAggregate: AggregateRegistration = {
  name: 'session',
  streamPrefix: SESSION_STREAM_PREFIX,
  decider: sessionDecider,
  upcasters: sessionUpcasters,
};
