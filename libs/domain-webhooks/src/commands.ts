import type { Command } from '@bpane/ddd';

export type CreateWebhookSubscription = Command<
  'CreateWebhookSubscription',
  Readonly<{
    subscriptionId: string;
    url: string;
    eventTypes: readonly string[];
    description?: string | null;
    /** Sealed by the caller before the command is built; the decider never sees the plaintext. */
    secretCiphertext: string;
  }>
>;

export type DisableWebhookSubscription = Command<
  'DisableWebhookSubscription',
  Readonly<{ subscriptionId: string; reason: string }>
>;

export type DeleteWebhookSubscription = Command<
  'DeleteWebhookSubscription',
  Readonly<{ subscriptionId: string }>
>;

export type WebhookSubscriptionCommand =
  CreateWebhookSubscription | DisableWebhookSubscription | DeleteWebhookSubscription;
