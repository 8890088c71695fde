import { describe, expect, it } from 'vitest';
import { deciderSpec } from './decider-spec';
import { fold } from './decider';
import { counterDecider, meta, type CounterEvent } from './test-fixtures/counter';

const given = deciderSpec(counterDecider);
const opened: CounterEvent = { type: 'CounterOpened', data: { counterId: 'c1', ownerId: 'user-1' } };

describe('deciderSpec', () => {
  it('passes when the decided events match', () => {
    given([opened])
      .when({ type: 'IncrementCounter', data: { by: 2 }, metadata: meta() })
      .then([{ type: 'CounterIncremented', data: { by: 2 } }]);
  });

  it('fails when the decided events differ', () => {
    expect(() =>
      given([opened])
        .when({ type: 'IncrementCounter', data: { by: 2 }, metadata: meta() })
        .then([{ type: 'CounterIncremented', data: { by: 3 } }]),
    ).toThrow();
  });

  it('thenThrows passes on the right code and field names', () => {
    given([opened])
      .when({ type: 'IncrementCounter', data: { by: 0 }, metadata: meta() })
      .thenThrows('validation_failed', { fields: ['by'] });
  });

  it('thenThrows fails on another code, other fields, or no error', () => {
    const when = given([opened]).when({ type: 'IncrementCounter', data: { by: 0 }, metadata: meta() });
    expect(() => when.thenThrows('illegal_state')).toThrow(/expected error code illegal_state/);
    expect(() => when.thenThrows('validation_failed', { fields: ['other'] })).toThrow();
    expect(() =>
      given([opened])
        .when({ type: 'IncrementCounter', data: { by: 1 }, metadata: meta() })
        .thenThrows('illegal_state'),
    ).toThrow(/but decide returned/);
  });

  it('folds the given events before deciding', () => {
    given([opened, { type: 'CounterClosed', data: { closedAt: 'x' } }])
      .when({ type: 'IncrementCounter', data: { by: 1 }, metadata: meta() })
      .thenThrows('illegal_state');
    expect(fold(counterDecider, [opened, { type: 'CounterIncremented', data: { by: 4 } }])).toMatchObject({
      status: 'open',
      value: 4,
    });
  });
});
