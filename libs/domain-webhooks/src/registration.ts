import type { AggregateRegistration } from '@bpane/ddd';
import { webhookSubscriptionDecider } from './decide';
import { WEBHOOK_SUBSCRIPTION_STREAM_PREFIX, webhookSubscriptionUpcasters } from './events';

export const webhookSubscriptionAggregate: AggregateRegistration = {
  name: 'webhookSubscription',
  streamPrefix: WEBHOOK_SUBSCRIPTION_STREAM_PREFIX,
  decider: webhookSubscriptionDecider,
  upcasters: webhookSubscriptionUpcasters,
};
