import { describe, expect, it } from 'vitest';
import { deciderSpec, fold, type CommandMetadata } from '@bpane/ddd';
import { resolveSessionConfig } from './admission';
import {
  connectionCountsOf,
  idleExpiresAtOf,
  presenceStateOf,
  runtimeStateOf,
  stopEligibilityOf,
  type SessionData,
  type SessionEvent,
} from './session';
import { sessionDecider, type SessionCommand } from './session-decide';

const given = deciderSpec(sessionDecider);
const id = '0e4f9a2c-1b3d-4e5f-8a7b-9c0d1e2f3a4b';
const project = '5b0c7a0e-8d7e-4d53-9d6c-2f1f3c1b9a01';
const t0 = '2026-03-01T10:00:00.000Z';
const t1 = '2026-03-01T11:00:00.000Z';
const m = (over: Partial<CommandMetadata> = {}): CommandMetadata => ({
  now: t1,
  actor: { kind: 'user', id: 'alice' },
  correlationId: 'c',
  ...over,
});
const sys = m({ actor: { kind: 'system', id: 'runtime' } });
const config = resolveSessionConfig(null, {});

const created: SessionEvent = {
  type: 'SessionCreated',
  data: { sessionId: id, ownerId: 'alice', templateId: null, projectId: project, config, createdAt: t0 },
};
const admitted: SessionEvent = {
  type: 'SessionAdmissionDecided',
  data: {
    sessionId: id,
    decision: 'admitted',
    reason: 'within_quota',
    projectId: project,
    queuePosition: null,
    decidedAt: t0,
  },
};
const queued: SessionEvent = {
  type: 'SessionAdmissionDecided',
  data: {
    sessionId: id,
    decision: 'queued',
    reason: 'quota_exhausted',
    projectId: project,
    queuePosition: 2,
    decidedAt: t0,
  },
};
const assigned: SessionEvent = {
  type: 'SessionRuntimeAssigned',
  data: { sessionId: id, runtimeId: 'rt-1', backend: 'local', assignedAt: t0 },
};
const ready: SessionEvent = { type: 'SessionReady', data: { sessionId: id, readyAt: t0 } };
const idle: SessionEvent = { type: 'SessionBecameIdle', data: { sessionId: id, idleSince: t0 } };
const opened = (connectionId: string, role: 'viewer' | 'automation' = 'viewer'): SessionEvent => ({
  type: 'SessionConnectionOpened',
  data: { sessionId: id, connectionId, role, principalKind: 'user', principalId: 'alice', openedAt: t0 },
});
const stopRequested: SessionEvent = {
  type: 'SessionStopRequested',
  data: { sessionId: id, reason: 'stop', requestedAt: t0 },
};
const stopped: SessionEvent = {
  type: 'SessionStopped',
  data: { sessionId: id, reason: 'stop', stoppedAt: t0 },
};
const delegated: SessionEvent = {
  type: 'SessionAutomationOwnerSet',
  data: { sessionId: id, clientId: 'bpane-mcp-bridge', setAt: t0 },
};
const failed: SessionEvent = {
  type: 'SessionFailed',
  data: { sessionId: id, code: 'crash', message: 'x', failedAt: t0 },
};

const running = [created, admitted, assigned, ready];
const state = (events: SessionEvent[]): SessionData => fold(sessionDecider, events) as SessionData;
const cmd = <T extends SessionCommand['type']>(
  type: T,
  data: Omit<Extract<SessionCommand, { type: T }>['data'], 'sessionId'> = {} as never,
  metadata = m(),
) =>
  ({ type, data: { sessionId: id, ...data }, metadata }) as unknown as Extract<SessionCommand, { type: T }>;

describe('CreateSession', () => {
  it('records the session and its admission decision', () => {
    given([])
      .when({
        type: 'CreateSession',
        data: {
          sessionId: id,
          templateId: null,
          projectId: project,
          config,
          admission: { decision: 'queued', reason: 'quota_exhausted', projectId: project, queuePosition: 2 },
        },
        metadata: m({ now: t0 }),
      })
      .then([created, queued]);
  });

  it('refuses an existing id and inconsistent admissions', () => {
    const data = {
      sessionId: id,
      templateId: null,
      projectId: null,
      config,
      admission: {
        decision: 'owner_scoped' as const,
        reason: 'owner_scoped',
        projectId: null,
        queuePosition: null,
      },
    };
    given([created]).when({ type: 'CreateSession', data, metadata: m() }).thenThrows('conflict');
    given([])
      .when({
        type: 'CreateSession',
        data: { ...data, admission: { ...data.admission, decision: 'queued' } },
        metadata: m(),
      })
      .thenThrows('validation_failed', { fields: ['admission.decision', 'admission.queue_position'] });
  });

  it('validates the resolved configuration naming API fields', () => {
    given([])
      .when({
        type: 'CreateSession',
        data: {
          sessionId: id,
          templateId: 'nope',
          projectId: null,
          config: { ...config, idleTimeoutSec: 1, labels: { 'A B': 'x' } },
          admission: {
            decision: 'owner_scoped',
            reason: 'owner_scoped',
            projectId: null,
            queuePosition: null,
          },
        },
        metadata: m(),
      })
      .thenThrows('validation_failed', { fields: ['template_id', 'idle_timeout_sec', 'labels.A B'] });
  });
});

describe('runtime-driven transitions', () => {
  it('pending → starting → ready ⇄ idle', () => {
    given([created, admitted])
      .when(cmd('AssignRuntime', { runtimeId: 'rt-1', backend: 'local' }, m({ now: t0 })))
      .then([assigned]);
    given([created, admitted, assigned])
      .when(cmd('MarkSessionReady', {}, m({ now: t0 })))
      .then([ready]);
    given(running)
      .when(cmd('MarkSessionIdle', {}, m({ now: t0 })))
      .then([idle]);
    given([...running, idle])
      .when(cmd('MarkSessionActive'))
      .then([{ type: 'SessionResumed', data: { sessionId: id, resumedAt: t1 } }]);
  });

  it('does not start a queued session and admits it when capacity frees', () => {
    given([created, queued])
      .when(cmd('AssignRuntime', { runtimeId: 'r', backend: 'local' }))
      .thenThrows('illegal_state');
    given([created, queued])
      .when(cmd('AdmitQueuedSession', {}, sys))
      .then([
        {
          type: 'SessionAdmissionDecided',
          data: {
            sessionId: id,
            decision: 'admitted',
            reason: 'capacity_freed',
            projectId: project,
            queuePosition: null,
            decidedAt: t1,
          },
        },
      ]);
    given([created, admitted])
      .when(cmd('AdmitQueuedSession', {}, sys))
      .thenThrows('illegal_state');
  });

  it('refuses to idle while a viewer is attached; a connection resumes an idle session', () => {
    given([...running, opened('c1')])
      .when(cmd('MarkSessionIdle'))
      .thenThrows('illegal_state');
    const events = given([...running, idle])
      .when(
        cmd('OpenConnection', {
          connectionId: 'c2',
          role: 'viewer',
          principalKind: 'user',
          principalId: 'alice',
        }),
      )
      .events();
    expect(events.map((e) => e.type)).toEqual(['SessionResumed', 'SessionConnectionOpened']);
  });

  it('expires an idle session, releasing its runtime', () => {
    const events = given([...running, idle])
      .when(cmd('ExpireSession'))
      .events();
    expect(events.map((e) => e.type)).toEqual(['SessionRuntimeReleased', 'SessionExpired']);
    expect(runtimeStateOf(state([...running, idle, ...events]))).toBe('released');
  });

  it('fails any live session', () => {
    given(running)
      .when(cmd('FailSession', { code: 'crash', message: 'x' }, m({ now: t0 })))
      .then([failed]);
    given([...running, failed])
      .when(cmd('FailSession', { code: 'crash', message: 'x' }))
      .thenThrows('illegal_state');
  });

  it.each<[string, SessionEvent[], SessionCommand['type']]>([
    ['ready a pending session', [created, admitted], 'MarkSessionReady'],
    ['idle a starting session', [created, admitted, assigned], 'MarkSessionIdle'],
    ['resume a ready session', running, 'MarkSessionActive'],
    ['expire a ready session', running, 'ExpireSession'],
    ['complete a stop that was not requested', running, 'CompleteSessionStop'],
    ['cancel a ready session', running, 'CancelSession'],
    ['delete a ready session', running, 'DeleteSession'],
    ['cancel a stopped session', [created, admitted, stopRequested, stopped], 'CancelSession'],
    ['start a stopped session', [created, admitted, stopRequested, stopped], 'AssignRuntime'],
  ])('is illegal_state to %s', (_w, history, type) => {
    given(history)
      .when({
        type,
        data: { sessionId: id, runtimeId: 'r', backend: 'local' },
        metadata: m(),
      } as SessionCommand)
      .thenThrows('illegal_state');
  });
});

describe('stop, release, kill, cancel, delete', () => {
  it('stops a session without a runtime at once (pending → stopping → stopped)', () => {
    given([created, admitted])
      .when(cmd('StopSession', { mode: 'stop' }, m({ now: t0 })))
      .then([stopRequested, stopped]);
  });

  it('a graceful stop waits in stopping until the runtime confirms', () => {
    const events = given(running)
      .when(cmd('StopSession', { mode: 'stop' }))
      .events();
    expect(events.map((e) => e.type)).toEqual(['SessionStopRequested']);
    const s = state([...running, ...events]);
    expect([s.status, runtimeStateOf(s)]).toEqual(['stopping', 'stopping']);
    const done = given([...running, ...events])
      .when(cmd('CompleteSessionStop', {}, sys))
      .events();
    expect(done.map((e) => e.type)).toEqual(['SessionRuntimeReleased', 'SessionStopped']);
  });

  it('is blocked by connections and delegated owners, naming every blocker', () => {
    const history = [...running, opened('c1'), delegated];
    given(history)
      .when(cmd('StopSession', { mode: 'stop' }))
      .thenThrows('illegal_state');
    expect(stopEligibilityOf(state(history))).toEqual({
      allowed: false,
      blockers: [
        expect.objectContaining({ code: 'active_connections', count: 1 }),
        expect.objectContaining({ code: 'automation_owner' }),
      ],
    });
    let caught: unknown;
    try {
      sessionDecider.decide(cmd('StopSession', { mode: 'stop' }), fold(sessionDecider, history));
    } catch (e) {
      caught = e;
    }
    expect((caught as { blockers: { code: string }[] }).blockers.map((b) => b.code)).toEqual([
      'active_connections',
      'automation_owner',
    ]);
  });

  it('release ignores delegation but not live connections', () => {
    const events = given([...running, delegated])
      .when(cmd('StopSession', { mode: 'release' }))
      .events();
    expect(events.map((e) => e.type)).toEqual([
      'SessionStopRequested',
      'SessionRuntimeReleased',
      'SessionStopped',
    ]);
    given([...running, opened('c1')])
      .when(cmd('StopSession', { mode: 'release' }))
      .thenThrows('illegal_state');
    given([created, admitted])
      .when(cmd('StopSession', { mode: 'release' }))
      .thenThrows('illegal_state');
  });

  it('kill closes connections, clears owners and stops', () => {
    const history = [...running, opened('c1'), opened('c2', 'automation'), delegated];
    const events = given(history)
      .when(cmd('StopSession', { mode: 'kill' }))
      .events();
    expect(events.map((e) => e.type)).toEqual([
      'SessionConnectionClosed',
      'SessionConnectionClosed',
      'SessionAutomationOwnerCleared',
      'SessionStopRequested',
      'SessionRuntimeReleased',
      'SessionStopped',
    ]);
    const s = state([...history, ...events]);
    expect([s.status, connectionCountsOf(s).total, presenceStateOf(s), s.stopReason]).toEqual([
      'stopped',
      0,
      'empty',
      'kill',
    ]);
  });

  it('cancels a pending session and deletes terminal ones only', () => {
    given([created, queued])
      .when(cmd('CancelSession'))
      .then([{ type: 'SessionCancelled', data: { sessionId: id, cancelledAt: t1 } }]);
    given([created, admitted, stopRequested, stopped])
      .when(cmd('DeleteSession'))
      .then([{ type: 'SessionDeleted', data: { sessionId: id, deletedAt: t1 } }]);
    given([...running, failed])
      .when(cmd('DeleteSession'))
      .events();
    given([
      created,
      admitted,
      stopRequested,
      stopped,
      { type: 'SessionDeleted', data: { sessionId: id, deletedAt: t1 } },
    ])
      .when(cmd('DeleteSession'))
      .thenThrows('not_found');
  });
});

describe('connections and owners', () => {
  it('opens, closes and counts connections by role', () => {
    const s = state([...running, opened('c1'), opened('c2', 'automation')]);
    expect(connectionCountsOf(s)).toEqual({ owner: 0, collaborator: 0, viewer: 1, automation: 1, total: 2 });
    expect(presenceStateOf(s)).toBe('connected');
    given([...running, opened('c1')])
      .when(cmd('CloseConnection', { connectionId: 'c1', reason: 'disconnected_by_owner' }))
      .then([
        {
          type: 'SessionConnectionClosed',
          data: { sessionId: id, connectionId: 'c1', reason: 'disconnected_by_owner', closedAt: t1 },
        },
      ]);
    given(running)
      .when(cmd('CloseConnection', { connectionId: 'zz', reason: 'x' }))
      .thenThrows('not_found');
    given([...running, opened('c1')])
      .when(
        cmd('OpenConnection', {
          connectionId: 'c1',
          role: 'viewer',
          principalKind: 'user',
          principalId: 'a',
        }),
      )
      .thenThrows('conflict');
    given([created, admitted])
      .when(
        cmd('OpenConnection', {
          connectionId: 'c1',
          role: 'viewer',
          principalKind: 'user',
          principalId: 'a',
        }),
      )
      .thenThrows('illegal_state');
    expect(
      given([...running, opened('a'), opened('b')])
        .when(cmd('CloseAllConnections', { reason: 'x' }))
        .events(),
    ).toHaveLength(2);
  });

  it('delegates automation and lets one MCP owner claim', () => {
    given(running)
      .when(cmd('SetAutomationOwner', { clientId: 'bpane-mcp-bridge' }, m({ now: t0 })))
      .then([delegated]);
    given([...running, delegated])
      .when(cmd('SetAutomationOwner', { clientId: 'bpane-mcp-bridge' }))
      .then([]);
    given([...running, delegated])
      .when(cmd('ClearAutomationOwner'))
      .events();
    given(running).when(cmd('ClearAutomationOwner')).then([]);
    const claim = cmd('ClaimMcpOwner', {
      principalKind: 'service',
      principalId: 'svc-1',
      clientId: 'bpane-mcp-bridge',
    });
    const [claimed] = given(running).when(claim).events();
    expect(claimed?.type).toBe('SessionMcpOwnerClaimed');
    given([...running, claimed!])
      .when(claim)
      .then([]);
    given([...running, claimed!])
      .when(cmd('ClaimMcpOwner', { principalKind: 'user', principalId: 'other', clientId: null }))
      .thenThrows('illegal_state');
    expect(presenceStateOf(state([...running, claimed!]))).toBe('automation');
    given([...running, claimed!])
      .when(cmd('ReleaseMcpOwner'))
      .events();
    given([...running, stopRequested, stopped])
      .when(claim)
      .thenThrows('illegal_state');
  });

  it("hides another owner's session and accepts system actors", () => {
    given(running)
      .when(cmd('StopSession', { mode: 'kill' }, m({ actor: { kind: 'user', id: 'bob' } })))
      .thenThrows('not_found');
    given([])
      .when(cmd('StopSession', { mode: 'kill' }))
      .thenThrows('not_found');
    expect(
      given(running)
        .when(cmd('MarkSessionIdle', {}, sys))
        .events(),
    ).toHaveLength(1);
  });
});

describe('derived views', () => {
  it('computes idle expiry from idle_since and the timeout', () => {
    const s = state([...running, idle]);
    expect(idleExpiresAtOf(s)).toBe(new Date(Date.parse(t0) + config.idleTimeoutSec * 1000).toISOString());
    expect(idleExpiresAtOf(state(running))).toBeNull();
    expect(runtimeStateOf(state([created, admitted]))).toBe('none');
    expect(runtimeStateOf(state([...running, failed]))).toBe('failed');
  });
});
