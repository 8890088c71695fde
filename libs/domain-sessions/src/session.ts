import { assertNever } from '@bpane/errors';
import type {
  AdmissionDecisionV1,
  ConnectionRoleV1,
  SessionConfigV1,
  SessionEventV1,
  StopReasonV1,
} from './session.events.v1';
import { sessionEventTypesV1 } from './session.events.v1';
import { createUpcasterRegistry } from '@bpane/ddd';

export type SessionConfig = SessionConfigV1;
export type SessionEvent = SessionEventV1;
export type AdmissionDecision = AdmissionDecisionV1;
export type ConnectionRole = ConnectionRoleV1;
export type StopReason = StopReasonV1;

export const sessionEventTypes: readonly SessionEvent['type'][] = sessionEventTypesV1;
export const isSessionEvent = (e: { type: string }): e is SessionEvent =>
  (sessionEventTypes as readonly string[]).includes(e.type);
export const sessionUpcasters = createUpcasterRegistry([]);

export const SESSION_STREAM_PREFIX = 'session-';
export const sessionStreamId = (id: string): string => `${SESSION_STREAM_PREFIX}${id}`;

export const SESSION_STATES = [
  'pending',
  'starting',
  'ready',
  'idle',
  'stopping',
  'stopped',
  'failed',
  'expired',
] as const;
export type SessionLifecycleState = (typeof SESSION_STATES)[number];
export const TERMINAL_STATES: readonly SessionLifecycleState[] = ['stopped', 'failed', 'expired'];
/** States in which an admitted session holds a slot of its project's quota. */
export const ACTIVE_STATES: readonly SessionLifecycleState[] = [
  'pending',
  'starting',
  'ready',
  'idle',
  'stopping',
];

export const RUNTIME_STATES = ['none', 'starting', 'running', 'stopping', 'released', 'failed'] as const;
export type RuntimeState = (typeof RUNTIME_STATES)[number];

export const PRESENCE_STATES = ['empty', 'connected', 'automation'] as const;
export type PresenceState = (typeof PRESENCE_STATES)[number];

export const CONNECTION_ROLES: readonly ConnectionRole[] = ['owner', 'collaborator', 'viewer', 'automation'];

export type Admission = Readonly<{
  decision: AdmissionDecision;
  reason: string;
  projectId: string | null;
  queuePosition: number | null;
  decidedAt: string;
}>;

export type Connection = Readonly<{
  role: ConnectionRole;
  principalKind: 'user' | 'service';
  principalId: string;
  openedAt: string;
}>;

export type SessionData = Readonly<{
  status: SessionLifecycleState;
  sessionId: string;
  ownerId: string;
  templateId: string | null;
  projectId: string | null;
  config: SessionConfig;
  admission: Admission | null;
  runtime: Readonly<{
    runtimeId: string;
    backend: string;
    assignedAt: string;
    releasedAt: string | null;
  }> | null;
  connections: Readonly<Record<string, Connection>>;
  automationOwner: Readonly<{ clientId: string; setAt: string }> | null;
  mcpOwner: Readonly<{
    principalKind: 'user' | 'service';
    principalId: string;
    clientId: string | null;
    claimedAt: string;
  }> | null;
  idleSince: string | null;
  stopReason: StopReason | null;
  stoppedAt: string | null;
  failure: Readonly<{ code: string; message: string }> | null;
  createdAt: string;
  updatedAt: string;
}>;

/** Write-side state of one session: absent, a live/terminal session, or deleted from the catalogue. */
export type SessionState =
  | Readonly<{ status: 'absent' }>
  | SessionData
  | Readonly<{ status: 'deleted'; sessionId: string; ownerId: string; deletedAt: string }>;

export const initialSessionState = (): SessionState => ({ status: 'absent' });

const live = (s: SessionState): s is SessionData => s.status !== 'absent' && s.status !== 'deleted';

const withoutKey = <V>(m: Readonly<Record<string, V>>, key: string): Record<string, V> =>
  Object.fromEntries(Object.entries(m).filter(([k]) => k !== key));

export const evolveSession = (state: SessionState, event: SessionEvent): SessionState => {
  if (event.type === 'SessionCreated') {
    const d = event.data;
    return {
      status: 'pending',
      sessionId: d.sessionId,
      ownerId: d.ownerId,
      templateId: d.templateId,
      projectId: d.projectId,
      config: d.config,
      admission: null,
      runtime: null,
      connections: {},
      automationOwner: null,
      mcpOwner: null,
      idleSince: null,
      stopReason: null,
      stoppedAt: null,
      failure: null,
      createdAt: d.createdAt,
      updatedAt: d.createdAt,
    };
  }
  if (!live(state)) return state;
  switch (event.type) {
    case 'SessionAdmissionDecided': {
      const { sessionId: _s, ...admission } = event.data;
      return { ...state, admission, updatedAt: event.data.decidedAt };
    }
    case 'SessionRuntimeAssigned': {
      const d = event.data;
      return {
        ...state,
        status: 'starting',
        runtime: { runtimeId: d.runtimeId, backend: d.backend, assignedAt: d.assignedAt, releasedAt: null },
        updatedAt: d.assignedAt,
      };
    }
    case 'SessionReady':
      return { ...state, status: 'ready', updatedAt: event.data.readyAt };
    case 'SessionBecameIdle':
      return { ...state, status: 'idle', idleSince: event.data.idleSince, updatedAt: event.data.idleSince };
    case 'SessionResumed':
      return { ...state, status: 'ready', idleSince: null, updatedAt: event.data.resumedAt };
    case 'SessionConnectionOpened': {
      const d = event.data;
      return {
        ...state,
        connections: {
          ...state.connections,
          [d.connectionId]: {
            role: d.role,
            principalKind: d.principalKind,
            principalId: d.principalId,
            openedAt: d.openedAt,
          },
        },
        updatedAt: d.openedAt,
      };
    }
    case 'SessionConnectionClosed':
      return {
        ...state,
        connections: withoutKey(state.connections, event.data.connectionId),
        updatedAt: event.data.closedAt,
      };
    case 'SessionStopRequested':
      return {
        ...state,
        status: 'stopping',
        stopReason: event.data.reason,
        updatedAt: event.data.requestedAt,
      };
    case 'SessionRuntimeReleased':
      return {
        ...state,
        runtime: state.runtime === null ? null : { ...state.runtime, releasedAt: event.data.releasedAt },
        updatedAt: event.data.releasedAt,
      };
    case 'SessionStopped':
      return {
        ...state,
        status: 'stopped',
        stopReason: event.data.reason,
        stoppedAt: event.data.stoppedAt,
        idleSince: null,
        updatedAt: event.data.stoppedAt,
      };
    case 'SessionCancelled':
      return {
        ...state,
        status: 'stopped',
        stopReason: 'cancel',
        stoppedAt: event.data.cancelledAt,
        updatedAt: event.data.cancelledAt,
      };
    case 'SessionFailed':
      return {
        ...state,
        status: 'failed',
        failure: { code: event.data.code, message: event.data.message },
        stoppedAt: event.data.failedAt,
        idleSince: null,
        updatedAt: event.data.failedAt,
      };
    case 'SessionExpired':
      return {
        ...state,
        status: 'expired',
        stoppedAt: event.data.expiredAt,
        updatedAt: event.data.expiredAt,
      };
    case 'SessionAutomationOwnerSet':
      return {
        ...state,
        automationOwner: { clientId: event.data.clientId, setAt: event.data.setAt },
        updatedAt: event.data.setAt,
      };
    case 'SessionAutomationOwnerCleared':
      return { ...state, automationOwner: null, updatedAt: event.data.clearedAt };
    case 'SessionMcpOwnerClaimed': {
      const d = event.data;
      return {
        ...state,
        mcpOwner: {
          principalKind: d.principalKind,
          principalId: d.principalId,
          clientId: d.clientId,
          claimedAt: d.claimedAt,
        },
        updatedAt: d.claimedAt,
      };
    }
    case 'SessionMcpOwnerReleased':
      return { ...state, mcpOwner: null, updatedAt: event.data.releasedAt };
    case 'SessionDeleted':
      return {
        status: 'deleted',
        sessionId: state.sessionId,
        ownerId: state.ownerId,
        deletedAt: event.data.deletedAt,
      };
    default:
      return assertNever(event, 'session event');
  }
};

// --- derived views ---------------------------------------------------------------------------

/** Runtime state, derived from the lifecycle state and the runtime assignment. */
export const runtimeStateOf = (s: SessionData): RuntimeState => {
  switch (s.status) {
    case 'pending':
      return 'none';
    case 'starting':
      return 'starting';
    case 'ready':
    case 'idle':
      return 'running';
    case 'stopping':
      return s.runtime === null ? 'none' : s.runtime.releasedAt === null ? 'stopping' : 'released';
    case 'failed':
      return 'failed';
    case 'stopped':
    case 'expired':
      return s.runtime === null ? 'none' : 'released';
    default:
      return assertNever(s.status, 'session state');
  }
};

export type ConnectionCounts = Readonly<Record<ConnectionRole | 'total', number>>;

export const connectionCountsOf = (s: SessionData): ConnectionCounts => {
  const counts = { owner: 0, collaborator: 0, viewer: 0, automation: 0, total: 0 };
  for (const c of Object.values(s.connections)) {
    counts[c.role] += 1;
    counts.total += 1;
  }
  return counts;
};

/** `connected`: a person is attached; `automation`: only automation is; `empty`: nobody. */
export const presenceStateOf = (s: SessionData): PresenceState => {
  const c = connectionCountsOf(s);
  if (c.total - c.automation > 0) return 'connected';
  if (c.automation > 0 || s.automationOwner !== null || s.mcpOwner !== null) return 'automation';
  return 'empty';
};

export type StopBlocker = Readonly<{ code: string; message: string; count?: number }>;
export type StopEligibility = Readonly<{ allowed: boolean; blockers: readonly StopBlocker[] }>;

/** States from which `stop` may move a session to stopping. */
export const STOPPABLE_STATES: readonly SessionLifecycleState[] = ['pending', 'starting', 'ready', 'idle'];

/** Why a safe stop would be refused now (empty blockers: a stop would go ahead). */
export const stopEligibilityOf = (s: SessionData): StopEligibility => {
  const blockers: StopBlocker[] = [];
  if (!STOPPABLE_STATES.includes(s.status))
    blockers.push({ code: 'state', message: `the session is ${s.status}` });
  const c = connectionCountsOf(s);
  if (c.total > 0)
    blockers.push({
      code: 'active_connections',
      message: `${c.total} live connection(s) are attached; disconnect them or kill the session`,
      count: c.total,
    });
  if (s.automationOwner !== null)
    blockers.push({
      code: 'automation_owner',
      message: `automation is delegated to ${s.automationOwner.clientId}; clear the automation owner first`,
    });
  if (s.mcpOwner !== null)
    blockers.push({
      code: 'mcp_owner',
      message: 'an MCP client owns the session; release the MCP owner first',
    });
  return { allowed: blockers.length === 0, blockers };
};

/** When an idle session expires (idle_since + idle_timeout_sec), or null when it is not idle. */
export const idleExpiresAtOf = (s: SessionData): string | null =>
  s.idleSince === null
    ? null
    : new Date(Date.parse(s.idleSince) + s.config.idleTimeoutSec * 1000).toISOString();

export const isLiveSession = live;
