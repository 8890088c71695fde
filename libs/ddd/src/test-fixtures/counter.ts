import { assertNever } from '@bpane/errors';
import type { Command, Decider, DomainEvent } from '../decider';
import { IllegalStateError, NotFoundError, ValidationFailedError } from '../domain-error';

// A tiny aggregate used by the toolkit's own tests: a counter that can be opened, bumped, closed.
export type CounterOpened = DomainEvent<'CounterOpened', { counterId: string; ownerId: string }>;
export type CounterIncremented = DomainEvent<'CounterIncremented', { by: number }>;
export type CounterClosed = DomainEvent<'CounterClosed', { closedAt: string }>;
export type CounterEvent = CounterOpened | CounterIncremented | CounterClosed;

export type OpenCounter = Command<'OpenCounter', { counterId: string }>;
export type IncrementCounter = Command<'IncrementCounter', { by: number }>;
export type CloseCounter = Command<'CloseCounter', Record<string, never>>;
export type CounterCommand = OpenCounter | IncrementCounter | CloseCounter;

export type CounterState =
  | Readonly<{ status: 'empty' }>
  | Readonly<{ status: 'open' | 'closed'; counterId: string; ownerId: string; value: number }>;

export const counterDecider: Decider<CounterCommand, CounterEvent, CounterState> = {
  initialState: () => ({ status: 'empty' }),
  ownerOf: (s) => (s.status === 'empty' ? undefined : s.ownerId),
  evolve: (state, event) => {
    switch (event.type) {
      case 'CounterOpened':
        return { status: 'open', counterId: event.data.counterId, ownerId: event.data.ownerId, value: 0 };
      case 'CounterIncremented':
        return state.status === 'empty' ? state : { ...state, value: state.value + event.data.by };
      case 'CounterClosed':
        return state.status === 'empty' ? state : { ...state, status: 'closed' };
      default:
        return assertNever(event, 'event');
    }
  },
  decide: (command, state) => {
    switch (command.type) {
      case 'OpenCounter':
        if (state.status !== 'empty') throw new IllegalStateError('counter already exists');
        return [
          {
            type: 'CounterOpened',
            data: { counterId: command.data.counterId, ownerId: command.metadata.actor.id },
          },
        ];
      case 'IncrementCounter':
        if (state.status === 'empty') throw new NotFoundError('counter', '?');
        if (state.status === 'closed') throw new IllegalStateError('counter is closed');
        if (!Number.isInteger(command.data.by) || command.data.by < 1) {
          throw new ValidationFailedError([{ field: 'by', message: 'must be a positive integer' }]);
        }
        return [{ type: 'CounterIncremented', data: { by: command.data.by } }];
      case 'CloseCounter':
        if (state.status === 'empty') throw new NotFoundError('counter', '?');
        if (state.status === 'closed') return [];
        return [{ type: 'CounterClosed', data: { closedAt: command.metadata.now } }];
      default:
        return assertNever(command, 'command');
    }
  },
};

export const meta = (over: Partial<Command['metadata']> = {}): Command['metadata'] => ({
  now: '2026-01-01T00:00:00.000Z',
  actor: { kind: 'user', id: 'user-1' },
  correlationId: 'corr-1',
  ...over,
});
