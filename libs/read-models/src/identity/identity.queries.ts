import type { ReadModelDatabase } from '../database';
import { ReadModelError } from '../errors';
import {
  IdentityMappingRowEntity,
  ServicePrincipalRowEntity,
  type IdentityMappingRow,
  type ServicePrincipalRow,
} from './identity-rows.entity';

export type ServicePrincipalView = Readonly<{
  id: string;
  ownerId: string;
  clientId: string;
  issuer: string | null;
  displayName: string;
  description: string | null;
  labels: Readonly<Record<string, string>>;
  state: 'active' | 'disabled';
  createdAt: string;
  updatedAt: string;
  disabledAt: string | null;
}>;

export type IdentityMappingView = Readonly<{
  id: string;
  ownerId: string;
  subject: Readonly<Record<string, string>>;
  projectId: string;
  role: 'member' | 'viewer';
  description: string | null;
  state: 'active' | 'disabled';
  createdAt: string;
  updatedAt: string;
  disabledAt: string | null;
}>;

export type IdentityPage<T> = Readonly<{ items: readonly T[]; total: number; limit: number; offset: number }>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const iso = (d: Date | null): string | null => (d === null ? null : d.toISOString());

const toServicePrincipal = (r: ServicePrincipalRow): ServicePrincipalView => ({
  id: r.id,
  ownerId: r.ownerId,
  clientId: r.clientId,
  issuer: r.issuer,
  displayName: r.displayName,
  description: r.description,
  labels: r.labels,
  state: r.state,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
  disabledAt: iso(r.disabledAt),
});

const toIdentityMapping = (r: IdentityMappingRow): IdentityMappingView => ({
  id: r.id,
  ownerId: r.ownerId,
  subject: r.subject,
  projectId: r.projectId,
  role: r.role,
  description: r.description,
  state: r.state,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
  disabledAt: iso(r.disabledAt),
});

type ListQuery = Readonly<{
  ownerId: string;
  state?: 'active' | 'disabled';
  limit?: number;
  offset?: number;
}>;

const paging = (q: ListQuery): { limit: number; offset: number } => {
  const limit = q.limit ?? 50;
  const offset = q.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > 200)
    throw new ReadModelError('invalid_query', 'limit must be an integer from 1 to 200', {
      details: { fields: ['limit'] },
    });
  if (!Number.isInteger(offset) || offset < 0)
    throw new ReadModelError('invalid_query', 'offset must be a non-negative integer', {
      details: { fields: ['offset'] },
    });
  return { limit, offset };
};

export const getServicePrincipal = async (
  db: ReadModelDatabase,
  q: Readonly<{ id: string; ownerId: string }>,
): Promise<ServicePrincipalView | null> => {
  if (!UUID.test(q.id)) return null;
  const row = await db.dataSource
    .getRepository(ServicePrincipalRowEntity)
    .findOne({ where: { id: q.id, ownerId: q.ownerId } });
  return row === null ? null : toServicePrincipal(row);
};

/** The owner's registration of an OAuth client id (active or disabled), if any. */
export const findServicePrincipalByClientId = async (
  db: ReadModelDatabase,
  q: Readonly<{ clientId: string; ownerId: string }>,
): Promise<ServicePrincipalView | null> => {
  const row = await db.dataSource
    .getRepository(ServicePrincipalRowEntity)
    .findOne({ where: { clientId: q.clientId, ownerId: q.ownerId }, order: { createdAt: 'ASC' } });
  return row === null ? null : toServicePrincipal(row);
};

export const listServicePrincipals = async (
  db: ReadModelDatabase,
  q: ListQuery & { clientId?: string },
): Promise<IdentityPage<ServicePrincipalView>> => {
  const { limit, offset } = paging(q);
  const qb = db.dataSource
    .getRepository(ServicePrincipalRowEntity)
    .createQueryBuilder('s')
    .where('s.owner_id = :owner', { owner: q.ownerId });
  if (q.state !== undefined) qb.andWhere('s.state = :state', { state: q.state });
  if (q.clientId !== undefined) qb.andWhere('s.client_id = :clientId', { clientId: q.clientId });
  const [rows, total] = await qb
    .orderBy('s.created_at', 'DESC')
    .addOrderBy('s.id', 'ASC')
    .skip(offset)
    .take(limit)
    .getManyAndCount();
  return { items: rows.map(toServicePrincipal), total, limit, offset };
};

export const getIdentityMapping = async (
  db: ReadModelDatabase,
  q: Readonly<{ id: string; ownerId: string }>,
): Promise<IdentityMappingView | null> => {
  if (!UUID.test(q.id)) return null;
  const row = await db.dataSource
    .getRepository(IdentityMappingRowEntity)
    .findOne({ where: { id: q.id, ownerId: q.ownerId } });
  return row === null ? null : toIdentityMapping(row);
};

export const listIdentityMappings = async (
  db: ReadModelDatabase,
  q: ListQuery & { projectId?: string; subjectKind?: string },
): Promise<IdentityPage<IdentityMappingView>> => {
  const { limit, offset } = paging(q);
  const qb = db.dataSource
    .getRepository(IdentityMappingRowEntity)
    .createQueryBuilder('m')
    .where('m.owner_id = :owner', { owner: q.ownerId });
  if (q.state !== undefined) qb.andWhere('m.state = :state', { state: q.state });
  if (q.projectId !== undefined) qb.andWhere('m.project_id = :projectId', { projectId: q.projectId });
  if (q.subjectKind !== undefined) qb.andWhere('m.subject_kind = :kind', { kind: q.subjectKind });
  const [rows, total] = await qb
    .orderBy('m.created_at', 'DESC')
    .addOrderBy('m.id', 'ASC')
    .skip(offset)
    .take(limit)
    .getManyAndCount();
  return { items: rows.map(toIdentityMapping), total, limit, offset };
};

/** Every active mapping of an owner (access review evaluates them against principals). */
export const activeIdentityMappings = async (
  db: ReadModelDatabase,
  ownerId: string,
): Promise<IdentityMappingView[]> => {
  const rows = await db.dataSource
    .getRepository(IdentityMappingRowEntity)
    .find({ where: { ownerId, state: 'active' }, order: { createdAt: 'ASC' }, take: 10_000 });
  return rows.map(toIdentityMapping);
};
