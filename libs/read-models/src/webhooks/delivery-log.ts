import type { ReadModelDatabase } from '../database';
import { ReadModelError } from '../errors';

/**
 * The webhook delivery log (`read_models.webhook_deliveries`). It is operational state written by
 * the dispatcher, not a projection: recording every attempt as an event would publish events about
 * deliveries, which subscriptions could match in turn. One row per (subscription, event); `id` is
 * the `webhook-id` receivers de-duplicate by.
 */
export const WEBHOOK_DELIVERIES_TABLE = 'webhook_deliveries';

export type DeliveryState = 'pending' | 'delivered' | 'failed' | 'cancelled';

export type DeliveryAttempt = Readonly<{
  attempt: number;
  startedAt: string;
  durationMs: number;
  /** HTTP status of the receiver's answer; null when no answer (refused, timeout, DNS). */
  statusCode: number | null;
  error: string | null;
}>;

export type DeliveryRecord = Readonly<{
  id: string;
  subscriptionId: string;
  ownerId: string;
  eventId: string;
  eventType: string;
  position: bigint;
  body: string;
  state: DeliveryState;
  attempts: readonly DeliveryAttempt[];
  nextAttemptAt: string | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}>;

export const ensureWebhookDeliveryLog = async (db: ReadModelDatabase): Promise<void> => {
  const t = db.qualified(WEBHOOK_DELIVERIES_TABLE);
  await db.dataSource.transaction(async (m) => {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`bpane-webhook-deliveries:${db.schema}`]);
    await m.query(
      `CREATE TABLE IF NOT EXISTS ${t} (
         id uuid PRIMARY KEY,
         subscription_id uuid NOT NULL,
         owner_id text NOT NULL,
         event_id uuid NOT NULL,
         event_type text NOT NULL,
         position bigint NOT NULL,
         body text NOT NULL,
         state text NOT NULL CHECK (state IN ('pending', 'delivered', 'failed', 'cancelled')),
         attempts jsonb NOT NULL DEFAULT '[]'::jsonb,
         next_attempt_at timestamptz,
         created_at timestamptz NOT NULL DEFAULT now(),
         updated_at timestamptz NOT NULL DEFAULT now(),
         finished_at timestamptz
       )`,
    );
    await m.query(
      `CREATE INDEX IF NOT EXISTS "webhook_deliveries_subscription_idx" ON ${t} (subscription_id, position DESC)`,
    );
  });
};

type Row = {
  id: string;
  subscription_id: string;
  owner_id: string;
  event_id: string;
  event_type: string;
  position: string;
  body: string;
  state: DeliveryState;
  attempts: DeliveryAttempt[];
  next_attempt_at: Date | null;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
};

const toRecord = (r: Row): DeliveryRecord => ({
  id: r.id,
  subscriptionId: r.subscription_id,
  ownerId: r.owner_id,
  eventId: r.event_id,
  eventType: r.event_type,
  position: BigInt(r.position),
  body: r.body,
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  finishedAt: r.finished_at?.toISOString() ?? null,
});

export type NewDelivery = Readonly<{
  id: string;
  subscriptionId: string;
  ownerId: string;
  eventId: string;
  eventType: string;
  position: bigint;
  body: string;
}>;

/** Records a delivery once; returns the stored row (the existing one when it was already there). */
export const upsertDelivery = async (db: ReadModelDatabase, d: NewDelivery): Promise<DeliveryRecord> => {
  const t = db.qualified(WEBHOOK_DELIVERIES_TABLE);
  await db.dataSource.query(
    `INSERT INTO ${t} (id, subscription_id, owner_id, event_id, event_type, position, body, state, next_attempt_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', now())
     ON CONFLICT (id) DO NOTHING`,
    [d.id, d.subscriptionId, d.ownerId, d.eventId, d.eventType, d.position.toString(), d.body],
  );
  const found = await getDelivery(db, d.id);
  if (found === null) throw new ReadModelError('invalid_query', `delivery ${d.id} vanished after insert`);
  return found;
};

export const getDelivery = async (db: ReadModelDatabase, id: string): Promise<DeliveryRecord | null> => {
  const rows: Row[] = await db.dataSource.query(
    `SELECT * FROM ${db.qualified(WEBHOOK_DELIVERIES_TABLE)} WHERE id = $1`,
    [id],
  );
  const row = rows[0];
  return row === undefined ? null : toRecord(row);
};

export type AttemptOutcome = Readonly<{
  attempt: DeliveryAttempt;
  /** The state after this attempt. */
  state: DeliveryState;
  nextAttemptAt: Date | null;
}>;

/**
 * Appends one attempt (once per attempt number, so a job that runs twice after a crash does not
 * log twice) and moves the state. A finished delivery is never reopened.
 */
export const recordDeliveryAttempt = async (
  db: ReadModelDatabase,
  id: string,
  o: AttemptOutcome,
): Promise<void> => {
  await db.dataSource.query(
    `UPDATE ${db.qualified(WEBHOOK_DELIVERIES_TABLE)}
        SET attempts = CASE WHEN attempts @> jsonb_build_array(jsonb_build_object('attempt', $2::int))
                            THEN attempts ELSE attempts || jsonb_build_array($3::jsonb) END,
            state = $4, next_attempt_at = $5, updated_at = now(),
            finished_at = CASE WHEN $4 = 'pending' THEN NULL ELSE now() END
      WHERE id = $1 AND state = 'pending'`,
    [id, o.attempt.attempt, JSON.stringify(o.attempt), o.state, o.nextAttemptAt],
  );
};

/** Ends a pending delivery without an attempt (its subscription was deleted or disabled). */
export const cancelDelivery = async (db: ReadModelDatabase, id: string): Promise<void> => {
  await db.dataSource.query(
    `UPDATE ${db.qualified(WEBHOOK_DELIVERIES_TABLE)}
        SET state = 'cancelled', next_attempt_at = NULL, updated_at = now(), finished_at = now()
      WHERE id = $1 AND state = 'pending'`,
    [id],
  );
};

/** The delivery log of one subscription, newest event first. */
export const listDeliveries = async (
  db: ReadModelDatabase,
  q: Readonly<{ subscriptionId: string; ownerId: string; limit: number; offset: number }>,
): Promise<{ items: DeliveryRecord[]; total: number }> => {
  const t = db.qualified(WEBHOOK_DELIVERIES_TABLE);
  const rows: Row[] = await db.dataSource.query(
    `SELECT * FROM ${t} WHERE subscription_id = $1 AND owner_id = $2
      ORDER BY position DESC, id LIMIT $3 OFFSET $4`,
    [q.subscriptionId, q.ownerId, q.limit, q.offset],
  );
  const count: { n: string }[] = await db.dataSource.query(
    `SELECT count(*) AS n FROM ${t} WHERE subscription_id = $1 AND owner_id = $2`,
    [q.subscriptionId, q.ownerId],
  );
  return { items: rows.map(toRecord), total: Number(count[0]?.n ?? 0) };
};
