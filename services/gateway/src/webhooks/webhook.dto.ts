import type { DeliveryRecord, WebhookSubscriptionView } from '@bpane/read-models';

/** The API shape of a subscription (`openapi/src/70-webhooks.yaml`); never carries the secret. */
export type WebhookSubscriptionDto = {
  id: string;
  url: string;
  event_types: string[];
  description: string | null;
  state: 'active' | 'disabled';
  disabled_reason: string | null;
  created_at: string;
  updated_at: string;
};

/** The create response: the one time the signing secret is shown. */
export type CreatedWebhookSubscriptionDto = WebhookSubscriptionDto & { signing_secret: string };

export type WebhookSubscriptionCreateBody = {
  url: string;
  event_types: string[];
  description?: string | null;
  client_request_id?: string;
};

export type WebhookDeliveryDto = {
  id: string;
  event_id: string;
  event_type: string;
  position: string;
  state: DeliveryRecord['state'];
  attempt_count: number;
  last_status_code: number | null;
  next_attempt_at: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
  attempts: {
    attempt: number;
    started_at: string;
    duration_ms: number;
    status_code: number | null;
    error: string | null;
  }[];
};

export const subscriptionToDto = (v: WebhookSubscriptionView): WebhookSubscriptionDto => ({
  id: v.id,
  url: v.url,
  event_types: [...v.eventTypes],
  description: v.description,
  state: v.state,
  disabled_reason: v.disabledReason,
  created_at: v.createdAt,
  updated_at: v.updatedAt,
});

export const deliveryToDto = (d: DeliveryRecord): WebhookDeliveryDto => ({
  id: d.id,
  event_id: d.eventId,
  event_type: d.eventType,
  position: d.position.toString(),
  state: d.state,
  attempt_count: d.attempts.length,
  last_status_code: d.attempts.at(-1)?.statusCode ?? null,
  next_attempt_at: d.nextAttemptAt,
  created_at: d.createdAt,
  updated_at: d.updatedAt,
  finished_at: d.finishedAt,
  attempts: d.attempts.map((a) => ({
    attempt: a.attempt,
    started_at: a.startedAt,
    duration_ms: a.durationMs,
    status_code: a.statusCode,
    error: a.error,
  })),
});
