import { Injectable } from '@nestjs/common';

/**
 * The seams of the live path towards the rest of BrowserPane (docs/live-sessions.md):
 *
 * - `LiveSessionDirectory`: where a session's runtime is. The runtime backend registers one target
 *   per running session (host link URL + per-runtime secret); the hub and the automation proxy only
 *   read it. The default is the in-memory `LiveSessionRegistry`.
 * - `LiveConnectionObserver`: told when a live connection opens and closes, so the sessions context
 *   can record `SessionConnectionOpened`/`Closed` and project `connection_counts`.
 */
export type OwnerMode = 'collaborative' | 'exclusive_owner';

export type LiveSessionTarget = Readonly<{
  sessionId: string;
  /** Owner id (token subject) of the session: only they mint tickets for it. */
  ownerId: string;
  ownerMode: OwnerMode;
  /** The host agent's link endpoint, e.g. `http://127.0.0.1:9320` (paths `/link`, `/cdp/…`). */
  hostLinkUrl: string;
  /** Per-runtime secret the host agent was started with. Never logged. */
  hostLinkSecret: string;
  /** Client id of the session's automation owner, when the sessions API has set one. */
  automationOwner?: string | null;
}>;

export interface LiveSessionDirectory {
  lookup(sessionId: string): Promise<LiveSessionTarget | undefined>;
}

export type ConnectionRole = 'owner' | 'collaborator' | 'viewer' | 'automation';

export type LiveConnectionOpened = Readonly<{
  sessionId: string;
  connectionId: string;
  role: ConnectionRole;
  principalKind: 'user' | 'service';
  principalId: string;
  openedAt: string;
}>;

export type LiveConnectionClosed = Readonly<{
  sessionId: string;
  connectionId: string;
  reason: string;
  closedAt: string;
}>;

export interface LiveConnectionObserver {
  opened(event: LiveConnectionOpened): void | Promise<void>;
  closed(event: LiveConnectionClosed): void | Promise<void>;
}

export const LIVE_SESSION_DIRECTORY = Symbol('LIVE_SESSION_DIRECTORY');
export const LIVE_CONNECTION_OBSERVER = Symbol('LIVE_CONNECTION_OBSERVER');

/** In-memory directory: the runtime backend calls `register` when a session's host agent is up. */
@Injectable()
export class LiveSessionRegistry implements LiveSessionDirectory {
  readonly #targets = new Map<string, LiveSessionTarget>();

  register(target: LiveSessionTarget): void {
    this.#targets.set(target.sessionId, target);
  }

  unregister(sessionId: string): void {
    this.#targets.delete(sessionId);
  }

  lookup(sessionId: string): Promise<LiveSessionTarget | undefined> {
    return Promise.resolve(this.#targets.get(sessionId));
  }
}

/** Keeps the connection events in memory (default observer; the sessions context replaces it). */
@Injectable()
export class RecordingConnectionObserver implements LiveConnectionObserver {
  readonly events: (
    (LiveConnectionOpened & { type: 'opened' }) | (LiveConnectionClosed & { type: 'closed' })
  )[] = [];

  opened(event: LiveConnectionOpened): void {
    this.events.push({ type: 'opened', ...event });
    if (this.events.length > 10_000) this.events.splice(0, 1000);
  }

  closed(event: LiveConnectionClosed): void {
    this.events.push({ type: 'closed', ...event });
    if (this.events.length > 10_000) this.events.splice(0, 1000);
  }
}
