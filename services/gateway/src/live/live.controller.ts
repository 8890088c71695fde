import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '@bpane/auth';
import { BpaneError } from '@bpane/errors';
import { Ctx, type RequestContext } from '../auth/current-principal';
import { problem, PROBLEM_CONTENT_TYPE } from '../http/problem';
import { LIVE_SESSION_DIRECTORY, type LiveSessionDirectory, type LiveSessionTarget } from './live-directory';
import { LiveTicketError, LiveTickets, type TicketRole } from './live-tickets';
import { bearerOf } from './live.socket';

export type LiveAccessTokenDto = {
  ticket: string;
  role: TicketRole;
  expires_at: string;
  expires_in: number;
  connect_url: string;
};

/** The gateway's own origin as the client reached it (loopback and tests use ephemeral ports). */
export const originOf = (req: FastifyRequest): { http: string; ws: string } => {
  const host = req.headers.host ?? 'localhost';
  return { http: `http://${host}`, ws: `ws://${host}` };
};

const upgradeRequired = (reply: FastifyReply, what: string): void => {
  const body = problem('upgrade_required', `${what} is a WebSocket: connect with Upgrade: websocket`, {
    status: 426,
  });
  void reply.status(426).header('upgrade', 'websocket').type(PROBLEM_CONTENT_TYPE).send(body);
};

@Controller('api/v1/sessions')
export class LiveController {
  constructor(
    @Inject(LiveTickets) private readonly tickets: LiveTickets,
    @Inject(LIVE_SESSION_DIRECTORY) private readonly directory: LiveSessionDirectory,
  ) {}

  private async ownedTarget(ctx: RequestContext, sessionId: string): Promise<LiveSessionTarget> {
    const target = await this.directory.lookup(sessionId);
    if (target === undefined || target.ownerId !== ctx.ownerId)
      throw new BpaneError('not_found', 'no live session with this id');
    return target;
  }

  /** A single-use, role-bound ticket for one viewer WebSocket (`GET …/live`). */
  @Post(':session_id/access-tokens')
  @HttpCode(201)
  async mintTicket(
    @Ctx() ctx: RequestContext,
    @Param('session_id') sessionId: string,
    @Body() body: { role: TicketRole },
    @Req() req: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LiveAccessTokenDto> {
    await this.ownedTarget(ctx, sessionId);
    const now = ctx.now();
    const t = await this.tickets.mint('viewer', ctx.ownerId, sessionId, body.role, now);
    void reply.header('cache-control', 'no-store');
    return {
      ticket: t.token,
      role: body.role,
      expires_at: t.expiresAt.toISOString(),
      expires_in: Math.round((t.expiresAt.getTime() - now.getTime()) / 1000),
      connect_url: `${originOf(req).ws}/api/v1/sessions/${encodeURIComponent(sessionId)}/live`,
    };
  }

  @Get(':session_id/live')
  @Public()
  live(@Res() reply: FastifyReply): void {
    upgradeRequired(reply, 'GET /api/v1/sessions/{session_id}/live');
  }

  /** DevTools discovery through the gateway; the WebSocket URL points back at the gateway. */
  @Get(':session_id/cdp/json/version')
  @Public()
  cdpVersion(
    @Param('session_id') sessionId: string,
    @Req() req: FastifyRequest,
  ): Promise<Record<string, unknown>> {
    return cdpVersion(this.tickets, this.directory, sessionId, req);
  }

  @Get(':session_id/cdp/devtools/browser/:browser_id')
  @Public()
  cdpSocket(@Res() reply: FastifyReply): void {
    upgradeRequired(reply, 'GET /api/v1/sessions/{session_id}/cdp/devtools/browser/{browser_id}');
  }
}

/** Chromium's `/json/version` through the host agent, its WebSocket URL pointed at the gateway. */
export const cdpVersion = async (
  tickets: LiveTickets,
  directory: LiveSessionDirectory,
  sessionId: string,
  req: FastifyRequest,
): Promise<Record<string, unknown>> => {
  const self = { tickets, directory };
  {
    try {
      await self.tickets.redeem(bearerOf(req.headers.authorization), 'automation', sessionId);
    } catch (error) {
      if (error instanceof LiveTicketError)
        throw new BpaneError('unauthenticated', `automation token refused: ${error.message}`);
      throw error;
    }
    const target = await self.directory.lookup(sessionId);
    if (target === undefined) throw new BpaneError('not_found', 'no live session with this id');
    let version: Record<string, unknown>;
    try {
      const res = await fetch(`${target.hostLinkUrl.replace(/\/$/, '')}/cdp/json/version`, {
        headers: { authorization: `Bearer ${target.hostLinkSecret}` },
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) throw new Error(`host agent answered ${res.status}`);
      version = (await res.json()) as Record<string, unknown>;
    } catch {
      throw new BpaneError('dependency_unavailable', 'the session runtime does not answer');
    }
    const upstream =
      typeof version['webSocketDebuggerUrl'] === 'string' ? version['webSocketDebuggerUrl'] : '';
    const path = /\/devtools\/browser\/[A-Za-z0-9-]+$/.exec(upstream)?.[0] ?? '';
    return {
      ...version,
      webSocketDebuggerUrl: `${originOf(req).ws}/api/v1/sessions/${encodeURIComponent(sessionId)}/cdp${path}`,
    };
  }
};
