import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Ctx, type RequestContext } from '../auth/current-principal';
import type {
  CreatedWebhookSubscriptionDto,
  WebhookDeliveryDto,
  WebhookSubscriptionCreateBody,
  WebhookSubscriptionDto,
} from './webhook.dto';
import { WebhooksService } from './webhooks.service';

type PageQuery = { limit?: number; offset?: number };
type Page<T> = { items: T[]; total: number; limit: number; offset: number };

@Controller('api/v1/workflow-event-subscriptions')
export class WebhooksController {
  constructor(@Inject(WebhooksService) private readonly webhooks: WebhooksService) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() q: PageQuery): Promise<Page<WebhookSubscriptionDto>> {
    return this.webhooks.list(ctx, q);
  }

  @Post()
  @HttpCode(201)
  async create(
    @Ctx() ctx: RequestContext,
    @Body() body: WebhookSubscriptionCreateBody,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<CreatedWebhookSubscriptionDto> {
    const { subscription, replayed } = await this.webhooks.create(ctx, body, idempotencyKey);
    if (replayed) void reply.status(200);
    void reply.header('cache-control', 'no-store');
    return subscription;
  }

  @Get(':subscription_id')
  get(@Ctx() ctx: RequestContext, @Param('subscription_id') id: string): Promise<WebhookSubscriptionDto> {
    return this.webhooks.get(ctx, id);
  }

  @Delete(':subscription_id')
  @HttpCode(204)
  async remove(@Ctx() ctx: RequestContext, @Param('subscription_id') id: string): Promise<void> {
    await this.webhooks.remove(ctx, id);
  }

  @Get(':subscription_id/deliveries')
  deliveries(
    @Ctx() ctx: RequestContext,
    @Param('subscription_id') id: string,
    @Query() q: PageQuery,
  ): Promise<Page<WebhookDeliveryDto>> {
    return this.webhooks.deliveries(ctx, id, q);
  }
}
