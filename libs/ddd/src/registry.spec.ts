import { describe, expect, it } from 'vitest';
import { DeciderRegistry } from './registry';
import { counterDecider } from './test-fixtures/counter';

describe('DeciderRegistry', () => {
  const registry = new DeciderRegistry().register({
    name: 'counter',
    streamPrefix: 'counter-',
    decider: counterDecider,
  });

  it('resolves a stream id by its prefix', () => {
    expect(registry.resolve('counter-123').name).toBe('counter');
    expect(registry.find('other-1')).toBeUndefined();
    expect(registry.list().map((e) => e.streamPrefix)).toEqual(['counter-']);
  });

  it('reports an unknown prefix with a coded error', () => {
    expect(() => registry.resolve('ghost-1')).toThrow(
      expect.objectContaining({ code: 'unknown_stream_prefix' }),
    );
  });

  it('rejects overlapping prefixes', () => {
    expect(() =>
      new DeciderRegistry()
        .register({ name: 'a', streamPrefix: 'counter-', decider: counterDecider })
        .register({ name: 'b', streamPrefix: 'counter-x', decider: counterDecider }),
    ).toThrow(expect.objectContaining({ code: 'duplicate_stream_prefix' }));
  });
});
