import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { accessReviewQuery, keys, mappingsQuery, servicePrincipalsQuery } from '../api/queries';
import type {
  ActivationState,
  MappingSubject,
  ServicePrincipal,
  ServicePrincipalList,
} from '../api/schema.gen';
import { useApi } from './ApiContext';
import { Pending, ProblemPanel } from './ProblemPanel';

export const subjectText = (s: MappingSubject): string => {
  switch (s.kind) {
    case 'user':
      return `user ${s.subject}`;
    case 'group':
      return `group ${s.group}`;
    case 'claim':
      return `claim ${s.claim}=${s.value}`;
    case 'service_principal':
      return `service principal ${s.service_principal_id}`;
  }
};

function PrincipalRow({ sp }: { sp: ServicePrincipal }) {
  const api = useApi();
  const qc = useQueryClient();
  const toggle = useMutation({
    mutationFn: (state: ActivationState) =>
      api.send<ServicePrincipal>('PUT', `/api/v1/service-principals/${encodeURIComponent(sp.id)}`, { state }),
    onMutate: async (state) => {
      await qc.cancelQueries({ queryKey: keys.servicePrincipals });
      const before = qc.getQueryData<ServicePrincipalList>(keys.servicePrincipals);
      qc.setQueryData<ServicePrincipalList>(keys.servicePrincipals, (l) =>
        l === undefined ? l : { ...l, items: l.items.map((x) => (x.id === sp.id ? { ...x, state } : x)) },
      );
      return { before };
    },
    onError: (_e, _v, ctx) => {
      if (ctx?.before !== undefined) qc.setQueryData(keys.servicePrincipals, ctx.before);
    },
    onSettled: () => qc.invalidateQueries({ queryKey: keys.identity }),
  });
  const next: ActivationState = sp.state === 'active' ? 'disabled' : 'active';
  return (
    <tr>
      <td>{sp.display_name}</td>
      <td>
        <code>{sp.client_id}</code>
      </td>
      <td>
        <span className={`badge state-${sp.state}`}>{sp.state}</span>
      </td>
      <td>
        <button
          type="button"
          onClick={() => toggle.mutate(next)}
          disabled={toggle.isPending}
          aria-label={`${next === 'disabled' ? 'Disable' : 'Enable'} ${sp.display_name}`}
        >
          {next === 'disabled' ? 'Disable' : 'Enable'}
        </button>
        {toggle.isError ? <ProblemPanel error={toggle.error} /> : null}
      </td>
    </tr>
  );
}

/** Access review, service principals and identity mappings. */
export function IdentityView() {
  const api = useApi();
  const review = useQuery(accessReviewQuery(api));
  const principals = useQuery(servicePrincipalsQuery(api));
  const mappings = useQuery(mappingsQuery(api));
  const me = review.data?.principal;
  return (
    <section aria-labelledby="identity-h">
      <h1 id="identity-h">Identity</h1>
      <h2>Access review</h2>
      {review.isError ? <ProblemPanel error={review.error} title="Access review" /> : null}
      {review.isPending ? <Pending>Loading…</Pending> : null}
      {me !== undefined && review.data !== undefined ? (
        <dl className="card kv">
          <dt>Principal</dt>
          <dd>
            {me.display_name ?? me.username ?? me.subject} ({me.principal_type})
          </dd>
          <dt>Issuer</dt>
          <dd>
            <code>{me.issuer}</code>
          </dd>
          <dt>Groups</dt>
          <dd>{(me.groups ?? []).join(', ') || '—'}</dd>
          <dt>Matched mappings</dt>
          <dd>{review.data.matched_mappings.map((m) => subjectText(m.subject)).join('; ') || 'none'}</dd>
          <dt>Unmapped signals</dt>
          <dd>
            {review.data.unmapped_signals.map((s) => `${s.kind} ${s.name}=${s.value}`).join('; ') || 'none'}
          </dd>
        </dl>
      ) : null}
      <h2>Service principals</h2>
      {principals.isError ? <ProblemPanel error={principals.error} /> : null}
      {principals.data?.items.length === 0 ? <p>No service principals.</p> : null}
      {principals.data !== undefined && principals.data.items.length > 0 ? (
        <div className="table-wrap">
          <table aria-label="Service principals">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Client id</th>
                <th scope="col">State</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {principals.data.items.map((sp) => (
                <PrincipalRow key={sp.id} sp={sp} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <h2>Identity mappings</h2>
      {mappings.isError ? <ProblemPanel error={mappings.error} /> : null}
      {mappings.data?.items.length === 0 ? <p>No identity mappings.</p> : null}
      {mappings.data !== undefined && mappings.data.items.length > 0 ? (
        <div className="table-wrap">
          <table aria-label="Identity mappings">
            <thead>
              <tr>
                <th scope="col">Subject</th>
                <th scope="col">Project</th>
                <th scope="col">Role</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {mappings.data.items.map((m) => (
                <tr key={m.id}>
                  <td>{subjectText(m.subject)}</td>
                  <td>{m.project_name ?? m.project_id}</td>
                  <td>{m.role}</td>
                  <td>
                    <span className={`badge state-${m.state}`}>{m.state}</span>
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
