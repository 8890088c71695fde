import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { deliveriesQuery, webhookListQuery } from '../api/queries';
import { useApi } from './ApiContext';
import { Pending, ProblemPanel } from './ProblemPanel';

function Deliveries({ id }: { id: string }) {
  const api = useApi();
  const deliveries = useQuery(deliveriesQuery(api, id));
  if (deliveries.isError) return <ProblemPanel error={deliveries.error} title="Delivery log" />;
  if (deliveries.data === undefined) return <Pending>Loading deliveries…</Pending>;
  if (deliveries.data.items.length === 0) return <p>No deliveries yet.</p>;
  return (
    <div className="table-wrap">
      <table aria-label="Delivery log">
        <thead>
          <tr>
            <th scope="col">Event</th>
            <th scope="col">State</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last status</th>
            <th scope="col">Next attempt</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.data.items.map((d) => (
            <tr key={d.id}>
              <td>
                {d.event_type} <small>@{d.position}</small>
              </td>
              <td>
                <span className={`badge state-${d.state}`}>{d.state}</span>
              </td>
              <td>{d.attempt_count}</td>
              <td>{d.last_status_code ?? '—'}</td>
              <td>{d.next_attempt_at ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Webhook subscriptions and the delivery log of the selected one. */
export function WebhooksView() {
  const api = useApi();
  const subs = useQuery(webhookListQuery(api));
  const [selected, setSelected] = useState<string | undefined>();
  return (
    <section aria-labelledby="webhooks-h">
      <h1 id="webhooks-h">Webhook subscriptions</h1>
      {subs.isError ? <ProblemPanel error={subs.error} title="Loading subscriptions" /> : null}
      {subs.isPending ? <Pending>Loading…</Pending> : null}
      {subs.data?.items.length === 0 ? <p>No subscriptions.</p> : null}
      {subs.data !== undefined && subs.data.items.length > 0 ? (
        <div className="table-wrap">
          <table aria-label="Webhook subscriptions">
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Event types</th>
                <th scope="col">State</th>
                <th scope="col">Deliveries</th>
              </tr>
            </thead>
            <tbody>
              {subs.data.items.map((s) => (
                <tr key={s.id} aria-selected={selected === s.id}>
                  <td>
                    <code>{s.url}</code>
                  </td>
                  <td>{s.event_types.join(', ')}</td>
                  <td>
                    <span className={`badge state-${s.state}`}>{s.state}</span>
                    {s.disabled_reason === null ? null : <small> {s.disabled_reason}</small>}
                  </td>
                  <td>
                    <button type="button" onClick={() => setSelected(s.id)} aria-pressed={selected === s.id}>
                      Show delivery log
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {selected === undefined ? null : (
        <>
          <h2>Delivery log</h2>
          <Deliveries id={selected} />
        </>
      )}
    </section>
  );
}
