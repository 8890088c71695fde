import type { ReadModelDatabase } from '../database';
import { ReadModelError } from '../errors';
import {
  SessionTemplateRowEntity,
  type ActiveSessionTemplate,
  type SessionTemplateRow,
} from './session-template-row.entity';

export type SessionTemplateView = Readonly<{ template: ActiveSessionTemplate; position: bigint }>;

export type ListSessionTemplatesQuery = Readonly<{
  ownerId: string;
  labels?: Readonly<Record<string, string>>;
  limit?: number;
  offset?: number;
}>;

export type SessionTemplatePage = Readonly<{
  items: readonly SessionTemplateView[];
  total: number;
  limit: number;
  offset: number;
}>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const toView = (row: SessionTemplateRow): SessionTemplateView => ({
  template: row.doc,
  position: BigInt(row.position),
});

const invalid = (field: string, message: string): ReadModelError =>
  new ReadModelError('invalid_query', `${field} ${message}`, { details: { fields: [field] } });

export const checkPage = (limit: number, offset: number): void => {
  if (!Number.isInteger(limit) || limit < 1 || limit > 200)
    throw invalid('limit', 'must be an integer from 1 to 200');
  if (!Number.isInteger(offset) || offset < 0) throw invalid('offset', 'must be a non-negative integer');
};

/** One template, only if `ownerId` owns it. */
export const getSessionTemplate = async (
  db: ReadModelDatabase,
  q: Readonly<{ id: string; ownerId: string }>,
): Promise<SessionTemplateView | null> => {
  if (!UUID.test(q.id)) return null;
  const row = await db.dataSource
    .getRepository(SessionTemplateRowEntity)
    .findOne({ where: { id: q.id, ownerId: q.ownerId } });
  return row === null ? null : toView(row);
};

export const listSessionTemplates = async (
  db: ReadModelDatabase,
  q: ListSessionTemplatesQuery,
): Promise<SessionTemplatePage> => {
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  checkPage(limit, offset);
  if (q.ownerId.length === 0) throw invalid('ownerId', 'must not be empty');
  const qb = db.dataSource
    .getRepository(SessionTemplateRowEntity)
    .createQueryBuilder('t')
    .where('t.owner_id = :ownerId', { ownerId: q.ownerId });
  if (q.labels !== undefined && Object.keys(q.labels).length > 0)
    qb.andWhere('t.labels @> CAST(:labels AS jsonb)', { labels: JSON.stringify(q.labels) });
  const [rows, total] = await qb
    .orderBy('t.created_at', 'DESC')
    .addOrderBy('t.id', 'ASC')
    .skip(offset)
    .take(limit)
    .getManyAndCount();
  return { items: rows.map(toView), total, limit, offset };
};
