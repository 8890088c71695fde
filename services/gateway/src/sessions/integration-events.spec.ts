import { describe, expect, it } from 'vitest';
import { fold, type CommandMetadata } from '@bpane/ddd';
import { canonicalSubjectFor, integrationEventGuards, isKnownSubject } from '@bpane/contracts';
import {
  resolveSessionConfig,
  sessionDecider,
  sessionEventTypes,
  sessionTemplateDecider,
  sessionTemplateEventTypes,
  type SessionCommand,
  type SessionEvent,
} from '@bpane/domain-sessions';

const id = '0e4f9a2c-1b3d-4e5f-8a7b-9c0d1e2f3a4b';
const m: CommandMetadata = {
  now: '2026-03-01T10:00:00.000Z',
  actor: { kind: 'system', id: 't' },
  correlationId: 'c',
};

/** Drives one session through every event type the decider can produce. */
const lifeOfASession = (): SessionEvent[] => {
  const events: SessionEvent[] = [];
  const run = (type: SessionCommand['type'], data: object = {}) => {
    const state = fold(sessionDecider, events);
    events.push(
      ...sessionDecider.decide(
        { type, data: { sessionId: id, ...data }, metadata: m } as SessionCommand,
        state,
      ),
    );
  };
  run('CreateSession', {
    templateId: null,
    projectId: null,
    config: resolveSessionConfig(null, {
      networkIdentity: { geolocation: { latitude: 1.5, longitude: 2, accuracyM: null } },
    }),
    admission: { decision: 'owner_scoped', reason: 'owner_scoped', projectId: null, queuePosition: null },
  });
  run('AssignRuntime', { runtimeId: 'rt', backend: 'local' });
  run('MarkSessionReady');
  run('SetAutomationOwner', { clientId: 'bpane-mcp-bridge' });
  run('ClaimMcpOwner', { principalKind: 'service', principalId: 'svc', clientId: 'bpane-mcp-bridge' });
  run('ReleaseMcpOwner');
  run('OpenConnection', { connectionId: 'c1', role: 'viewer', principalKind: 'user', principalId: 'u' });
  run('CloseConnection', { connectionId: 'c1', reason: 'bye' });
  run('MarkSessionIdle');
  run('MarkSessionActive');
  run('StopSession', { mode: 'kill' });
  run('DeleteSession');
  return events;
};

describe('bpane.sessions integration events', () => {
  it('publishes every session and template event type under a known subject', () => {
    for (const type of [...sessionEventTypes, ...sessionTemplateEventTypes]) {
      const subject = canonicalSubjectFor(
        type.startsWith('SessionTemplate') ? `sessionTemplate-${id}` : `session-${id}`,
        type,
      );
      expect(subject).toBe(`bpane.sessions.${type}`);
      expect(isKnownSubject(subject)).toBe(true);
    }
  });

  it('accepts the payloads the deciders produce', () => {
    const events = lifeOfASession();
    const more: SessionEvent[] = [
      { type: 'SessionFailed', data: { sessionId: id, code: 'crash', message: 'm', failedAt: m.now } },
      { type: 'SessionExpired', data: { sessionId: id, expiredAt: m.now } },
      { type: 'SessionCancelled', data: { sessionId: id, cancelledAt: m.now } },
    ];
    const template = sessionTemplateDecider.decide(
      {
        type: 'CreateSessionTemplate',
        data: { templateId: id, name: 't', defaults: { idleTimeoutSec: 60 } },
        metadata: m,
      },
      sessionTemplateDecider.initialState(),
    );
    const updated = sessionTemplateDecider.decide(
      { type: 'UpdateSessionTemplate', data: { templateId: id, name: 't2' }, metadata: m },
      fold(sessionTemplateDecider, template),
    );
    const all = [...events, ...more, ...template, ...updated];
    const seen = new Set(all.map((e) => e.type));
    expect([...sessionEventTypes, ...sessionTemplateEventTypes].filter((t) => !seen.has(t))).toEqual([]);
    for (const e of all) {
      const subject = `bpane.sessions.${e.type}`;
      if (!isKnownSubject(subject)) throw new Error(`unknown subject ${subject}`);
      expect(integrationEventGuards[subject](JSON.parse(JSON.stringify(e.data)), 'data'), e.type).toEqual([]);
    }
  });

  it('rejects a malformed payload naming the field', () => {
    const problems = integrationEventGuards['bpane.sessions.SessionAdmissionDecided'](
      {
        sessionId: id,
        decision: 'maybe',
        reason: 'r',
        projectId: null,
        queuePosition: null,
        decidedAt: m.now,
      },
      'data',
    );
    expect(problems).toEqual(['data.decision must be one of admitted, queued, owner_scoped']);
  });
});
