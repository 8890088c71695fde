import { EntitySchema } from 'typeorm';

/** A row of `read_models.webhook_subscriptions` (bigint columns arrive as strings). */
export type WebhookSubscriptionRow = {
  id: string;
  ownerId: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  state: 'active' | 'disabled' | 'deleted';
  disabledReason: string | null;
  /** Sealed signing secret; only the dispatcher opens it. Never part of an API response. */
  secretCiphertext: string;
  createdAt: Date;
  updatedAt: Date;
  /** Global position of the creating event: only later events are delivered to it. */
  createdPosition: string;
  position: string;
};

export const WEBHOOK_SUBSCRIPTIONS_TABLE = 'webhook_subscriptions';

export const WebhookSubscriptionRowEntity = new EntitySchema<WebhookSubscriptionRow>({
  name: 'WebhookSubscriptionRow',
  tableName: WEBHOOK_SUBSCRIPTIONS_TABLE,
  columns: {
    id: { type: 'uuid', primary: true },
    ownerId: { name: 'owner_id', type: 'text' },
    url: { type: 'text' },
    eventTypes: { name: 'event_types', type: 'jsonb' },
    description: { type: 'text', nullable: true },
    state: { type: 'text' },
    disabledReason: { name: 'disabled_reason', type: 'text', nullable: true },
    secretCiphertext: { name: 'secret_ciphertext', type: 'text' },
    createdAt: { name: 'created_at', type: 'timestamptz' },
    updatedAt: { name: 'updated_at', type: 'timestamptz' },
    createdPosition: { name: 'created_position', type: 'bigint' },
    position: { type: 'bigint' },
  },
});
