import {
  ConflictError,
  IllegalStateError,
  NotFoundError,
  ValidationFailedError,
  type CommandMetadata,
  type Decider,
  type FieldViolation,
} from '@bpane/ddd';
import { assertNever } from '@bpane/errors';
import type {
  CreateWebhookSubscription,
  DeleteWebhookSubscription,
  DisableWebhookSubscription,
  WebhookSubscriptionCommand,
} from './commands';
import type { WebhookSubscriptionEvent } from './events';
import {
  evolveWebhookSubscription,
  initialWebhookSubscriptionState,
  type WebhookSubscriptionState,
} from './subscription';
import {
  validateDescription,
  validateEventTypes,
  validateSubscriptionId,
  validateTargetUrl,
  webhookLimits,
} from './validation';

type Existing = Exclude<WebhookSubscriptionState, { status: 'absent' }>;

const fail = (v: FieldViolation[]): void => {
  if (v.length > 0) throw new ValidationFailedError(v);
};

const ownerOf = (m: CommandMetadata): string => m.ownerId ?? m.actor.id;

/** Another owner's subscription, and a deleted one, look exactly like a missing one. */
const visible = (state: WebhookSubscriptionState, id: string, m: CommandMetadata): Existing => {
  if (state.status === 'absent' || state.status === 'deleted' || state.subscriptionId !== id)
    throw new NotFoundError('webhook_subscription', id);
  if (m.actor.kind !== 'system' && state.ownerId !== ownerOf(m))
    throw new NotFoundError('webhook_subscription', id);
  return state;
};

const create = (
  c: CreateWebhookSubscription,
  state: WebhookSubscriptionState,
): WebhookSubscriptionEvent[] => {
  const d = c.data;
  const v: FieldViolation[] = [];
  validateSubscriptionId(d.subscriptionId, v);
  validateTargetUrl(d.url, v);
  validateEventTypes(d.eventTypes, v);
  if (d.description !== undefined) validateDescription(d.description, v);
  if (!d.secretCiphertext.startsWith('v1.'))
    v.push({ field: 'secretCiphertext', message: 'must be a sealed secret' });
  fail(v);
  if (state.status !== 'absent')
    throw new ConflictError(`webhook subscription ${d.subscriptionId} already exists`, {
      subscriptionId: d.subscriptionId,
    });
  return [
    {
      type: 'WebhookSubscriptionCreated',
      data: {
        subscriptionId: d.subscriptionId,
        ownerId: ownerOf(c.metadata),
        url: d.url,
        eventTypes: [...new Set(d.eventTypes)],
        description: d.description ?? null,
        secretCiphertext: d.secretCiphertext,
        createdAt: c.metadata.now,
      },
    },
  ];
};

const disable = (
  c: DisableWebhookSubscription,
  state: WebhookSubscriptionState,
): WebhookSubscriptionEvent[] => {
  const v: FieldViolation[] = [];
  validateSubscriptionId(c.data.subscriptionId, v);
  if (c.data.reason.length === 0 || c.data.reason.length > webhookLimits.maxReasonLength)
    v.push({ field: 'reason', message: `must be 1 to ${webhookLimits.maxReasonLength} characters` });
  fail(v);
  const s = visible(state, c.data.subscriptionId, c.metadata);
  // Disabling twice records nothing (a second 410 from a queued retry is normal).
  if (s.status === 'disabled') return [];
  return [
    {
      type: 'WebhookSubscriptionDisabled',
      data: { subscriptionId: s.subscriptionId, reason: c.data.reason, disabledAt: c.metadata.now },
    },
  ];
};

const remove = (
  c: DeleteWebhookSubscription,
  state: WebhookSubscriptionState,
): WebhookSubscriptionEvent[] => {
  const v: FieldViolation[] = [];
  validateSubscriptionId(c.data.subscriptionId, v);
  fail(v);
  const s = visible(state, c.data.subscriptionId, c.metadata);
  if (s.status !== 'active' && s.status !== 'disabled')
    throw new IllegalStateError(`webhook subscription ${s.subscriptionId} cannot be deleted`, {
      status: s.status,
    });
  return [
    {
      type: 'WebhookSubscriptionDeleted',
      data: { subscriptionId: s.subscriptionId, deletedAt: c.metadata.now },
    },
  ];
};

export const decideWebhookSubscription = (
  command: WebhookSubscriptionCommand,
  state: WebhookSubscriptionState,
): WebhookSubscriptionEvent[] => {
  switch (command.type) {
    case 'CreateWebhookSubscription':
      return create(command, state);
    case 'DisableWebhookSubscription':
      return disable(command, state);
    case 'DeleteWebhookSubscription':
      return remove(command, state);
    default:
      return assertNever(command, 'webhook subscription command');
  }
};

export const webhookSubscriptionDecider: Decider<
  WebhookSubscriptionCommand,
  WebhookSubscriptionEvent,
  WebhookSubscriptionState
> = {
  decide: decideWebhookSubscription,
  evolve: evolveWebhookSubscription,
  initialState: initialWebhookSubscriptionState,
  ownerOf: (s) => (s.status === 'absent' ? undefined : s.ownerId),
};
