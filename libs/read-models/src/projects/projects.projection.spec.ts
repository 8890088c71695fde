import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '@bpane/event-store';
import { projectsProjection } from './projects.projection';

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

describe('projects projection', () => {
  it('handles project events on project streams only', () => {
    expect(projectsProjection.canHandle(recorded('project-1', 'ProjectCreated'))).toBe(true);
    expect(projectsProjection.canHandle(recorded('project-1', 'ProjectUnarchived'))).toBe(true);
    expect(projectsProjection.canHandle(recorded('session-1', 'ProjectCreated'))).toBe(false);
    expect(projectsProjection.canHandle(recorded('project-1', 'SomethingElse'))).toBe(false);
  });

  it('owns one table whose DDL is written against the given names', () => {
    expect(projectsProjection.tables.map((t) => t.name)).toEqual(['projects']);
    const ddl = projectsProjection.tables[0]!.ddl('"s"."projects__rebuild"', 'projects_abc123');
    expect(ddl[0]).toContain('CREATE TABLE "s"."projects__rebuild"');
    expect(ddl.slice(1).every((s) => s.includes('"projects_abc123_'))).toBe(true);
  });
});
