import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { projectListQuery, sessionListQuery, type SessionFilters } from '../api/queries';
import type { Session, SessionRuntimeState, SessionState } from '../api/schema.gen';
import { useApi } from './ApiContext';
import { CreateSessionForm } from './CreateSessionForm';
import { Link } from './Link';
import { Pending, ProblemPanel } from './ProblemPanel';
import { hrefFor } from './router';
import { explainBlockers, useSessionAction, type SessionAction } from './session-actions';

export const SESSION_STATES: readonly SessionState[] = [
  'pending',
  'starting',
  'ready',
  'idle',
  'stopping',
  'stopped',
  'failed',
  'expired',
];
export const RUNTIME_STATES: readonly SessionRuntimeState[] = [
  'none',
  'starting',
  'running',
  'stopping',
  'released',
  'failed',
];

/** Counts of the listed sessions by state. */
export const countByState = (items: readonly Session[]): Partial<Record<SessionState, number>> => {
  const out: Partial<Record<SessionState, number>> = {};
  for (const s of items) out[s.state] = (out[s.state] ?? 0) + 1;
  return out;
};

const ACTIVE: ReadonlySet<SessionState> = new Set(['pending', 'starting', 'ready', 'idle']);

function SessionRow({ s, projectName }: { s: Session; projectName: string | undefined }) {
  const api = useApi();
  const action = useSessionAction(api);
  const run = (a: SessionAction) => action.mutate({ id: s.id, action: a });
  const blockers = explainBlockers(s);
  const active = ACTIVE.has(s.state);
  const blockersId = `blockers-${s.id}`;
  return (
    <tr data-session-id={s.id}>
      <td>
        <code title={s.id}>{s.id.slice(0, 8)}</code>
      </td>
      <td>
        <span className={`badge state-${s.state}`}>{s.state}</span>
      </td>
      <td>{s.runtime_state}</td>
      <td>{projectName ?? (s.project_id === null ? '—' : s.project_id.slice(0, 8))}</td>
      <td>
        {Object.entries(s.labels).map(([k, v]) => (
          <span key={k} className="label">
            {k}={v}
          </span>
        ))}
      </td>
      <td>{s.connection_counts.total}</td>
      <td className="actions">
        <button
          type="button"
          onClick={() => run('stop')}
          disabled={!s.stop_eligibility.allowed || action.isPending}
          aria-describedby={blockers.length > 0 ? blockersId : undefined}
          aria-label={`Stop session ${s.id.slice(0, 8)}`}
        >
          Stop
        </button>
        <button
          type="button"
          onClick={() => run('release')}
          disabled={!active || action.isPending}
          aria-label={`Release session ${s.id.slice(0, 8)}`}
        >
          Release
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => {
            if (window.confirm(`Kill session ${s.id}? Live viewers are disconnected.`)) run('kill');
          }}
          disabled={!active || action.isPending}
          aria-label={`Kill session ${s.id.slice(0, 8)}`}
        >
          Kill
        </button>
        {active ? <a href={`/live?session=${encodeURIComponent(s.id)}`}>Open live view</a> : null}
        <Link href={hrefFor({ name: 'timeline', stream: `session-${s.id}` })}>Timeline</Link>
        {blockers.length > 0 && active ? (
          <ul id={blockersId} className="blockers">
            {blockers.map((b) => (
              <li key={b}>{b}</li>
            ))}
          </ul>
        ) : null}
        {action.isPending ? <Pending>Sending {action.variables.action}…</Pending> : null}
        {action.isError ? (
          <ProblemPanel error={action.error} title={`${action.variables.action} failed`} />
        ) : null}
      </td>
    </tr>
  );
}

/** The session catalogue with filters, counts, actions and the create form. */
export function SessionsView() {
  const api = useApi();
  const [filters, setFilters] = useState<SessionFilters>({});
  const sessions = useQuery(sessionListQuery(api, filters));
  const projects = useQuery(projectListQuery(api));
  const names = new Map((projects.data?.items ?? []).map((p) => [p.id, p.name]));
  const set = (patch: Partial<SessionFilters>) => setFilters((f) => ({ ...f, ...patch }));
  const counts = countByState(sessions.data?.items ?? []);
  return (
    <section aria-labelledby="sessions-h">
      <h1 id="sessions-h">Sessions</h1>
      <form className="filters" aria-label="Session filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          State
          <select
            value={filters.state ?? ''}
            onChange={(e) => set({ state: e.target.value as SessionState | '' })}
          >
            <option value="">any</option>
            {SESSION_STATES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Runtime state
          <select
            value={filters.runtime_state ?? ''}
            onChange={(e) => set({ runtime_state: e.target.value as SessionRuntimeState | '' })}
          >
            <option value="">any</option>
            {RUNTIME_STATES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Project
          <select value={filters.project_id ?? ''} onChange={(e) => set({ project_id: e.target.value })}>
            <option value="">any</option>
            {(projects.data?.items ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Label
          <input
            placeholder="key=value"
            value={filters.label ?? ''}
            onChange={(e) => set({ label: e.target.value })}
          />
        </label>
      </form>
      <p className="counts" aria-live="polite" aria-label="Session counts">
        <span>
          {sessions.data?.total ?? 0} session{sessions.data?.total === 1 ? '' : 's'}
        </span>
        {SESSION_STATES.filter((s) => (counts[s] ?? 0) > 0).map((s) => (
          <span key={s} className={`badge state-${s}`}>
            {s}: {counts[s]}
          </span>
        ))}
      </p>
      {sessions.isError ? <ProblemPanel error={sessions.error} title="Loading sessions" /> : null}
      {sessions.isPending ? <Pending>Loading sessions…</Pending> : null}
      {sessions.data !== undefined && sessions.data.items.length === 0 ? <p>No sessions match.</p> : null}
      {sessions.data !== undefined && sessions.data.items.length > 0 ? (
        <div className="table-wrap">
          <table aria-label="Sessions">
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">State</th>
                <th scope="col">Runtime</th>
                <th scope="col">Project</th>
                <th scope="col">Labels</th>
                <th scope="col">Connections</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {sessions.data.items.map((s) => (
                <SessionRow
                  key={s.id}
                  s={s}
                  projectName={s.project_id === null ? undefined : names.get(s.project_id)}
                />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <CreateSessionForm />
    </section>
  );
}
