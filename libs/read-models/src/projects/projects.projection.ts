import { isProjectEvent, projectUpcasters, type ProjectEvent } from '@bpane/domain-projects';
import type { RecordedEvent } from '@bpane/event-store';
import { assertNever } from '@bpane/errors';
import type { EntityManager } from 'typeorm';
import type { Projection, ProjectionTable } from '../projection';
import { PROJECTS_TABLE } from './project-row.entity';

const projectsTable: ProjectionTable = {
  name: PROJECTS_TABLE,
  ddl: (t, prefix) => [
    `CREATE TABLE ${t} (
       id uuid PRIMARY KEY,
       owner_id text NOT NULL,
       name text NOT NULL,
       description text,
       labels jsonb NOT NULL DEFAULT '{}'::jsonb,
       state text NOT NULL CHECK (state IN ('active', 'archived')),
       max_active_sessions integer,
       max_active_workflow_runs integer,
       max_retained_storage_bytes bigint,
       created_at timestamptz NOT NULL,
       updated_at timestamptz NOT NULL,
       archived_at timestamptz,
       position bigint NOT NULL
     )`,
    `CREATE INDEX "${prefix}_owner_created_idx" ON ${t} (owner_id, created_at DESC, id)`,
    `CREATE INDEX "${prefix}_labels_idx" ON ${t} USING gin (labels jsonb_path_ops)`,
  ],
};

/**
 * `read_models.projects`: one row per project, owner-scoped. Every write is guarded by the row's
 * `position`, so applying an event a second time changes nothing.
 */
export const projectsProjection: Projection = {
  name: 'projects',
  version: 1,
  tables: [projectsTable],
  canHandle: (event) =>
    event.streamId.startsWith('project-') && isProjectEvent(projectUpcasters.upcast(event)),
  apply: async (recorded: RecordedEvent, m: EntityManager, target) => {
    const t = target.table(PROJECTS_TABLE);
    const pos = recorded.position.toString();
    const event = projectUpcasters.upcast<ProjectEvent>(recorded);
    switch (event.type) {
      case 'ProjectCreated': {
        const d = event.data;
        await m.query(
          `INSERT INTO ${t} (id, owner_id, name, description, labels, state, max_active_sessions,
                             max_active_workflow_runs, max_retained_storage_bytes, created_at, updated_at,
                             archived_at, position)
           VALUES ($1, $2, $3, $4, $5::jsonb, 'active', $6, $7, $8, $9, $9, NULL, $10)
           ON CONFLICT (id) DO NOTHING`,
          [
            d.projectId,
            d.ownerId,
            d.name,
            d.description,
            JSON.stringify(d.labels),
            d.quotas.maxActiveSessions,
            d.quotas.maxActiveWorkflowRuns,
            d.quotas.maxRetainedStorageBytes,
            d.createdAt,
            pos,
          ],
        );
        return;
      }
      case 'ProjectUpdated': {
        const d = event.data;
        await m.query(
          `UPDATE ${t} SET name = $2, description = $3, labels = $4::jsonb, max_active_sessions = $5,
                  max_active_workflow_runs = $6, max_retained_storage_bytes = $7, updated_at = $8, position = $9
            WHERE id = $1 AND position < $9`,
          [
            d.projectId,
            d.name,
            d.description,
            JSON.stringify(d.labels),
            d.quotas.maxActiveSessions,
            d.quotas.maxActiveWorkflowRuns,
            d.quotas.maxRetainedStorageBytes,
            d.updatedAt,
            pos,
          ],
        );
        return;
      }
      case 'ProjectArchived':
        await m.query(
          `UPDATE ${t} SET state = 'archived', archived_at = $2, updated_at = $2, position = $3
            WHERE id = $1 AND position < $3`,
          [event.data.projectId, event.data.archivedAt, pos],
        );
        return;
      case 'ProjectUnarchived':
        await m.query(
          `UPDATE ${t} SET state = 'active', archived_at = NULL, updated_at = $2, position = $3
            WHERE id = $1 AND position < $3`,
          [event.data.projectId, event.data.unarchivedAt, pos],
        );
        return;
      default:
        assertNever(event, 'project event');
    }
  },
};
