import { EntitySchema } from 'typeorm';

/** A row of `read_models.projects` as TypeORM returns it (bigint columns arrive as strings). */
export type ProjectRow = {
  id: string;
  ownerId: string;
  name: string;
  description: string | null;
  labels: Record<string, string>;
  state: 'active' | 'archived';
  maxActiveSessions: number | null;
  maxActiveWorkflowRuns: number | null;
  maxRetainedStorageBytes: string | null;
  createdAt: Date;
  updatedAt: Date;
  archivedAt: Date | null;
  position: string;
};

export const PROJECTS_TABLE = 'projects';

export const ProjectRowEntity = new EntitySchema<ProjectRow>({
  name: 'ProjectRow',
  tableName: PROJECTS_TABLE,
  columns: {
    id: { type: 'uuid', primary: true },
    ownerId: { name: 'owner_id', type: 'text' },
    name: { type: 'text' },
    description: { type: 'text', nullable: true },
    labels: { type: 'jsonb' },
    state: { type: 'text' },
    maxActiveSessions: { name: 'max_active_sessions', type: 'integer', nullable: true },
    maxActiveWorkflowRuns: { name: 'max_active_workflow_runs', type: 'integer', nullable: true },
    maxRetainedStorageBytes: { name: 'max_retained_storage_bytes', type: 'bigint', nullable: true },
    createdAt: { name: 'created_at', type: 'timestamptz' },
    updatedAt: { name: 'updated_at', type: 'timestamptz' },
    archivedAt: { name: 'archived_at', type: 'timestamptz', nullable: true },
    position: { type: 'bigint' },
  },
});
