import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { aggregateStateQuery, streamEventsQuery } from '../api/queries';
import { useApi } from './ApiContext';
import { Pending, ProblemPanel } from './ProblemPanel';

/** One stream's events and, for a chosen position, the aggregate's state as of then. */
export function TimelineView({ stream }: { stream: string }) {
  const api = useApi();
  const events = useQuery({ ...streamEventsQuery(api, stream), enabled: stream !== '' });
  const items = events.data ?? [];
  const [chosen, setChosen] = useState<number | undefined>();
  const index = Math.min(chosen ?? items.length - 1, items.length - 1);
  const at = index >= 0 ? items[index]?.position : undefined;
  const state = useQuery({ ...aggregateStateQuery(api, stream, at), enabled: at !== undefined });
  return (
    <section aria-labelledby="timeline-h">
      <h1 id="timeline-h">
        Timeline of <code>{stream}</code>
      </h1>
      {events.isError ? <ProblemPanel error={events.error} title="Loading the stream" /> : null}
      {events.isPending ? <Pending>Loading events…</Pending> : null}
      {events.data !== undefined && items.length === 0 ? <p>This stream has no events you can see.</p> : null}
      {items.length > 0 ? (
        <>
          <label className="slider">
            As of event {index + 1} of {items.length}
            <input
              type="range"
              min={0}
              max={items.length - 1}
              step={1}
              value={index}
              aria-valuetext={`${items[index]?.type ?? ''} at position ${at ?? ''}`}
              onChange={(e) => setChosen(Number(e.target.value))}
            />
          </label>
          <div className="timeline">
            <ol aria-label="Events of the stream">
              {items.map((e, i) => (
                <li key={e.id} aria-current={i === index ? 'step' : undefined}>
                  <button type="button" onClick={() => setChosen(i)}>
                    <strong>{e.type}</strong> <small>#{e.revision}</small>
                    <br />
                    <small>
                      {new Date(e.occurred_at).toLocaleString()} · {e.position}
                    </small>
                  </button>
                </li>
              ))}
            </ol>
            <div className="card state" aria-live="polite">
              <h2>
                State as of position <code>{at}</code>
              </h2>
              {state.isError ? <ProblemPanel error={state.error} title="Replaying the aggregate" /> : null}
              {state.data === undefined ? (
                state.isError ? null : (
                  <Pending>Replaying…</Pending>
                )
              ) : (
                <>
                  <p>
                    {state.data.aggregate} after {state.data.event_count} event(s), revision{' '}
                    {state.data.revision ?? '—'}
                  </p>
                  <pre aria-label="Aggregate state">{JSON.stringify(state.data.state, null, 2)}</pre>
                </>
              )}
            </div>
          </div>
        </>
      ) : null}
    </section>
  );
}
