// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { keys } from '../api/queries';
import type { AuditEvent } from '../api/schema.gen';
import { Providers, testQueryClient } from '../testing/fixtures';
import { TimelineView } from './TimelineView';

afterEach(cleanup);

const event = (n: number, type: string): AuditEvent => ({
  id: `00000000-0000-4000-8000-00000000000${n}`,
  type,
  stream_id: 'session-x',
  revision: String(n - 1),
  position: String(100 * n),
  occurred_at: '2026-11-22T03:00:00.000Z',
  recorded_at: '2026-11-22T03:00:00.000Z',
  actor: { kind: 'user', id: 'u' },
  data: {},
});

describe('TimelineView', () => {
  it('shows the state as of the position the slider points at', () => {
    const qc = testQueryClient();
    qc.setQueryData(keys.stream('session-x'), [event(1, 'SessionCreated'), event(2, 'SessionStopped')]);
    for (const [at, state, count] of [
      ['100', 'ready', 1],
      ['200', 'stopped', 2],
    ] as const)
      qc.setQueryData(keys.state('session-x', at), {
        stream_id: 'session-x',
        aggregate: 'session',
        at_position: at,
        event_count: count,
        revision: String(count - 1),
        position: at,
        state: { status: state },
      });
    render(
      <Providers client={qc}>
        <TimelineView stream="session-x" />
      </Providers>,
    );
    expect(screen.getByLabelText('Aggregate state').textContent).toContain('"stopped"');
    fireEvent.change(screen.getByRole('slider'), { target: { value: '0' } });
    expect(screen.getByLabelText('Aggregate state').textContent).toContain('"ready"');
    expect(screen.getByRole('slider').getAttribute('aria-valuetext')).toBe('SessionCreated at position 100');
  });
});
