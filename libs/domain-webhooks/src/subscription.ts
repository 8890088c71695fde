import { assertNever } from '@bpane/errors';
import type { WebhookSubscriptionEvent } from './events';

type Fields = Readonly<{
  subscriptionId: string;
  ownerId: string;
  url: string;
  eventTypes: readonly string[];
  description: string | null;
  secretCiphertext: string;
  createdAt: string;
  updatedAt: string;
}>;

/** Write-side state: absent → active → disabled; active | disabled → deleted (terminal). */
export type WebhookSubscriptionState =
  | Readonly<{ status: 'absent' }>
  | (Fields & Readonly<{ status: 'active' }>)
  | (Fields & Readonly<{ status: 'disabled'; disabledReason: string }>)
  | (Fields & Readonly<{ status: 'deleted' }>);

export const initialWebhookSubscriptionState = (): WebhookSubscriptionState => ({ status: 'absent' });

export const evolveWebhookSubscription = (
  state: WebhookSubscriptionState,
  event: WebhookSubscriptionEvent,
): WebhookSubscriptionState => {
  switch (event.type) {
    case 'WebhookSubscriptionCreated': {
      const d = event.data;
      return {
        status: 'active',
        subscriptionId: d.subscriptionId,
        ownerId: d.ownerId,
        url: d.url,
        eventTypes: d.eventTypes,
        description: d.description,
        secretCiphertext: d.secretCiphertext,
        createdAt: d.createdAt,
        updatedAt: d.createdAt,
      };
    }
    case 'WebhookSubscriptionDisabled':
      if (state.status !== 'active') return state;
      return {
        ...state,
        status: 'disabled',
        disabledReason: event.data.reason,
        updatedAt: event.data.disabledAt,
      };
    case 'WebhookSubscriptionDeleted':
      if (state.status === 'absent' || state.status === 'deleted') return state;
      return { ...state, status: 'deleted', updatedAt: event.data.deletedAt };
    default:
      return assertNever(event, 'webhook subscription event');
  }
};
