import {
  egressUpcasters,
  EGRESS_PROFILE_STREAM_PREFIX,
  isEgressProfileEvent,
  type EgressProfileEvent,
  type EgressProfileSettings,
} from '@bpane/domain-egress';
import type { RecordedEvent } from '@bpane/event-store';
import { assertNever } from '@bpane/errors';
import { EntitySchema, type EntityManager } from 'typeorm';
import type { ReadModelDatabase } from '../database';
import { ReadModelError } from '../errors';
import type { Projection } from '../projection';

export const EGRESS_PROFILES_TABLE = 'egress_profiles';

export type LastProbe = Readonly<{
  outcome: string;
  latencyMs: number | null;
  detail: string;
  probedAt: string;
}>;

/** A row of `read_models.egress_profiles`. Settings hold references only, never secrets. */
export type EgressProfileRow = {
  id: string;
  ownerId: string;
  name: string;
  state: 'active' | 'disabled';
  settings: EgressProfileSettings;
  lastProbe: LastProbe | null;
  createdAt: Date;
  updatedAt: Date;
  position: string;
};

export const EgressProfileRowEntity = new EntitySchema<EgressProfileRow>({
  name: 'EgressProfileRow',
  tableName: EGRESS_PROFILES_TABLE,
  columns: {
    id: { type: 'uuid', primary: true },
    ownerId: { name: 'owner_id', type: 'text' },
    name: { type: 'text' },
    state: { type: 'text' },
    settings: { type: 'jsonb' },
    lastProbe: { name: 'last_probe', type: 'jsonb', nullable: true },
    createdAt: { name: 'created_at', type: 'timestamptz' },
    updatedAt: { name: 'updated_at', type: 'timestamptz' },
    position: { type: 'bigint' },
  },
});

const apply = async (e: EgressProfileEvent, m: EntityManager, t: string, pos: string): Promise<void> => {
  switch (e.type) {
    case 'EgressProfileCreated':
      await m.query(
        `INSERT INTO ${t} (id, owner_id, name, state, settings, last_probe, created_at, updated_at, position)
         VALUES ($1, $2, $3, 'active', $4::jsonb, NULL, $5, $5, $6) ON CONFLICT (id) DO NOTHING`,
        [
          e.data.egressProfileId,
          e.data.ownerId,
          e.data.settings.name,
          JSON.stringify(e.data.settings),
          e.data.createdAt,
          pos,
        ],
      );
      return;
    case 'EgressProfileUpdated':
      await m.query(
        `UPDATE ${t} SET name = $2, settings = $3::jsonb, updated_at = $4, position = $5 WHERE id = $1 AND position < $5`,
        [
          e.data.egressProfileId,
          e.data.settings.name,
          JSON.stringify(e.data.settings),
          e.data.updatedAt,
          pos,
        ],
      );
      return;
    case 'EgressProfileDisabled':
    case 'EgressProfileEnabled': {
      const disabled = e.type === 'EgressProfileDisabled';
      await m.query(
        `UPDATE ${t} SET state = $2, updated_at = $3, position = $4 WHERE id = $1 AND position < $4`,
        [
          e.data.egressProfileId,
          disabled ? 'disabled' : 'active',
          disabled ? e.data.disabledAt : e.data.enabledAt,
          pos,
        ],
      );
      return;
    }
    case 'EgressProfileProbed': {
      const d = e.data;
      await m.query(`UPDATE ${t} SET last_probe = $2::jsonb, position = $3 WHERE id = $1 AND position < $3`, [
        d.egressProfileId,
        JSON.stringify({
          outcome: d.outcome,
          latencyMs: d.latencyMs,
          detail: d.detail,
          probedAt: d.probedAt,
        }),
        pos,
      ]);
      return;
    }
    default:
      assertNever(e, 'egress profile event');
  }
};

/** `read_models.egress_profiles` (owner-scoped). */
export const egressProfilesProjection: Projection = {
  name: 'egress_profiles',
  version: 1,
  tables: [
    {
      name: EGRESS_PROFILES_TABLE,
      ddl: (t, prefix) => [
        `CREATE TABLE ${t} (
           id uuid PRIMARY KEY,
           owner_id text NOT NULL,
           name text NOT NULL,
           state text NOT NULL CHECK (state IN ('active', 'disabled')),
           settings jsonb NOT NULL,
           last_probe jsonb,
           created_at timestamptz NOT NULL,
           updated_at timestamptz NOT NULL,
           position bigint NOT NULL
         )`,
        `CREATE INDEX "${prefix}_owner_idx" ON ${t} (owner_id, created_at DESC, id)`,
      ],
    },
  ],
  canHandle: (event) =>
    event.streamId.startsWith(EGRESS_PROFILE_STREAM_PREFIX) && isEgressProfileEvent(event),
  apply: async (recorded: RecordedEvent, m: EntityManager, target) =>
    apply(
      egressUpcasters.upcast<EgressProfileEvent>(recorded),
      m,
      target.table(EGRESS_PROFILES_TABLE),
      recorded.position.toString(),
    ),
};

export type EgressProfileView = Readonly<{
  id: string;
  ownerId: string;
  state: 'active' | 'disabled';
  settings: EgressProfileSettings;
  lastProbe: LastProbe | null;
  createdAt: string;
  updatedAt: string;
}>;

const view = (r: EgressProfileRow): EgressProfileView => ({
  id: r.id,
  ownerId: r.ownerId,
  state: r.state,
  settings: r.settings,
  lastProbe: r.lastProbe,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const getEgressProfile = async (
  db: ReadModelDatabase,
  q: Readonly<{ id: string; ownerId: string }>,
): Promise<EgressProfileView | null> => {
  if (!UUID.test(q.id)) return null;
  const row = await db.dataSource
    .getRepository(EgressProfileRowEntity)
    .findOne({ where: { id: q.id, ownerId: q.ownerId } });
  return row === null ? null : view(row);
};

export const listEgressProfiles = async (
  db: ReadModelDatabase,
  q: Readonly<{
    ownerId: string;
    state?: 'active' | 'disabled';
    labels?: Readonly<Record<string, string>>;
    limit?: number;
    offset?: number;
  }>,
): Promise<
  Readonly<{ items: readonly EgressProfileView[]; total: number; limit: number; offset: number }>
> => {
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200 || !Number.isInteger(offset) || offset < 0)
    throw new ReadModelError('invalid_query', 'limit must be 1-200 and offset ≥ 0', {
      details: { fields: ['limit', 'offset'] },
    });
  const qb = db.dataSource
    .getRepository(EgressProfileRowEntity)
    .createQueryBuilder('e')
    .where('e.owner_id = :owner', { owner: q.ownerId });
  if (q.state !== undefined) qb.andWhere('e.state = :state', { state: q.state });
  if (q.labels !== undefined && Object.keys(q.labels).length > 0)
    qb.andWhere(`e.settings -> 'labels' @> CAST(:labels AS jsonb)`, { labels: JSON.stringify(q.labels) });
  const [rows, total] = await qb
    .orderBy('e.created_at', 'DESC')
    .addOrderBy('e.id', 'ASC')
    .skip(offset)
    .take(limit)
    .getManyAndCount();
  return { items: rows.map(view), total, limit, offset };
};
