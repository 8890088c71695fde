import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  Res,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Ctx, type RequestContext } from '../auth/current-principal';
import type {
  SessionTemplateCreateBody,
  SessionTemplateDto,
  SessionTemplateUpdateBody,
} from './session-template.dto';
import { SessionTemplatesService, type SessionTemplateList } from './session-templates.service';

@Controller('api/v1/session-templates')
export class SessionTemplatesController {
  constructor(@Inject(SessionTemplatesService) private readonly templates: SessionTemplatesService) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>): Promise<SessionTemplateList> {
    return this.templates.list(ctx, query);
  }

  @Post()
  @HttpCode(201)
  async create(
    @Ctx() ctx: RequestContext,
    @Body() body: SessionTemplateCreateBody,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionTemplateDto> {
    const { template, replayed } = await this.templates.create(ctx, body, idempotencyKey);
    if (replayed) void reply.status(200);
    return template;
  }

  @Get(':template_id')
  get(@Ctx() ctx: RequestContext, @Param('template_id') id: string): Promise<SessionTemplateDto> {
    return this.templates.get(ctx, id);
  }

  @Put(':template_id')
  update(
    @Ctx() ctx: RequestContext,
    @Param('template_id') id: string,
    @Body() body: SessionTemplateUpdateBody,
  ): Promise<SessionTemplateDto> {
    return this.templates.update(ctx, id, body);
  }
}
