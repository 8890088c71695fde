import { useQuery } from '@tanstack/react-query';
import { projectListQuery, projectUsageQuery } from '../api/queries';
import type { Project, ProjectQuotas } from '../api/schema.gen';
import { useApi } from './ApiContext';
import { Link } from './Link';
import { Pending, ProblemPanel } from './ProblemPanel';
import { hrefFor } from './router';

const limit = (v: number | null | undefined): string => (v == null ? '∞' : String(v));

export const formatBytes = (n: number): string => {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
};

function Usage({ project }: { project: Project }) {
  const api = useApi();
  const usage = useQuery(projectUsageQuery(api, project.id));
  if (usage.isError) return <ProblemPanel error={usage.error} />;
  if (usage.data === undefined) return <span aria-busy="true">…</span>;
  const q: ProjectQuotas = usage.data.quotas;
  return (
    <>
      <td>
        {usage.data.active_sessions} / {limit(q.max_active_sessions)}
      </td>
      <td>
        {usage.data.active_workflow_runs} / {limit(q.max_active_workflow_runs)}
      </td>
      <td>
        {formatBytes(usage.data.retained_storage_bytes)} /{' '}
        {q.max_retained_storage_bytes == null ? '∞' : formatBytes(q.max_retained_storage_bytes)}
      </td>
    </>
  );
}

/** Projects with their usage against their quotas. */
export function ProjectsView() {
  const api = useApi();
  const projects = useQuery(projectListQuery(api));
  return (
    <section aria-labelledby="projects-h">
      <h1 id="projects-h">Projects</h1>
      {projects.isError ? <ProblemPanel error={projects.error} title="Loading projects" /> : null}
      {projects.isPending ? <Pending>Loading projects…</Pending> : null}
      {projects.data?.items.length === 0 ? <p>No projects yet.</p> : null}
      {projects.data !== undefined && projects.data.items.length > 0 ? (
        <div className="table-wrap">
          <table aria-label="Projects">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">State</th>
                <th scope="col">Active sessions / quota</th>
                <th scope="col">Workflow runs / quota</th>
                <th scope="col">Storage / quota</th>
                <th scope="col">History</th>
              </tr>
            </thead>
            <tbody>
              {projects.data.items.map((p) => (
                <tr key={p.id}>
                  <td>{p.name}</td>
                  <td>
                    <span className={`badge state-${p.state}`}>{p.state}</span>
                  </td>
                  <Usage project={p} />
                  <td>
                    <Link href={hrefFor({ name: 'timeline', stream: `project-${p.id}` })}>Timeline</Link>
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
