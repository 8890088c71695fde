import { randomBytes, randomUUID } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { NotFoundError, ValidationFailedError, type FieldViolation } from '@bpane/ddd';
import { assertTargetAllowed, validateTargetUrl, webhookSecretFromBytes } from '@bpane/domain-webhooks';
import {
  ensureWebhookDeliveryLog,
  getWebhookSubscription,
  listDeliveries,
  listWebhookSubscriptions,
  type ReadModelDatabase,
} from '@bpane/read-models';
import { commandMetadata, type RequestContext } from '../auth/current-principal';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { resolveIdempotency } from '../http/idempotency';
import { READ_MODELS } from '../infra/tokens';
import { SecretKeyProvider } from './secret-key.provider';
import { RunWebhookSubscriptionCommand, type WebhookSubscriptionCommandResult } from './webhook-commands';
import {
  deliveryToDto,
  subscriptionToDto,
  type CreatedWebhookSubscriptionDto,
  type WebhookDeliveryDto,
  type WebhookSubscriptionCreateBody,
  type WebhookSubscriptionDto,
} from './webhook.dto';

type Page<T> = { items: T[]; total: number; limit: number; offset: number };

const lookupAll = async (host: string): Promise<string[]> =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Webhook subscriptions: writes through the decider pipeline, reads from the read model. */
@Injectable()
export class WebhooksService implements OnModuleInit {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(READ_MODELS) private readonly db: ReadModelDatabase,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
    @Inject(SecretKeyProvider) private readonly keys: SecretKeyProvider,
  ) {}

  async onModuleInit(): Promise<void> {
    await ensureWebhookDeliveryLog(this.db);
  }

  private run(command: RunWebhookSubscriptionCommand['command']): Promise<WebhookSubscriptionCommandResult> {
    return this.commands.execute<RunWebhookSubscriptionCommand, WebhookSubscriptionCommandResult>(
      new RunWebhookSubscriptionCommand(command),
    );
  }

  async create(
    ctx: RequestContext,
    body: WebhookSubscriptionCreateBody,
    headerKey: string | undefined,
  ): Promise<{ subscription: CreatedWebhookSubscriptionDto; replayed: boolean }> {
    const idem = resolveIdempotency({
      resourceType: 'webhook_subscription',
      ownerId: ctx.ownerId,
      headerKey,
      bodyKey: body.client_request_id,
      body,
    });
    // Shape first (scheme, credentials), then where the host resolves to.
    const shape: FieldViolation[] = [];
    validateTargetUrl(body.url, shape);
    if (shape.length > 0) throw new ValidationFailedError(shape);
    await assertTargetAllowed(body.url, { allowPrivate: this.config.webhookAllowPrivateTargets }, lookupAll);
    const subscriptionId = idem?.resourceId ?? randomUUID();
    const key = this.keys.get();
    const secret = webhookSecretFromBytes(randomBytes(32));
    const result = await this.run({
      type: 'CreateWebhookSubscription',
      data: {
        subscriptionId,
        url: body.url,
        eventTypes: body.event_types,
        ...(body.description !== undefined ? { description: body.description } : {}),
        secretCiphertext: key.encrypt(secret, subscriptionId),
      },
      metadata: commandMetadata(ctx, idem?.commandKey),
    });
    const s = result.state;
    if (s.status === 'absent') throw new Error('a successful create left no subscription');
    if (s.status === 'deleted') throw new NotFoundError('webhook_subscription', subscriptionId);
    // An idempotent replay answers what the first response said, secret included (it is the
    // response the caller lost); the stored secret is the one in force.
    const shown = result.idempotentReplay ? key.decrypt(s.secretCiphertext, subscriptionId) : secret;
    return {
      subscription: {
        id: s.subscriptionId,
        url: s.url,
        event_types: [...s.eventTypes],
        description: s.description,
        state: s.status,
        disabled_reason: s.status === 'disabled' ? s.disabledReason : null,
        created_at: s.createdAt,
        updated_at: s.updatedAt,
        signing_secret: shown,
      },
      replayed: result.idempotentReplay,
    };
  }

  async list(
    ctx: RequestContext,
    q: { limit?: number; offset?: number },
  ): Promise<Page<WebhookSubscriptionDto>> {
    const page = await listWebhookSubscriptions(this.db, {
      ownerId: ctx.ownerId,
      ...(q.limit !== undefined ? { limit: q.limit } : {}),
      ...(q.offset !== undefined ? { offset: q.offset } : {}),
    });
    return { ...page, items: page.items.map(subscriptionToDto) };
  }

  async get(ctx: RequestContext, id: string): Promise<WebhookSubscriptionDto> {
    const view = await getWebhookSubscription(this.db, { id, ownerId: ctx.ownerId });
    if (view === null) throw new NotFoundError('webhook_subscription', id);
    return subscriptionToDto(view);
  }

  async remove(ctx: RequestContext, id: string): Promise<void> {
    await this.run({
      type: 'DeleteWebhookSubscription',
      data: { subscriptionId: id },
      metadata: commandMetadata(ctx),
    });
  }

  async deliveries(
    ctx: RequestContext,
    id: string,
    q: { limit?: number; offset?: number },
  ): Promise<Page<WebhookDeliveryDto>> {
    await this.get(ctx, id);
    const limit = q.limit ?? 50;
    const offset = q.offset ?? 0;
    const page = await listDeliveries(this.db, { subscriptionId: id, ownerId: ctx.ownerId, limit, offset });
    return { items: page.items.map(deliveryToDto), total: page.total, limit, offset };
  }
}
