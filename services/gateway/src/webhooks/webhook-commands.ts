import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand, type HandleCommandResult } from '@bpane/ddd';
import {
  webhookSubscriptionDecider,
  webhookSubscriptionStreamId,
  webhookSubscriptionUpcasters,
  type WebhookSubscriptionCommand,
  type WebhookSubscriptionEvent,
  type WebhookSubscriptionState,
} from '@bpane/domain-webhooks';
import { BpaneError } from '@bpane/errors';
import type { EventStore } from '@bpane/event-store';
import { ReadYourWrites } from '../infra/read-your-writes';
import { EVENT_STORE } from '../infra/tokens';

/** Runs one webhook subscription command and waits until the read models include it. */
export class RunWebhookSubscriptionCommand {
  constructor(readonly command: WebhookSubscriptionCommand) {}
}

export type WebhookSubscriptionCommandResult = HandleCommandResult<
  WebhookSubscriptionEvent,
  WebhookSubscriptionState
>;

@CommandHandler(RunWebhookSubscriptionCommand)
export class RunWebhookSubscriptionCommandHandler implements ICommandHandler<
  RunWebhookSubscriptionCommand,
  WebhookSubscriptionCommandResult
> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ReadYourWrites) private readonly ryw: ReadYourWrites,
  ) {}

  async execute({ command }: RunWebhookSubscriptionCommand): Promise<WebhookSubscriptionCommandResult> {
    let result: WebhookSubscriptionCommandResult;
    try {
      result = await handleCommand(this.store, {
        streamId: webhookSubscriptionStreamId(command.data.subscriptionId),
        decider: webhookSubscriptionDecider,
        command,
        upcasters: webhookSubscriptionUpcasters,
      });
    } catch (error) {
      if (
        command.type === 'CreateWebhookSubscription' &&
        command.metadata.idempotencyKey !== undefined &&
        error instanceof BpaneError &&
        error.code === 'conflict'
      ) {
        throw new BpaneError(
          'idempotency_conflict',
          'this idempotency key was already used for a different request; use a new key',
        );
      }
      throw error;
    }
    if (result.position !== null) await this.ryw.waitFor(result.position);
    return result;
  }
}
