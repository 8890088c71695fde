import { Controller, Get, HttpCode, Inject, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { Public } from '@bpane/auth';
import { Ctx, type RequestContext } from '../auth/current-principal';
import { problem, PROBLEM_CONTENT_TYPE } from '../http/problem';
import { AdminEventTickets } from './ticket-store';

export type AdminEventsTicketDto = { ticket: string; expires_at: string; expires_in: number };

@Controller('api/v1/admin/events')
export class AdminEventsController {
  constructor(@Inject(AdminEventTickets) private readonly tickets: AdminEventTickets) {}

  /** A single-use ticket for one WebSocket connection to `GET /api/v1/admin/events`. */
  @Post('access-tokens')
  @HttpCode(201)
  async mint(
    @Ctx() ctx: RequestContext,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<AdminEventsTicketDto> {
    const now = ctx.now();
    const t = await this.tickets.mint(ctx.ownerId, now);
    void reply.header('cache-control', 'no-store');
    return {
      ticket: t.ticket,
      expires_at: t.expiresAt.toISOString(),
      expires_in: Math.round((t.expiresAt.getTime() - now.getTime()) / 1000),
    };
  }

  /**
   * The feed itself is a WebSocket: the upgrade is taken over before routing (see
   * `admin-events.socket.ts`). A plain HTTP GET gets 426 with the way to connect.
   */
  @Get()
  @Public()
  upgradeRequired(@Res() reply: FastifyReply): void {
    const body = problem(
      'upgrade_required',
      'GET /api/v1/admin/events is a WebSocket: connect with Upgrade: websocket and send {"op":"auth","ticket":"…"} first',
      { status: 426 },
    );
    void reply.status(426).header('upgrade', 'websocket').type(PROBLEM_CONTENT_TYPE).send(body);
  }
}
