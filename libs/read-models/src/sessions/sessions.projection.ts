import {
  evolveSession,
  isSessionEvent,
  runtimeStateOf,
  SESSION_STREAM_PREFIX,
  sessionUpcasters,
  type SessionEvent,
  type SessionState,
} from '@bpane/domain-sessions';
import type { RecordedEvent } from '@bpane/event-store';
import type { EntityManager } from 'typeorm';
import type { Projection, ProjectionTable } from '../projection';
import { SESSIONS_TABLE } from './session-row.entity';

const table: ProjectionTable = {
  name: SESSIONS_TABLE,
  ddl: (t, prefix) => [
    `CREATE TABLE ${t} (
       id uuid PRIMARY KEY,
       owner_id text NOT NULL,
       state text NOT NULL,
       runtime_state text NOT NULL,
       template_id uuid,
       project_id uuid,
       admission_decision text,
       labels jsonb NOT NULL DEFAULT '{}'::jsonb,
       integration_context jsonb NOT NULL DEFAULT '{}'::jsonb,
       doc jsonb NOT NULL,
       created_at timestamptz NOT NULL,
       updated_at timestamptz NOT NULL,
       position bigint NOT NULL
     )`,
    `CREATE INDEX "${prefix}_owner_created_idx" ON ${t} (owner_id, created_at DESC, id)`,
    `CREATE INDEX "${prefix}_project_idx" ON ${t} (project_id, admission_decision, state, created_at, id)`,
    `CREATE INDEX "${prefix}_labels_idx" ON ${t} USING gin (labels jsonb_path_ops)`,
    `CREATE INDEX "${prefix}_integration_idx" ON ${t} USING gin (integration_context jsonb_path_ops)`,
  ],
};

/**
 * `read_models.sessions`: one row per session holding the folded session state, with the
 * lifecycle, runtime, template, project and admission columns lists filter on. Guarded by
 * `position`, so an event applied twice (or late) changes nothing.
 */
export const sessionsProjection: Projection = {
  name: 'sessions',
  version: 1,
  tables: [table],
  canHandle: (event) =>
    event.streamId.startsWith(SESSION_STREAM_PREFIX) && isSessionEvent(sessionUpcasters.upcast(event)),
  apply: async (recorded: RecordedEvent, m: EntityManager, target) => {
    const t = target.table(SESSIONS_TABLE);
    const event = sessionUpcasters.upcast<SessionEvent>(recorded);
    const id = event.data.sessionId;
    const rows = await m.query<{ doc: SessionState; position: string }[]>(
      `SELECT doc, position FROM ${t} WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const row = rows[0];
    if (row !== undefined && BigInt(row.position) >= recorded.position) return;
    const next = evolveSession(row?.doc ?? { status: 'absent' }, event);
    if (next.status === 'absent') return;
    const pos = recorded.position.toString();
    if (next.status === 'deleted') {
      await m.query(
        `UPDATE ${t} SET state = 'deleted', doc = $2::jsonb, updated_at = $3, position = $4
          WHERE id = $1 AND position < $4`,
        [id, JSON.stringify(next), next.deletedAt, pos],
      );
      return;
    }
    await m.query(
      `INSERT INTO ${t} (id, owner_id, state, runtime_state, template_id, project_id, admission_decision,
                         labels, integration_context, doc, created_at, updated_at, position)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb, $10::jsonb, $11, $12, $13)
       ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, runtime_state = EXCLUDED.runtime_state,
              admission_decision = EXCLUDED.admission_decision, labels = EXCLUDED.labels,
              integration_context = EXCLUDED.integration_context, doc = EXCLUDED.doc,
              updated_at = EXCLUDED.updated_at, position = EXCLUDED.position
        WHERE ${t}.position < EXCLUDED.position`,
      [
        id,
        next.ownerId,
        next.status,
        runtimeStateOf(next),
        next.templateId,
        next.projectId,
        next.admission?.decision ?? null,
        JSON.stringify(next.config.labels),
        JSON.stringify(next.config.integrationContext),
        JSON.stringify(next),
        next.createdAt,
        next.updatedAt,
        pos,
      ],
    );
  },
};
