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
  UseFilters,
} from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Ctx, type RequestContext } from '../auth/current-principal';
import type { SessionAutomationAccessDto } from '../live/live-automation-access';
import type { SessionCreateBody, SessionDto, SessionStatusDto } from './session.dto';
import { SessionProblemFilter } from './session-problems.filter';
import { SessionsService, type SessionList } from './sessions.service';

@Controller('api/v1/sessions')
@UseFilters(SessionProblemFilter)
export class SessionsController {
  constructor(@Inject(SessionsService) private readonly sessions: SessionsService) {}

  @Get()
  list(@Ctx() ctx: RequestContext, @Query() query: Record<string, unknown>): Promise<SessionList> {
    return this.sessions.list(ctx, query);
  }

  @Post()
  @HttpCode(201)
  async create(
    @Ctx() ctx: RequestContext,
    @Body() body: SessionCreateBody,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SessionDto> {
    const { session, replayed } = await this.sessions.create(ctx, body, idempotencyKey);
    if (replayed) void reply.status(200);
    return session;
  }

  @Get(':session_id')
  get(@Ctx() ctx: RequestContext, @Param('session_id') id: string): Promise<SessionDto> {
    return this.sessions.get(ctx, id);
  }

  @Delete(':session_id')
  @HttpCode(204)
  remove(@Ctx() ctx: RequestContext, @Param('session_id') id: string): Promise<void> {
    return this.sessions.remove(ctx, id);
  }

  @Get(':session_id/status')
  status(@Ctx() ctx: RequestContext, @Param('session_id') id: string): Promise<SessionStatusDto> {
    return this.sessions.status(ctx, id);
  }

  @Post(':session_id/stop')
  @HttpCode(200)
  stop(@Ctx() ctx: RequestContext, @Param('session_id') id: string): Promise<SessionDto> {
    return this.sessions.command(ctx, id, (t) => ({ type: 'StopSession', data: { ...t, mode: 'stop' } }));
  }

  @Post(':session_id/release')
  @HttpCode(200)
  release(@Ctx() ctx: RequestContext, @Param('session_id') id: string): Promise<SessionDto> {
    return this.sessions.command(ctx, id, (t) => ({ type: 'StopSession', data: { ...t, mode: 'release' } }));
  }

  @Post(':session_id/kill')
  @HttpCode(200)
  kill(@Ctx() ctx: RequestContext, @Param('session_id') id: string): Promise<SessionDto> {
    return this.sessions.command(ctx, id, (t) => ({ type: 'StopSession', data: { ...t, mode: 'kill' } }));
  }

  @Post(':session_id/cancel')
  @HttpCode(200)
  cancel(@Ctx() ctx: RequestContext, @Param('session_id') id: string): Promise<SessionDto> {
    return this.sessions.command(ctx, id, (t) => ({ type: 'CancelSession', data: t }));
  }

  @Post(':session_id/connections/disconnect-all')
  @HttpCode(200)
  disconnectAll(@Ctx() ctx: RequestContext, @Param('session_id') id: string): Promise<SessionDto> {
    return this.sessions.command(ctx, id, (t) => ({
      type: 'CloseAllConnections',
      data: { ...t, reason: 'disconnected_by_owner' },
    }));
  }

  @Post(':session_id/connections/:connection_id/disconnect')
  @HttpCode(200)
  disconnect(
    @Ctx() ctx: RequestContext,
    @Param('session_id') id: string,
    @Param('connection_id') connectionId: string,
  ): Promise<SessionDto> {
    return this.sessions.command(ctx, id, (t) => ({
      type: 'CloseConnection',
      data: { ...t, connectionId, reason: 'disconnected_by_owner' },
    }));
  }

  @Post(':session_id/automation-owner')
  @HttpCode(200)
  setAutomationOwner(
    @Ctx() ctx: RequestContext,
    @Param('session_id') id: string,
    @Body() body: { client_id: string },
  ): Promise<SessionDto> {
    return this.sessions.setAutomationOwner(ctx, id, body.client_id);
  }

  @Delete(':session_id/automation-owner')
  clearAutomationOwner(@Ctx() ctx: RequestContext, @Param('session_id') id: string): Promise<SessionDto> {
    return this.sessions.command(ctx, id, (t) => ({ type: 'ClearAutomationOwner', data: t }));
  }

  @Post(':session_id/mcp-owner')
  @HttpCode(200)
  claimMcpOwner(@Ctx() ctx: RequestContext, @Param('session_id') id: string): Promise<SessionDto> {
    const p = ctx.principal;
    return this.sessions.command(
      ctx,
      id,
      (t) => ({
        type: 'ClaimMcpOwner',
        data: { ...t, principalKind: p.kind, principalId: p.subject, clientId: p.clientId ?? null },
      }),
      'automation',
    );
  }

  @Delete(':session_id/mcp-owner')
  releaseMcpOwner(@Ctx() ctx: RequestContext, @Param('session_id') id: string): Promise<SessionDto> {
    return this.sessions.command(ctx, id, (t) => ({ type: 'ReleaseMcpOwner', data: t }), 'automation');
  }

  @Post(':session_id/automation-access')
  @HttpCode(200)
  automationAccess(
    @Ctx() ctx: RequestContext,
    @Param('session_id') id: string,
  ): Promise<SessionAutomationAccessDto> {
    return this.sessions.automationAccess(ctx, id);
  }
}
