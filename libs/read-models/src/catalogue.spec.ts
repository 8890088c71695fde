import { describe, expect, it } from 'vitest';
import { createDeciderRegistry, defaultProjections, findProjections } from './catalogue';
import { assertIdentifier } from './database';

describe('read-model catalogue', () => {
  it('lists the projections and finds them by name', () => {
    expect(defaultProjections().map((p) => p.name)).toEqual(
      expect.arrayContaining(['projects', 'webhook_subscriptions']),
    );
    expect(findProjections(['projects']).map((p) => p.name)).toEqual(['projects']);
    expect(findProjections(undefined)).toHaveLength(defaultProjections().length);
    expect(() => findProjections(['nope'])).toThrow(expect.objectContaining({ code: 'unknown_projection' }));
  });

  it('registers the project aggregate for state reconstruction', () => {
    const registry = createDeciderRegistry();
    expect(registry.resolve('project-5b0c7a0e-8d7e-4d53-9d6c-2f1f3c1b9a01').name).toBe('project');
    expect(registry.resolve('session-0e4f9a2c-1b3d-4e5f-8a7b-9c0d1e2f3a4b').name).toBe('session');
    expect(registry.resolve('sessionTemplate-0e4f9a2c-1b3d-4e5f-8a7b-9c0d1e2f3a4b').name).toBe(
      'sessionTemplate',
    );
    expect(() => registry.resolve('recording-1')).toThrow(
      expect.objectContaining({ code: 'unknown_stream_prefix' }),
    );
  });

  it('accepts only plain lower-case SQL identifiers', () => {
    expect(assertIdentifier('read_models', 'schema')).toBe('read_models');
    for (const bad of ['', 'Read', 'a-b', 'x"; drop', '1abc', 'a'.repeat(64)]) {
      expect(() => assertIdentifier(bad, 'schema')).toThrow(
        expect.objectContaining({ code: 'invalid_identifier' }),
      );
    }
  });
});
