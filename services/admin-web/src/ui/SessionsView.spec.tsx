// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { keys } from '../api/queries';
import { aSession, Providers, testQueryClient } from '../testing/fixtures';
import { SessionsView } from './SessionsView';

afterEach(cleanup);

const seed = () => {
  const qc = testQueryClient();
  const blocked = aSession({
    id: '11111111-2222-4333-8444-555555555555',
    labels: { team: 'qa' },
    stop_eligibility: {
      allowed: false,
      blockers: [{ code: 'active_connections', message: '2 live connections', count: 2 }],
    },
  });
  const stopped = aSession({
    id: '99999999-2222-4333-8444-555555555555',
    state: 'stopped',
    runtime_state: 'released',
  });
  qc.setQueryData(keys.sessionList({}), { items: [blocked, stopped], total: 2, limit: 200, offset: 0 });
  qc.setQueryData(keys.projectList, { items: [], total: 0, limit: 200, offset: 0 });
  qc.setQueryData(keys.templates, { items: [], total: 0, limit: 200, offset: 0 });
  return qc;
};

describe('SessionsView', () => {
  it('lists sessions with live counts by state', () => {
    render(
      <Providers client={seed()}>
        <SessionsView />
      </Providers>,
    );
    const table = screen.getByRole('table', { name: 'Sessions' });
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    const counts = screen.getByLabelText('Session counts');
    expect(counts.textContent).toContain('2 sessions');
    expect(counts.textContent).toContain('ready: 1');
    expect(counts.textContent).toContain('stopped: 1');
  });

  it('explains why stop is blocked and keeps kill available', () => {
    render(
      <Providers client={seed()}>
        <SessionsView />
      </Providers>,
    );
    const stop = screen.getByRole('button', { name: 'Stop session 11111111' });
    expect((stop as HTMLButtonElement).disabled).toBe(true);
    const describedBy = stop.getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(describedBy)?.textContent).toContain('2 live connection(s) are open');
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Kill session 11111111' }).disabled).toBe(
      false,
    );
    expect(screen.getByRole('link', { name: 'Open live view' }).getAttribute('href')).toBe(
      '/live?session=11111111-2222-4333-8444-555555555555',
    );
    // A stopped session has no live link and nothing to stop.
    expect(screen.getAllByRole('link', { name: 'Open live view' })).toHaveLength(1);
    expect(screen.getByRole<HTMLButtonElement>('button', { name: 'Kill session 99999999' }).disabled).toBe(
      true,
    );
  });

  it('previews the exact create payload as the form is filled in', () => {
    render(
      <Providers client={seed()}>
        <SessionsView />
      </Providers>,
    );
    const preview = screen.getByLabelText<HTMLTextAreaElement>('Payload preview');
    expect(JSON.parse(preview.value)).toEqual({});
    fireEvent.change(screen.getByLabelText('Owner mode'), { target: { value: 'exclusive_owner' } });
    fireEvent.change(screen.getByLabelText('Idle timeout (seconds)'), { target: { value: '600' } });
    fireEvent.change(screen.getByLabelText('Time zone'), { target: { value: 'Europe/Berlin' } });
    fireEvent.change(screen.getByLabelText('Labels (key=value, one per line)'), {
      target: { value: 'a=1\nb=2' },
    });
    fireEvent.change(screen.getByLabelText('Recording'), { target: { value: 'always' } });
    fireEvent.change(screen.getByLabelText('Retention (days)'), { target: { value: '7' } });
    expect(JSON.parse(preview.value)).toEqual({
      owner_mode: 'exclusive_owner',
      idle_timeout_sec: 600,
      labels: { a: '1', b: '2' },
      network_identity: { timezone: 'Europe/Berlin' },
      recording: { mode: 'always', retention_days: 7 },
    });
  });
});
