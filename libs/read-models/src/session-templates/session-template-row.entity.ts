import type { SessionTemplateState } from '@bpane/domain-sessions';
import { EntitySchema } from 'typeorm';

export type ActiveSessionTemplate = Exclude<SessionTemplateState, { status: 'absent' }>;

/** A row of `read_models.session_templates`: the folded template (`doc`) plus filter columns. */
export type SessionTemplateRow = {
  id: string;
  ownerId: string;
  name: string;
  labels: Record<string, string>;
  doc: ActiveSessionTemplate;
  createdAt: Date;
  updatedAt: Date;
  position: string;
};

export const SESSION_TEMPLATES_TABLE = 'session_templates';

export const SessionTemplateRowEntity = new EntitySchema<SessionTemplateRow>({
  name: 'SessionTemplateRow',
  tableName: SESSION_TEMPLATES_TABLE,
  columns: {
    id: { type: 'uuid', primary: true },
    ownerId: { name: 'owner_id', type: 'text' },
    name: { type: 'text' },
    labels: { type: 'jsonb' },
    doc: { type: 'jsonb' },
    createdAt: { name: 'created_at', type: 'timestamptz' },
    updatedAt: { name: 'updated_at', type: 'timestamptz' },
    position: { type: 'bigint' },
  },
});
