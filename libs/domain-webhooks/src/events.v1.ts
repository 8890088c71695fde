/**
 * Version 1 of the webhook subscription events, FROZEN: stored in the event log, never edited.
 * A breaking change gets a new type name plus an upcaster.
 */
import type { DomainEvent } from '@bpane/ddd';

export type WebhookSubscriptionCreatedV1 = DomainEvent<
  'WebhookSubscriptionCreated',
  Readonly<{
    subscriptionId: string;
    ownerId: string;
    url: string;
    /** Subject patterns (`bpane.projects.*`, `bpane.sessions.SessionStopped`, `bpane.>`). */
    eventTypes: readonly string[];
    description: string | null;
    /** The signing secret sealed with the deployment's data key (`@bpane/secrets`); never plaintext. */
    secretCiphertext: string;
    createdAt: string;
  }>
>;

/** The dispatcher stopped delivering (the receiver answered 410 Gone, or an operator disabled it). */
export type WebhookSubscriptionDisabledV1 = DomainEvent<
  'WebhookSubscriptionDisabled',
  Readonly<{ subscriptionId: string; reason: string; disabledAt: string }>
>;

export type WebhookSubscriptionDeletedV1 = DomainEvent<
  'WebhookSubscriptionDeleted',
  Readonly<{ subscriptionId: string; deletedAt: string }>
>;

export type WebhookSubscriptionEventV1 =
  WebhookSubscriptionCreatedV1 | WebhookSubscriptionDisabledV1 | WebhookSubscriptionDeletedV1;

export const webhookSubscriptionEventTypesV1 = [
  'WebhookSubscriptionCreated',
  'WebhookSubscriptionDisabled',
  'WebhookSubscriptionDeleted',
] as const satisfies readonly WebhookSubscriptionEventV1['type'][];
