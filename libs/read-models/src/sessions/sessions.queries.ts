import {
  ACTIVE_STATES,
  RUNTIME_STATES,
  SESSION_STATES,
  type RuntimeState,
  type SessionData,
  type SessionLifecycleState,
} from '@bpane/domain-sessions';
import type { ReadModelDatabase } from '../database';
import { ReadModelError } from '../errors';
import { checkPage } from '../session-templates/session-templates.queries';
import { SessionRowEntity, type SessionRow } from './session-row.entity';

/** A session as the catalogue shows it; `queuePosition` is its current 1-based place in the project queue. */
export type SessionView = Readonly<{ session: SessionData; queuePosition: number | null; position: bigint }>;

export type ListSessionsQuery = Readonly<{
  ownerId: string;
  state?: SessionLifecycleState;
  runtimeState?: RuntimeState;
  templateId?: string;
  projectId?: string;
  /** Every given label must match exactly. */
  labels?: Readonly<Record<string, string>>;
  /** Every given integration-context entry must match exactly. */
  integration?: Readonly<Record<string, string>>;
  limit?: number;
  offset?: number;
}>;

export type SessionPage = Readonly<{
  items: readonly SessionView[];
  total: number;
  limit: number;
  offset: number;
}>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const invalid = (field: string, message: string): ReadModelError =>
  new ReadModelError('invalid_query', `${field} ${message}`, { details: { fields: [field] } });

const QUEUED = `admission_decision = 'queued' AND state = 'pending'`;

/** Current queue positions of the queued sessions among `rows`, by project (FIFO by creation). */
const queuePositions = async (
  db: ReadModelDatabase,
  rows: readonly SessionRow[],
): Promise<Map<string, number>> => {
  const ids = rows.filter((r) => r.admissionDecision === 'queued' && r.state === 'pending').map((r) => r.id);
  const out = new Map<string, number>();
  if (ids.length === 0) return out;
  const t = db.qualified('sessions');
  const found = await db.dataSource.query<{ id: string; pos: string }[]>(
    `SELECT s.id, (SELECT count(*) FROM ${t} q
                    WHERE q.project_id = s.project_id AND q.admission_decision = 'queued' AND q.state = 'pending'
                      AND (q.created_at, q.id) < (s.created_at, s.id)) + 1 AS pos
       FROM ${t} s WHERE s.id = ANY($1::uuid[])`,
    [ids],
  );
  for (const r of found) out.set(r.id, Number(r.pos));
  return out;
};

const toViews = async (db: ReadModelDatabase, rows: readonly SessionRow[]): Promise<SessionView[]> => {
  const positions = await queuePositions(db, rows);
  return rows.map((row) => ({
    session: row.doc,
    queuePosition: positions.get(row.id) ?? null,
    position: BigInt(row.position),
  }));
};

const findOne = async (
  db: ReadModelDatabase,
  where: { id: string; ownerId?: string },
): Promise<SessionView | null> => {
  const row = await db.dataSource.getRepository(SessionRowEntity).findOne({ where });
  if (row === null || row.state === 'deleted') return null;
  return (await toViews(db, [row]))[0] ?? null;
};

/** One session, only if `ownerId` owns it (deleted sessions are gone). */
export const getSession = (db: ReadModelDatabase, q: Readonly<{ id: string; ownerId: string }>) =>
  UUID.test(q.id) ? findOne(db, { id: q.id, ownerId: q.ownerId }) : Promise.resolve(null);

/** One session whatever its owner, for routes a delegated service principal may call. */
export const getSessionById = (db: ReadModelDatabase, id: string) =>
  UUID.test(id) ? findOne(db, { id }) : Promise.resolve(null);

export const listSessions = async (db: ReadModelDatabase, q: ListSessionsQuery): Promise<SessionPage> => {
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  checkPage(limit, offset);
  if (q.ownerId.length === 0) throw invalid('ownerId', 'must not be empty');
  if (q.state !== undefined && !SESSION_STATES.includes(q.state))
    throw invalid('state', `must be one of ${SESSION_STATES.join(', ')}`);
  if (q.runtimeState !== undefined && !RUNTIME_STATES.includes(q.runtimeState))
    throw invalid('runtime_state', `must be one of ${RUNTIME_STATES.join(', ')}`);
  if (q.templateId !== undefined && !UUID.test(q.templateId)) throw invalid('template_id', 'must be a UUID');
  if (q.projectId !== undefined && !UUID.test(q.projectId)) throw invalid('project_id', 'must be a UUID');
  const qb = db.dataSource
    .getRepository(SessionRowEntity)
    .createQueryBuilder('s')
    .where('s.owner_id = :ownerId', { ownerId: q.ownerId })
    .andWhere(`s.state <> 'deleted'`);
  if (q.state !== undefined) qb.andWhere('s.state = :state', { state: q.state });
  if (q.runtimeState !== undefined) qb.andWhere('s.runtime_state = :rs', { rs: q.runtimeState });
  if (q.templateId !== undefined) qb.andWhere('s.template_id = :tid', { tid: q.templateId });
  if (q.projectId !== undefined) qb.andWhere('s.project_id = :pid', { pid: q.projectId });
  if (q.labels !== undefined && Object.keys(q.labels).length > 0)
    qb.andWhere('s.labels @> CAST(:labels AS jsonb)', { labels: JSON.stringify(q.labels) });
  if (q.integration !== undefined && Object.keys(q.integration).length > 0)
    qb.andWhere('s.integration_context @> CAST(:integ AS jsonb)', { integ: JSON.stringify(q.integration) });
  const [rows, total] = await qb
    .orderBy('s.created_at', 'DESC')
    .addOrderBy('s.id', 'ASC')
    .skip(offset)
    .take(limit)
    .getManyAndCount();
  return { items: await toViews(db, rows), total, limit, offset };
};

/** Admitted sessions of a project that still hold a slot of its `max_active_sessions` quota. */
export const countActiveProjectSessions = async (
  db: ReadModelDatabase,
  projectId: string,
): Promise<number> => {
  if (!UUID.test(projectId)) return 0;
  const rows = await db.dataSource.query<{ n: string }[]>(
    `SELECT count(*) AS n FROM ${db.qualified('sessions')}
      WHERE project_id = $1 AND admission_decision = 'admitted' AND state = ANY($2::text[])`,
    [projectId, [...ACTIVE_STATES]],
  );
  return Number(rows[0]?.n ?? 0);
};

/** Ids of a project's queued sessions, oldest first (the admission order). */
export const listQueuedProjectSessions = async (
  db: ReadModelDatabase,
  projectId: string,
): Promise<readonly string[]> => {
  if (!UUID.test(projectId)) return [];
  const rows = await db.dataSource.query<{ id: string }[]>(
    `SELECT id FROM ${db.qualified('sessions')} WHERE project_id = $1 AND ${QUEUED} ORDER BY created_at, id`,
    [projectId],
  );
  return rows.map((r) => r.id);
};

/** Projects (with their owner) that have queued sessions, for the admission sweep at start-up. */
export const listProjectsWithQueuedSessions = async (
  db: ReadModelDatabase,
): Promise<readonly Readonly<{ projectId: string; ownerId: string }>[]> => {
  const rows = await db.dataSource.query<{ project_id: string; owner_id: string }[]>(
    `SELECT DISTINCT project_id, owner_id FROM ${db.qualified('sessions')} WHERE project_id IS NOT NULL AND ${QUEUED}`,
  );
  return rows.map((r) => ({ projectId: r.project_id, ownerId: r.owner_id }));
};
