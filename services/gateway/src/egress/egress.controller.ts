import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Module,
  Param,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Ctx, type RequestContext } from '../auth/current-principal';
import {
  EgressProfilesService,
  RunEgressCommandHandler,
  type EgressDiagnosticsDto,
  type EgressProfileDto,
} from './egress.service';

type Body = Parameters<EgressProfilesService['create']>[1];

@Controller('api/v1/egress-profiles')
export class EgressProfilesController {
  constructor(@Inject(EgressProfilesService) private readonly egress: EgressProfilesService) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() q: Record<string, unknown>) {
    return this.egress.list(ctx, q);
  }

  @Post()
  @HttpCode(201)
  async create(
    @Ctx() ctx: RequestContext,
    @Body() body: Body,
    @Headers('idempotency-key') key: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EgressProfileDto> {
    const { resource, replayed } = await this.egress.create(ctx, body, key);
    if (replayed) void reply.status(200);
    return resource;
  }

  @Get(':profile_id')
  get(@Ctx() ctx: RequestContext, @Param('profile_id') id: string): Promise<EgressProfileDto> {
    return this.egress.get(ctx, id);
  }

  @Put(':profile_id')
  update(
    @Ctx() ctx: RequestContext,
    @Param('profile_id') id: string,
    @Body() body: Body,
  ): Promise<EgressProfileDto> {
    return this.egress.update(ctx, id, body);
  }

  @Get(':profile_id/diagnostics')
  diagnostics(@Ctx() ctx: RequestContext, @Param('profile_id') id: string): Promise<EgressDiagnosticsDto> {
    return this.egress.diagnostics(ctx, id);
  }

  @Post(':profile_id/diagnostics/probe')
  @HttpCode(200)
  probe(
    @Ctx() ctx: RequestContext,
    @Param('profile_id') id: string,
    @Body() body: { target_host?: string; target_port?: number } | undefined,
  ): Promise<EgressDiagnosticsDto> {
    return this.egress.probe(ctx, id, body);
  }
}

@Module({
  controllers: [EgressProfilesController],
  providers: [EgressProfilesService, RunEgressCommandHandler],
  exports: [EgressProfilesService],
})
export class EgressProfilesModule {}
