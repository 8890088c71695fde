import type { ReadModelDatabase } from '../database';
import { ReadModelError } from '../errors';
import { ProjectRowEntity, type ProjectRow } from './project-row.entity';

export type ProjectView = Readonly<{
  id: string;
  ownerId: string;
  name: string;
  description: string | null;
  labels: Readonly<Record<string, string>>;
  state: 'active' | 'archived';
  quotas: Readonly<{
    maxActiveSessions: number | null;
    maxActiveWorkflowRuns: number | null;
    maxRetainedStorageBytes: number | null;
  }>;
  createdAt: string;
  updatedAt: string;
  archivedAt: string | null;
  /** Global position of the last event reflected in this row. */
  position: bigint;
}>;

export type ListProjectsQuery = Readonly<{
  ownerId: string;
  state?: 'active' | 'archived';
  /** Every given label must match exactly. */
  labels?: Readonly<Record<string, string>>;
  /** Case-insensitive substring of the name. */
  nameContains?: string;
  /** 1..200, default 50. */
  limit?: number;
  /** ≥ 0, default 0. */
  offset?: number;
}>;

export type ProjectPage = Readonly<{
  items: readonly ProjectView[];
  total: number;
  limit: number;
  offset: number;
}>;

export const projectQueryLimits = { defaultLimit: 50, maxLimit: 200 } as const;

export const toProjectView = (row: ProjectRow): ProjectView => ({
  id: row.id,
  ownerId: row.ownerId,
  name: row.name,
  description: row.description,
  labels: row.labels,
  state: row.state,
  quotas: {
    maxActiveSessions: row.maxActiveSessions,
    maxActiveWorkflowRuns: row.maxActiveWorkflowRuns,
    maxRetainedStorageBytes:
      row.maxRetainedStorageBytes === null ? null : Number(row.maxRetainedStorageBytes),
  },
  createdAt: row.createdAt.toISOString(),
  updatedAt: row.updatedAt.toISOString(),
  archivedAt: row.archivedAt === null ? null : row.archivedAt.toISOString(),
  position: BigInt(row.position),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One project, only if `ownerId` owns it (another owner's project is simply not there). */
export const getProject = async (
  db: ReadModelDatabase,
  q: Readonly<{ id: string; ownerId: string }>,
): Promise<ProjectView | null> => {
  if (!UUID.test(q.id)) return null;
  const row = await db.dataSource
    .getRepository(ProjectRowEntity)
    .findOne({ where: { id: q.id, ownerId: q.ownerId } });
  return row === null ? null : toProjectView(row);
};

const invalid = (field: string, message: string): ReadModelError =>
  new ReadModelError('invalid_query', `${field} ${message}`, { details: { fields: [field] } });

export const listProjects = async (db: ReadModelDatabase, q: ListProjectsQuery): Promise<ProjectPage> => {
  const limit = q.limit ?? projectQueryLimits.defaultLimit;
  const offset = q.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > projectQueryLimits.maxLimit)
    throw invalid('limit', `must be an integer from 1 to ${projectQueryLimits.maxLimit}`);
  if (!Number.isInteger(offset) || offset < 0) throw invalid('offset', 'must be a non-negative integer');
  if (q.state !== undefined && q.state !== 'active' && q.state !== 'archived')
    throw invalid('state', 'must be active or archived');
  if (q.ownerId.length === 0) throw invalid('ownerId', 'must not be empty');

  const qb = db.dataSource
    .getRepository(ProjectRowEntity)
    .createQueryBuilder('p')
    .where('p.owner_id = :ownerId', { ownerId: q.ownerId });
  if (q.state !== undefined) qb.andWhere('p.state = :state', { state: q.state });
  if (q.labels !== undefined && Object.keys(q.labels).length > 0) {
    for (const [k, v] of Object.entries(q.labels)) {
      if (typeof v !== 'string') throw invalid(`labels.${k}`, 'must be a string');
    }
    qb.andWhere('p.labels @> CAST(:labels AS jsonb)', { labels: JSON.stringify(q.labels) });
  }
  if (q.nameContains !== undefined && q.nameContains.length > 0) {
    const escaped = q.nameContains.replace(/[\\%_]/g, (c) => `\\${c}`);
    qb.andWhere(`p.name ILIKE :name ESCAPE '\\'`, { name: `%${escaped}%` });
  }
  const [rows, total] = await qb
    .orderBy('p.created_at', 'DESC')
    .addOrderBy('p.id', 'ASC')
    .skip(offset)
    .take(limit)
    .getManyAndCount();
  return { items: rows.map(toProjectView), total, limit, offset };
};
