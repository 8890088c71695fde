import {
  Body,
  Controller,
  Delete,
  Get,
  Headers,
  HttpCode,
  Inject,
  Injectable,
  Module,
  Param,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import { CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { handleCommand, NotFoundError, type HandleCommandResult } from '@bpane/ddd';
import {
  browserContextDecider,
  browserContextStreamId,
  browserContextUpcasters,
  type BrowserContextCommand,
  type BrowserContextEvent,
  type BrowserContextState,
  type SettingsInput,
} from '@bpane/domain-browser-contexts';
import type { EventStore } from '@bpane/event-store';
import {
  getBrowserContext,
  listBrowserContexts,
  type BrowserContextView,
  type ReadModelDatabase,
} from '@bpane/read-models';
import type { FastifyReply } from 'fastify';
import { commandMetadata, Ctx, type RequestContext } from '../auth/current-principal';
import { idempotencyClash, resolveIdempotency } from '../http/idempotency';
import { ReadYourWrites } from '../infra/read-your-writes';
import { EVENT_STORE, READ_MODELS } from '../infra/tokens';

export class RunBrowserContextCommand {
  constructor(readonly command: BrowserContextCommand) {}
}
type Result = HandleCommandResult<BrowserContextEvent, BrowserContextState>;

@CommandHandler(RunBrowserContextCommand)
export class RunBrowserContextCommandHandler implements ICommandHandler<RunBrowserContextCommand, Result> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ReadYourWrites) private readonly ryw: ReadYourWrites,
  ) {}

  async execute({ command }: RunBrowserContextCommand): Promise<Result> {
    try {
      const r = await handleCommand(this.store, {
        streamId: browserContextStreamId(command.data.contextId),
        decider: browserContextDecider,
        command,
        upcasters: browserContextUpcasters,
      });
      if (r.position !== null) await this.ryw.waitFor(r.position);
      return r;
    } catch (error) {
      throw idempotencyClash(error, command.type === 'CreateBrowserContext', command.metadata.idempotencyKey);
    }
  }
}

type Body = {
  name?: string;
  description?: string | null;
  labels?: Record<string, string>;
  retention_sec?: number | null;
  max_profile_storage_bytes?: number | null;
  client_request_id?: string;
};

const input = (b: Body): SettingsInput => ({
  ...(b.name !== undefined ? { name: b.name } : {}),
  ...(b.description !== undefined ? { description: b.description } : {}),
  ...(b.labels !== undefined ? { labels: b.labels } : {}),
  ...(b.retention_sec !== undefined ? { retentionSec: b.retention_sec } : {}),
  ...(b.max_profile_storage_bytes !== undefined
    ? { maxProfileStorageBytes: b.max_profile_storage_bytes }
    : {}),
});

const dto = (v: BrowserContextView) => ({
  id: v.id,
  name: v.settings.name,
  description: v.settings.description,
  labels: { ...v.settings.labels },
  mode: 'reusable' as const,
  state: 'ready' as const,
  retention_sec: v.settings.retentionSec,
  retention_expires_at:
    v.settings.retentionSec === null
      ? null
      : new Date(Date.parse(v.createdAt) + v.settings.retentionSec * 1000).toISOString(),
  max_profile_storage_bytes: v.settings.maxProfileStorageBytes,
  cloned_from: v.clonedFrom,
  usage: {
    // Profile storage and the active writer are reported by the runtime backend that holds the
    // profile; the catalogue alone does not know them (null = not measured).
    session_references: null,
    active_writer_session_id: null,
    profile_storage_bytes: null,
    profile_storage_limit_exceeded: false,
  },
  created_at: v.createdAt,
  updated_at: v.updatedAt,
});
export type BrowserContextDto = ReturnType<typeof dto>;

@Injectable()
export class BrowserContextsService {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(READ_MODELS) private readonly db: ReadModelDatabase,
  ) {}

  private run(c: BrowserContextCommand): Promise<Result> {
    return this.commands.execute<RunBrowserContextCommand, Result>(new RunBrowserContextCommand(c));
  }

  private async view(ctx: RequestContext, id: string): Promise<BrowserContextView> {
    const v = await getBrowserContext(this.db, { id, ownerId: ctx.ownerId });
    if (v === null) throw new NotFoundError('browser context', id);
    return v;
  }

  async list(ctx: RequestContext, q: Record<string, unknown>) {
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(q))
      if (k.startsWith('label.') && typeof v === 'string') labels[k.slice(6)] = v;
    const page = await listBrowserContexts(this.db, {
      ownerId: ctx.ownerId,
      limit: q['limit'] as number,
      offset: q['offset'] as number,
      labels,
    });
    return { items: page.items.map(dto), total: page.total, limit: page.limit, offset: page.offset };
  }

  async get(ctx: RequestContext, id: string): Promise<BrowserContextDto> {
    return dto(await this.view(ctx, id));
  }

  async create(ctx: RequestContext, body: Body, key: string | undefined, clonedFrom?: string) {
    const idem = resolveIdempotency({
      resourceType: clonedFrom === undefined ? 'browser_context' : `browser_context_clone:${clonedFrom}`,
      ownerId: ctx.ownerId,
      headerKey: key,
      bodyKey: body.client_request_id,
      body,
    });
    const id = idem?.resourceId ?? crypto.randomUUID();
    const r = await this.run({
      type: 'CreateBrowserContext',
      data: { contextId: id, settings: input(body), ...(clonedFrom === undefined ? {} : { clonedFrom }) },
      metadata: commandMetadata(ctx, idem?.commandKey),
    });
    return { resource: await this.get(ctx, id), replayed: r.idempotentReplay };
  }

  async clone(ctx: RequestContext, id: string, body: Body, key: string | undefined) {
    const source = await this.view(ctx, id);
    const s = source.settings;
    return this.create(
      ctx,
      {
        name: body.name ?? `${s.name} (copy)`.slice(0, 120),
        description: body.description !== undefined ? body.description : s.description,
        labels: body.labels ?? { ...s.labels },
        retention_sec: body.retention_sec !== undefined ? body.retention_sec : s.retentionSec,
        max_profile_storage_bytes:
          body.max_profile_storage_bytes !== undefined
            ? body.max_profile_storage_bytes
            : s.maxProfileStorageBytes,
        ...(body.client_request_id !== undefined ? { client_request_id: body.client_request_id } : {}),
      },
      key,
      id,
    );
  }

  async update(ctx: RequestContext, id: string, body: Body): Promise<BrowserContextDto> {
    await this.run({
      type: 'UpdateBrowserContext',
      data: { contextId: id, settings: input(body) },
      metadata: commandMetadata(ctx),
    });
    return this.get(ctx, id);
  }

  async remove(ctx: RequestContext, id: string): Promise<void> {
    await this.view(ctx, id);
    await this.run({
      type: 'DeleteBrowserContext',
      data: { contextId: id, activeWriterSessionId: null },
      metadata: commandMetadata(ctx),
    });
  }
}

@Controller('api/v1/browser-contexts')
export class BrowserContextsController {
  constructor(@Inject(BrowserContextsService) private readonly contexts: BrowserContextsService) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() q: Record<string, unknown>) {
    return this.contexts.list(ctx, q);
  }

  @Post()
  @HttpCode(201)
  async create(
    @Ctx() ctx: RequestContext,
    @Body() body: Body,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BrowserContextDto> {
    const { resource, replayed } = await this.contexts.create(ctx, body, key);
    if (replayed) void reply.status(200);
    return resource;
  }

  @Get(':context_id')
  get(@Ctx() ctx: RequestContext, @Param('context_id') id: string): Promise<BrowserContextDto> {
    return this.contexts.get(ctx, id);
  }

  @Put(':context_id')
  update(
    @Ctx() ctx: RequestContext,
    @Param('context_id') id: string,
    @Body() body: Body,
  ): Promise<BrowserContextDto> {
    return this.contexts.update(ctx, id, body);
  }

  @Delete(':context_id')
  @HttpCode(204)
  remove(@Ctx() ctx: RequestContext, @Param('context_id') id: string): Promise<void> {
    return this.contexts.remove(ctx, id);
  }

  @Post(':context_id/clone')
  @HttpCode(201)
  async clone(
    @Ctx() ctx: RequestContext,
    @Param('context_id') id: string,
    @Body() body: Body | undefined,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<BrowserContextDto> {
    const { resource, replayed } = await this.contexts.clone(ctx, id, body ?? {}, key);
    if (replayed) void reply.status(200);
    return resource;
  }
}

@Module({
  controllers: [BrowserContextsController],
  providers: [BrowserContextsService, RunBrowserContextCommandHandler],
  exports: [BrowserContextsService],
})
export class BrowserContextsModule {}
