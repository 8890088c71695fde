import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { eventSearchQuery, type EventSearch } from '../api/queries';
import { useApi } from './ApiContext';
import { Link } from './Link';
import { Pending, ProblemPanel } from './ProblemPanel';
import { hrefFor } from './router';

/** A `datetime-local` value as an ISO instant (or undefined when empty). */
export const toInstant = (local: string): string | undefined => {
  if (local === '') return undefined;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
};

/** The event log, searchable by stream, type and time. */
export function EventsView() {
  const api = useApi();
  const [draft, setDraft] = useState({ stream: '', type: '', since: '', until: '' });
  const [search, setSearch] = useState<EventSearch>({});
  const events = useQuery(eventSearchQuery(api, search));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const s: Record<string, string> = {};
    if (draft.stream.trim() !== '') s['stream'] = draft.stream.trim();
    if (draft.type.trim() !== '') s['type'] = draft.type.trim();
    const since = toInstant(draft.since);
    const until = toInstant(draft.until);
    if (since !== undefined) s['since'] = since;
    if (until !== undefined) s['until'] = until;
    setSearch(s);
  };
  return (
    <section aria-labelledby="events-h">
      <h1 id="events-h">Event log</h1>
      <form className="filters" aria-label="Search events" onSubmit={submit}>
        <label>
          Stream
          <input
            value={draft.stream}
            placeholder="session-…"
            onChange={(e) => setDraft({ ...draft, stream: e.target.value })}
          />
        </label>
        <label>
          Type
          <input
            value={draft.type}
            placeholder="SessionStopped"
            onChange={(e) => setDraft({ ...draft, type: e.target.value })}
          />
        </label>
        <label>
          Since
          <input
            type="datetime-local"
            value={draft.since}
            onChange={(e) => setDraft({ ...draft, since: e.target.value })}
          />
        </label>
        <label>
          Until
          <input
            type="datetime-local"
            value={draft.until}
            onChange={(e) => setDraft({ ...draft, until: e.target.value })}
          />
        </label>
        <button type="submit">Search</button>
      </form>
      {events.isError ? <ProblemPanel error={events.error} title="Searching events" /> : null}
      {events.isPending ? <Pending>Loading events…</Pending> : null}
      {events.data?.items.length === 0 ? <p>No events match.</p> : null}
      {events.data !== undefined && events.data.items.length > 0 ? (
        <div className="table-wrap">
          <table aria-label="Events">
            <thead>
              <tr>
                <th scope="col">Position</th>
                <th scope="col">Occurred</th>
                <th scope="col">Type</th>
                <th scope="col">Stream</th>
                <th scope="col">Actor</th>
              </tr>
            </thead>
            <tbody>
              {events.data.items.map((e) => (
                <tr key={e.id}>
                  <td>
                    <code>{e.position}</code>
                  </td>
                  <td>{new Date(e.occurred_at).toLocaleString()}</td>
                  <td>{e.type}</td>
                  <td>
                    <Link href={hrefFor({ name: 'timeline', stream: e.stream_id })}>{e.stream_id}</Link>
                  </td>
                  <td>
                    {e.actor.kind} {e.actor.id.slice(0, 12)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
