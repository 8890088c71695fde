import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import {
  LIVE_CONNECTION_OBSERVER,
  LIVE_SESSION_DIRECTORY,
  type LiveConnectionObserver,
  type LiveSessionDirectory,
} from './live-directory';
import { SessionHub, type LiveConnectionInfo } from './session-hub';

/** How long a hub with no connections keeps its host link (a quick reconnect reuses it). */
export const HUB_LINGER_MS = 15_000;

/**
 * The session hubs of this gateway instance (one per live session, created on the first
 * connection) and the connection service the sessions API calls: `list`, `disconnect`,
 * `disconnectAll`, and `closeSession` for the runtime backend when a session stops.
 */
@Injectable()
export class LiveHubs implements BeforeApplicationShutdown {
  readonly #hubs = new Map<string, SessionHub>();
  readonly #linger = new Map<string, NodeJS.Timeout>();
  readonly #creating = new Map<string, Promise<SessionHub | undefined>>();

  constructor(
    @Inject(LIVE_SESSION_DIRECTORY) private readonly directory: LiveSessionDirectory,
    @Inject(LIVE_CONNECTION_OBSERVER) private readonly observer: LiveConnectionObserver,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** The hub of a live session, created (and connected to its host agent) when needed. */
  async hubFor(sessionId: string): Promise<SessionHub | undefined> {
    const existing = this.#hubs.get(sessionId);
    if (existing !== undefined) {
      this.#cancelLinger(sessionId);
      return existing;
    }
    const pending = this.#creating.get(sessionId);
    if (pending !== undefined) return pending;
    const creating = (async () => {
      const target = await this.directory.lookup(sessionId);
      if (target === undefined) return undefined;
      const hub = new SessionHub({
        target,
        observer: this.observer,
        maxBufferedBytes: this.config.liveViewerMaxBufferedBytes,
        onIdle: () => this.#scheduleLinger(sessionId),
      });
      this.#hubs.set(sessionId, hub);
      return hub;
    })().finally(() => this.#creating.delete(sessionId));
    this.#creating.set(sessionId, creating);
    return creating;
  }

  /** The hub if one runs here (no lookup, no connect). */
  existing(sessionId: string): SessionHub | undefined {
    return this.#hubs.get(sessionId);
  }

  list(sessionId: string): LiveConnectionInfo[] {
    return this.#hubs.get(sessionId)?.connections() ?? [];
  }

  disconnect(sessionId: string, connectionId: string, reason = 'disconnected by the owner'): boolean {
    return this.#hubs.get(sessionId)?.disconnect(connectionId, reason) ?? false;
  }

  disconnectAll(sessionId: string, reason = 'disconnected by the owner'): number {
    return this.#hubs.get(sessionId)?.disconnectAll(reason) ?? 0;
  }

  /** The session stopped: every connection is closed (goingAway) and the host link dropped. */
  closeSession(sessionId: string, reason = 'the session ended'): void {
    this.#cancelLinger(sessionId);
    this.#hubs.get(sessionId)?.close(reason);
    this.#hubs.delete(sessionId);
  }

  beforeApplicationShutdown(): void {
    for (const id of [...this.#hubs.keys()]) this.closeSession(id, 'gateway shutting down');
  }

  #scheduleLinger(sessionId: string): void {
    this.#cancelLinger(sessionId);
    const t = setTimeout(() => {
      this.#linger.delete(sessionId);
      const hub = this.#hubs.get(sessionId);
      if (hub !== undefined && hub.size === 0) this.closeSession(sessionId, 'idle');
    }, HUB_LINGER_MS);
    t.unref();
    this.#linger.set(sessionId, t);
  }

  #cancelLinger(sessionId: string): void {
    const t = this.#linger.get(sessionId);
    if (t !== undefined) clearTimeout(t);
    this.#linger.delete(sessionId);
  }
}
