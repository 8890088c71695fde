import { describe, expect, it } from 'vitest';
import { isProjectEvent, projectIdOfStream, projectStreamId, projectUpcasters } from './events';

describe('project streams and events', () => {
  it('names streams project-<uuid> and parses them back', () => {
    const id = '5b0c7a0e-8d7e-4d53-9d6c-2f1f3c1b9a01';
    expect(projectStreamId(id)).toBe(`project-${id}`);
    expect(projectIdOfStream(projectStreamId(id))).toBe(id);
    expect(projectIdOfStream('session-1')).toBeUndefined();
  });

  it('recognises project event types only', () => {
    expect(isProjectEvent({ type: 'ProjectArchived' })).toBe(true);
    expect(isProjectEvent({ type: 'SessionStarted' })).toBe(false);
  });

  it('leaves v1 events unchanged while no upcaster is registered', () => {
    const e = { type: 'ProjectArchived', data: { projectId: 'p', archivedAt: 't' } };
    expect(projectUpcasters.upcast(e)).toEqual(e);
    expect(projectUpcasters.upcasters).toEqual([]);
  });
});
