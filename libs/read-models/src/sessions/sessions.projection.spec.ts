import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '@bpane/event-store';
import { sessionTemplatesProjection } from '../session-templates/session-templates.projection';
import { sessionsProjection } from './sessions.projection';

const recorded = (streamId: string, type: string): RecordedEvent => ({
  id: '00000000-0000-4000-8000-000000000001',
  type,
  data: {},
  metadata: { correlationId: 'c', causationId: null, actor: { kind: 'user', id: 'u' }, occurredAt: 't' },
  streamId,
  revision: 0n,
  position: 1n,
  recordedAt: new Date(0),
});

describe('sessions and session-template projections', () => {
  it('handle their own events on their own streams only', () => {
    expect(sessionsProjection.canHandle(recorded('session-1', 'SessionCreated'))).toBe(true);
    expect(sessionsProjection.canHandle(recorded('session-1', 'SessionDeleted'))).toBe(true);
    expect(sessionsProjection.canHandle(recorded('sessionTemplate-1', 'SessionTemplateCreated'))).toBe(false);
    expect(sessionsProjection.canHandle(recorded('session-1', 'SessionTemplateCreated'))).toBe(false);
    expect(
      sessionTemplatesProjection.canHandle(recorded('sessionTemplate-1', 'SessionTemplateUpdated')),
    ).toBe(true);
    expect(sessionTemplatesProjection.canHandle(recorded('session-1', 'SessionCreated'))).toBe(false);
  });

  it('own one table each whose DDL uses the given names', () => {
    for (const [p, name] of [
      [sessionsProjection, 'sessions'],
      [sessionTemplatesProjection, 'session_templates'],
    ] as const) {
      expect(p.tables.map((t) => t.name)).toEqual([name]);
      const ddl = p.tables[0]!.ddl(`"s"."${name}__rebuild"`, 'x_abc');
      expect(ddl[0]).toContain(`CREATE TABLE "s"."${name}__rebuild"`);
      expect(ddl.slice(1).every((s) => s.includes('"x_abc_'))).toBe(true);
    }
  });
});
