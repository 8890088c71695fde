import type { ReadModelDatabase } from '../database';
import { ReadModelError } from '../errors';
import { WebhookSubscriptionRowEntity, type WebhookSubscriptionRow } from './webhook-subscription-row.entity';

/** A subscription as the API shows it: no secret, sealed or not. */
export type WebhookSubscriptionView = Readonly<{
  id: string;
  ownerId: string;
  url: string;
  eventTypes: readonly string[];
  description: string | null;
  state: 'active' | 'disabled';
  disabledReason: string | null;
  createdAt: string;
  updatedAt: string;
  position: bigint;
}>;

/** What the dispatcher needs to sign and send: includes the sealed secret. */
export type WebhookTarget = Readonly<{
  id: string;
  ownerId: string;
  url: string;
  eventTypes: readonly string[];
  state: 'active' | 'disabled' | 'deleted';
  secretCiphertext: string;
  createdPosition: bigint;
}>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const toView = (r: WebhookSubscriptionRow): WebhookSubscriptionView => ({
  id: r.id,
  ownerId: r.ownerId,
  url: r.url,
  eventTypes: r.eventTypes,
  description: r.description,
  state: r.state === 'disabled' ? 'disabled' : 'active',
  disabledReason: r.disabledReason,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
  position: BigInt(r.position),
});

const toTarget = (r: WebhookSubscriptionRow): WebhookTarget => ({
  id: r.id,
  ownerId: r.ownerId,
  url: r.url,
  eventTypes: r.eventTypes,
  state: r.state,
  secretCiphertext: r.secretCiphertext,
  createdPosition: BigInt(r.createdPosition),
});

export const webhookQueryLimits = { defaultLimit: 50, maxLimit: 200 } as const;

const invalid = (field: string, message: string): ReadModelError =>
  new ReadModelError('invalid_query', `${field} ${message}`, { details: { fields: [field] } });

const page = (limit: number | undefined, offset: number | undefined): { limit: number; offset: number } => {
  const l = limit ?? webhookQueryLimits.defaultLimit;
  const o = offset ?? 0;
  if (!Number.isInteger(l) || l < 1 || l > webhookQueryLimits.maxLimit)
    throw invalid('limit', `must be an integer from 1 to ${webhookQueryLimits.maxLimit}`);
  if (!Number.isInteger(o) || o < 0) throw invalid('offset', 'must be a non-negative integer');
  return { limit: l, offset: o };
};

/** One subscription, only for its owner; deleted ones are gone. */
export const getWebhookSubscription = async (
  db: ReadModelDatabase,
  q: Readonly<{ id: string; ownerId: string }>,
): Promise<WebhookSubscriptionView | null> => {
  if (!UUID.test(q.id)) return null;
  const row = await db.dataSource
    .getRepository(WebhookSubscriptionRowEntity)
    .createQueryBuilder('s')
    .where('s.id = :id AND s.owner_id = :ownerId AND s.state <> :deleted', {
      id: q.id,
      ownerId: q.ownerId,
      deleted: 'deleted',
    })
    .getOne();
  return row === null ? null : toView(row);
};

export const listWebhookSubscriptions = async (
  db: ReadModelDatabase,
  q: Readonly<{ ownerId: string; limit?: number; offset?: number }>,
): Promise<{ items: WebhookSubscriptionView[]; total: number; limit: number; offset: number }> => {
  const { limit, offset } = page(q.limit, q.offset);
  if (q.ownerId.length === 0) throw invalid('ownerId', 'must not be empty');
  const [rows, total] = await db.dataSource
    .getRepository(WebhookSubscriptionRowEntity)
    .createQueryBuilder('s')
    .where('s.owner_id = :ownerId AND s.state <> :deleted', { ownerId: q.ownerId, deleted: 'deleted' })
    .orderBy('s.created_at', 'DESC')
    .addOrderBy('s.id', 'ASC')
    .skip(offset)
    .take(limit)
    .getManyAndCount();
  return { items: rows.map(toView), total, limit, offset };
};

/** Active subscriptions of one owner created before `position` (the event to deliver). */
export const activeWebhookTargets = async (
  db: ReadModelDatabase,
  q: Readonly<{ ownerId: string; before: bigint }>,
): Promise<WebhookTarget[]> => {
  const rows = await db.dataSource
    .getRepository(WebhookSubscriptionRowEntity)
    .createQueryBuilder('s')
    .where('s.owner_id = :ownerId AND s.state = :active AND s.created_position < :before', {
      ownerId: q.ownerId,
      active: 'active',
      before: q.before.toString(),
    })
    .getMany();
  return rows.map(toTarget);
};

/** The subscription a queued delivery belongs to, whatever its state (the dispatcher re-checks). */
export const webhookTargetById = async (db: ReadModelDatabase, id: string): Promise<WebhookTarget | null> => {
  if (!UUID.test(id)) return null;
  const row = await db.dataSource.getRepository(WebhookSubscriptionRowEntity).findOne({ where: { id } });
  return row === null ? null : toTarget(row);
};
