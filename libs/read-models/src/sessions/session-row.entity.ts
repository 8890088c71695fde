import type { SessionData } from '@bpane/domain-sessions';
import { EntitySchema } from 'typeorm';

/**
 * A row of `read_models.sessions`: the folded session (`doc`) plus the columns lists filter on.
 * A deleted session keeps a tombstone row (`state = 'deleted'`) so late replays cannot revive it.
 */
export type SessionRow = {
  id: string;
  ownerId: string;
  state: string;
  runtimeState: string;
  templateId: string | null;
  projectId: string | null;
  admissionDecision: string | null;
  labels: Record<string, string>;
  integrationContext: Record<string, string>;
  doc: SessionData;
  createdAt: Date;
  updatedAt: Date;
  position: string;
};

export const SESSIONS_TABLE = 'sessions';

export const SessionRowEntity = new EntitySchema<SessionRow>({
  name: 'SessionRow',
  tableName: SESSIONS_TABLE,
  columns: {
    id: { type: 'uuid', primary: true },
    ownerId: { name: 'owner_id', type: 'text' },
    state: { type: 'text' },
    runtimeState: { name: 'runtime_state', type: 'text' },
    templateId: { name: 'template_id', type: 'uuid', nullable: true },
    projectId: { name: 'project_id', type: 'uuid', nullable: true },
    admissionDecision: { name: 'admission_decision', type: 'text', nullable: true },
    labels: { type: 'jsonb' },
    integrationContext: { name: 'integration_context', type: 'jsonb' },
    doc: { type: 'jsonb' },
    createdAt: { name: 'created_at', type: 'timestamptz' },
    updatedAt: { name: 'updated_at', type: 'timestamptz' },
    position: { type: 'bigint' },
  },
});
