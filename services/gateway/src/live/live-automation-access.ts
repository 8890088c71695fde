import { Inject, Injectable } from '@nestjs/common';
import { BpaneError } from '@bpane/errors';
import { LIVE_SESSION_DIRECTORY, type LiveSessionDirectory } from './live-directory';
import { LiveTickets } from './live-tickets';

/** The body of `POST /api/v1/sessions/{id}/automation-access` (schema SessionAutomationAccess). */
export type SessionAutomationAccessDto = {
  session_id: string;
  /** Pass to `chromium.connectOverCDP(cdp_endpoint, { headers: { authorization: 'Bearer ' + token } })`. */
  cdp_endpoint: string;
  token: string;
  expires_at: string;
};

/**
 * Issues automation access for the sessions API's `POST …/automation-access` (the sessions context
 * owns the route and its rules — state, automation owner; this service mints the token and names
 * the endpoint). The endpoint is the gateway's own CDP proxy for the session:
 * `GET {origin}/api/v1/sessions/{id}/cdp/json/version` for discovery, then the browser WebSocket
 * through the gateway, both with `Authorization: Bearer <token>`.
 */
@Injectable()
export class LiveAutomationAccess {
  constructor(
    @Inject(LiveTickets) private readonly tickets: LiveTickets,
    @Inject(LIVE_SESSION_DIRECTORY) private readonly directory: LiveSessionDirectory,
  ) {}

  /**
   * `origin` is the gateway origin the client reached (`http://host:port`). `principalSubject` is
   * the caller; when the session delegates automation to a client, only that client gets access.
   */
  async issue(
    ownerId: string,
    principalSubject: string,
    sessionId: string,
    origin: string,
    now = new Date(),
  ): Promise<SessionAutomationAccessDto> {
    const target = await this.directory.lookup(sessionId);
    if (target === undefined || target.ownerId !== ownerId)
      throw new BpaneError('not_found', 'no live session with this id');
    const delegated = target.automationOwner ?? null;
    if (delegated !== null && delegated !== principalSubject)
      throw new BpaneError(
        'conflict',
        `automation is delegated to ${delegated}; only that client may attach`,
      );
    const t = await this.tickets.mint('automation', ownerId, sessionId, 'automation', now);
    return {
      session_id: sessionId,
      cdp_endpoint: `${origin.replace(/\/$/, '')}/api/v1/sessions/${encodeURIComponent(sessionId)}/cdp`,
      token: t.token,
      expires_at: t.expiresAt.toISOString(),
    };
  }
}
