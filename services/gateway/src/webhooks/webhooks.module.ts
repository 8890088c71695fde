import { Module } from '@nestjs/common';
import { RunWebhookSubscriptionCommandHandler } from './webhook-commands';
import { WebhooksController } from './webhooks.controller';
import { WebhooksService } from './webhooks.service';
import { SecretKeyProvider } from './secret-key.provider';

@Module({
  controllers: [WebhooksController],
  providers: [WebhooksService, RunWebhookSubscriptionCommandHandler, SecretKeyProvider],
  exports: [WebhooksService],
})
export class WebhooksModule {}
