import {
  evolveSessionTemplate,
  isSessionTemplateEvent,
  SESSION_TEMPLATE_STREAM_PREFIX,
  sessionTemplateUpcasters,
  type SessionTemplateEvent,
  type SessionTemplateState,
} from '@bpane/domain-sessions';
import type { RecordedEvent } from '@bpane/event-store';
import type { EntityManager } from 'typeorm';
import type { Projection, ProjectionTable } from '../projection';
import { SESSION_TEMPLATES_TABLE } from './session-template-row.entity';

const table: ProjectionTable = {
  name: SESSION_TEMPLATES_TABLE,
  ddl: (t, prefix) => [
    `CREATE TABLE ${t} (
       id uuid PRIMARY KEY,
       owner_id text NOT NULL,
       name text NOT NULL,
       labels jsonb NOT NULL DEFAULT '{}'::jsonb,
       doc jsonb NOT NULL,
       created_at timestamptz NOT NULL,
       updated_at timestamptz NOT NULL,
       position bigint NOT NULL
     )`,
    `CREATE INDEX "${prefix}_owner_created_idx" ON ${t} (owner_id, created_at DESC, id)`,
    `CREATE INDEX "${prefix}_labels_idx" ON ${t} USING gin (labels jsonb_path_ops)`,
  ],
};

/**
 * `read_models.session_templates`: one row per template holding the folded template state. An
 * event older than (or equal to) the row's `position` changes nothing, so replays are harmless.
 */
export const sessionTemplatesProjection: Projection = {
  name: 'session_templates',
  version: 1,
  tables: [table],
  canHandle: (event) =>
    event.streamId.startsWith(SESSION_TEMPLATE_STREAM_PREFIX) &&
    isSessionTemplateEvent(sessionTemplateUpcasters.upcast(event)),
  apply: async (recorded: RecordedEvent, m: EntityManager, target) => {
    const t = target.table(SESSION_TEMPLATES_TABLE);
    const event = sessionTemplateUpcasters.upcast<SessionTemplateEvent>(recorded);
    const id = event.data.templateId;
    const rows = await m.query<{ doc: SessionTemplateState; position: string }[]>(
      `SELECT doc, position FROM ${t} WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const row = rows[0];
    if (row !== undefined && BigInt(row.position) >= recorded.position) return;
    const next = evolveSessionTemplate(row?.doc ?? { status: 'absent' }, event);
    if (next.status === 'absent') return;
    await m.query(
      `INSERT INTO ${t} (id, owner_id, name, labels, doc, created_at, updated_at, position)
       VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8)
       ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, labels = EXCLUDED.labels, doc = EXCLUDED.doc,
              updated_at = EXCLUDED.updated_at, position = EXCLUDED.position
        WHERE ${t}.position < EXCLUDED.position`,
      [
        id,
        next.ownerId,
        next.name,
        JSON.stringify(next.labels),
        JSON.stringify(next),
        next.createdAt,
        next.updatedAt,
        recorded.position.toString(),
      ],
    );
  },
};
