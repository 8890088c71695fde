import {
  BROWSER_CONTEXT_STREAM_PREFIX,
  browserContextUpcasters,
  isBrowserContextEvent,
  type BrowserContextEvent,
  type BrowserContextSettingsV1,
} from '@bpane/domain-browser-contexts';
import type { RecordedEvent } from '@bpane/event-store';
import { assertNever } from '@bpane/errors';
import { EntitySchema, type EntityManager } from 'typeorm';
import type { ReadModelDatabase } from '../database';
import { ReadModelError } from '../errors';
import type { Projection } from '../projection';

export const BROWSER_CONTEXTS_TABLE = 'browser_contexts';

export type BrowserContextRow = {
  id: string;
  ownerId: string;
  name: string;
  settings: BrowserContextSettingsV1;
  clonedFrom: string | null;
  createdAt: Date;
  updatedAt: Date;
  position: string;
};

export const BrowserContextRowEntity = new EntitySchema<BrowserContextRow>({
  name: 'BrowserContextRow',
  tableName: BROWSER_CONTEXTS_TABLE,
  columns: {
    id: { type: 'uuid', primary: true },
    ownerId: { name: 'owner_id', type: 'text' },
    name: { type: 'text' },
    settings: { type: 'jsonb' },
    clonedFrom: { name: 'cloned_from', type: 'uuid', nullable: true },
    createdAt: { name: 'created_at', type: 'timestamptz' },
    updatedAt: { name: 'updated_at', type: 'timestamptz' },
    position: { type: 'bigint' },
  },
});

const apply = async (e: BrowserContextEvent, m: EntityManager, t: string, pos: string): Promise<void> => {
  switch (e.type) {
    case 'BrowserContextCreated':
      await m.query(
        `INSERT INTO ${t} (id, owner_id, name, settings, cloned_from, created_at, updated_at, position)
         VALUES ($1, $2, $3, $4::jsonb, $5, $6, $6, $7) ON CONFLICT (id) DO NOTHING`,
        [
          e.data.contextId,
          e.data.ownerId,
          e.data.settings.name,
          JSON.stringify(e.data.settings),
          e.data.clonedFrom,
          e.data.createdAt,
          pos,
        ],
      );
      return;
    case 'BrowserContextUpdated':
      await m.query(
        `UPDATE ${t} SET name = $2, settings = $3::jsonb, updated_at = $4, position = $5 WHERE id = $1 AND position < $5`,
        [e.data.contextId, e.data.settings.name, JSON.stringify(e.data.settings), e.data.updatedAt, pos],
      );
      return;
    case 'BrowserContextDeleted':
      // Deleted contexts leave the catalogue; their history stays in the event log.
      await m.query(`DELETE FROM ${t} WHERE id = $1 AND position < $2`, [e.data.contextId, pos]);
      return;
    default:
      assertNever(e, 'browser context event');
  }
};

/** `read_models.browser_contexts` (owner-scoped catalogue of reusable contexts). */
export const browserContextsProjection: Projection = {
  name: 'browser_contexts',
  version: 1,
  tables: [
    {
      name: BROWSER_CONTEXTS_TABLE,
      ddl: (t, prefix) => [
        `CREATE TABLE ${t} (
           id uuid PRIMARY KEY,
           owner_id text NOT NULL,
           name text NOT NULL,
           settings jsonb NOT NULL,
           cloned_from uuid,
           created_at timestamptz NOT NULL,
           updated_at timestamptz NOT NULL,
           position bigint NOT NULL
         )`,
        `CREATE INDEX "${prefix}_owner_idx" ON ${t} (owner_id, created_at DESC, id)`,
      ],
    },
  ],
  canHandle: (event) =>
    event.streamId.startsWith(BROWSER_CONTEXT_STREAM_PREFIX) && isBrowserContextEvent(event),
  apply: async (recorded: RecordedEvent, m: EntityManager, target) =>
    apply(
      browserContextUpcasters.upcast<BrowserContextEvent>(recorded),
      m,
      target.table(BROWSER_CONTEXTS_TABLE),
      recorded.position.toString(),
    ),
};

export type BrowserContextView = Readonly<{
  id: string;
  ownerId: string;
  settings: BrowserContextSettingsV1;
  clonedFrom: string | null;
  createdAt: string;
  updatedAt: string;
}>;

const view = (r: BrowserContextRow): BrowserContextView => ({
  id: r.id,
  ownerId: r.ownerId,
  settings: r.settings,
  clonedFrom: r.clonedFrom,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const getBrowserContext = async (
  db: ReadModelDatabase,
  q: Readonly<{ id: string; ownerId: string }>,
): Promise<BrowserContextView | null> => {
  if (!UUID.test(q.id)) return null;
  const row = await db.dataSource
    .getRepository(BrowserContextRowEntity)
    .findOne({ where: { id: q.id, ownerId: q.ownerId } });
  return row === null ? null : view(row);
};

export const listBrowserContexts = async (
  db: ReadModelDatabase,
  q: Readonly<{
    ownerId: string;
    labels?: Readonly<Record<string, string>>;
    limit?: number;
    offset?: number;
  }>,
): Promise<
  Readonly<{ items: readonly BrowserContextView[]; total: number; limit: number; offset: number }>
> => {
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200 || !Number.isInteger(offset) || offset < 0)
    throw new ReadModelError('invalid_query', 'limit must be 1-200 and offset ≥ 0', {
      details: { fields: ['limit', 'offset'] },
    });
  const qb = db.dataSource
    .getRepository(BrowserContextRowEntity)
    .createQueryBuilder('b')
    .where('b.owner_id = :o', { o: q.ownerId });
  if (q.labels !== undefined && Object.keys(q.labels).length > 0)
    qb.andWhere(`b.settings -> 'labels' @> CAST(:labels AS jsonb)`, { labels: JSON.stringify(q.labels) });
  const [rows, total] = await qb
    .orderBy('b.created_at', 'DESC')
    .addOrderBy('b.id', 'ASC')
    .skip(offset)
    .take(limit)
    .getManyAndCount();
  return { items: rows.map(view), total, limit, offset };
};
