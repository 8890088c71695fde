import { createUpcasterRegistry } from '@bpane/ddd';
import type {
  WebhookSubscriptionCreatedV1,
  WebhookSubscriptionDeletedV1,
  WebhookSubscriptionDisabledV1,
  WebhookSubscriptionEventV1,
} from './events.v1';
import { webhookSubscriptionEventTypesV1 } from './events.v1';

export type WebhookSubscriptionCreated = WebhookSubscriptionCreatedV1;
export type WebhookSubscriptionDisabled = WebhookSubscriptionDisabledV1;
export type WebhookSubscriptionDeleted = WebhookSubscriptionDeletedV1;
export type WebhookSubscriptionEvent = WebhookSubscriptionEventV1;

export const webhookSubscriptionEventTypes: readonly WebhookSubscriptionEvent['type'][] =
  webhookSubscriptionEventTypesV1;

export const isWebhookSubscriptionEvent = (event: { type: string }): event is WebhookSubscriptionEvent =>
  (webhookSubscriptionEventTypes as readonly string[]).includes(event.type);

export const webhookSubscriptionUpcasters = createUpcasterRegistry([]);

export const WEBHOOK_SUBSCRIPTION_STREAM_PREFIX = 'webhookSubscription-';

export const webhookSubscriptionStreamId = (subscriptionId: string): string =>
  `${WEBHOOK_SUBSCRIPTION_STREAM_PREFIX}${subscriptionId}`;

/**
 * Event data fields that must never leave the control plane (webhook bodies, the admin events
 * feed): the sealed signing secret.
 */
export const REDACTED_EVENT_FIELDS: readonly string[] = ['secretCiphertext'];

/** A copy of event data without the fields in `REDACTED_EVENT_FIELDS`. */
export const redactEventData = <T extends Readonly<Record<string, unknown>>>(data: T): T => {
  if (!REDACTED_EVENT_FIELDS.some((f) => Object.hasOwn(data, f))) return data;
  const copy: Record<string, unknown> = { ...data };
  for (const f of REDACTED_EVENT_FIELDS) delete copy[f];
  return copy as T;
};
