import {
  isWebhookSubscriptionEvent,
  WEBHOOK_SUBSCRIPTION_STREAM_PREFIX,
  webhookSubscriptionUpcasters,
  type WebhookSubscriptionEvent,
} from '@bpane/domain-webhooks';
import type { RecordedEvent } from '@bpane/event-store';
import { assertNever } from '@bpane/errors';
import type { EntityManager } from 'typeorm';
import type { Projection, ProjectionTable } from '../projection';
import { WEBHOOK_SUBSCRIPTIONS_TABLE } from './webhook-subscription-row.entity';

const table: ProjectionTable = {
  name: WEBHOOK_SUBSCRIPTIONS_TABLE,
  ddl: (t, prefix) => [
    `CREATE TABLE ${t} (
       id uuid PRIMARY KEY,
       owner_id text NOT NULL,
       url text NOT NULL,
       event_types jsonb NOT NULL,
       description text,
       state text NOT NULL CHECK (state IN ('active', 'disabled', 'deleted')),
       disabled_reason text,
       secret_ciphertext text NOT NULL,
       created_at timestamptz NOT NULL,
       updated_at timestamptz NOT NULL,
       created_position bigint NOT NULL,
       position bigint NOT NULL
     )`,
    `CREATE INDEX "${prefix}_owner_state_idx" ON ${t} (owner_id, state, created_at DESC, id)`,
  ],
};

/**
 * `read_models.webhook_subscriptions`: one row per subscription. A deleted subscription keeps its
 * row (state `deleted`) so a replayed create can never bring it back; queries hide it.
 */
export const webhookSubscriptionsProjection: Projection = {
  name: 'webhook_subscriptions',
  version: 1,
  tables: [table],
  canHandle: (event) =>
    event.streamId.startsWith(WEBHOOK_SUBSCRIPTION_STREAM_PREFIX) &&
    isWebhookSubscriptionEvent(webhookSubscriptionUpcasters.upcast(event)),
  apply: async (recorded: RecordedEvent, m: EntityManager, target) => {
    const t = target.table(WEBHOOK_SUBSCRIPTIONS_TABLE);
    const pos = recorded.position.toString();
    const event = webhookSubscriptionUpcasters.upcast<WebhookSubscriptionEvent>(recorded);
    switch (event.type) {
      case 'WebhookSubscriptionCreated': {
        const d = event.data;
        await m.query(
          `INSERT INTO ${t} (id, owner_id, url, event_types, description, state, disabled_reason,
                             secret_ciphertext, created_at, updated_at, created_position, position)
           VALUES ($1, $2, $3, $4::jsonb, $5, 'active', NULL, $6, $7, $7, $8, $8)
           ON CONFLICT (id) DO NOTHING`,
          [
            d.subscriptionId,
            d.ownerId,
            d.url,
            JSON.stringify(d.eventTypes),
            d.description,
            d.secretCiphertext,
            d.createdAt,
            pos,
          ],
        );
        return;
      }
      case 'WebhookSubscriptionDisabled':
        await m.query(
          `UPDATE ${t} SET state = 'disabled', disabled_reason = $2, updated_at = $3, position = $4
            WHERE id = $1 AND position < $4 AND state = 'active'`,
          [event.data.subscriptionId, event.data.reason, event.data.disabledAt, pos],
        );
        return;
      case 'WebhookSubscriptionDeleted':
        await m.query(
          `UPDATE ${t} SET state = 'deleted', updated_at = $2, position = $3 WHERE id = $1 AND position < $3`,
          [event.data.subscriptionId, event.data.deletedAt, pos],
        );
        return;
      default:
        assertNever(event, 'webhook subscription event');
    }
  },
};
