import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { loadStream, type CommandMetadata } from '@bpane/ddd';
import {
  isLiveSession,
  SESSION_STREAM_PREFIX,
  sessionDecider,
  sessionStreamId,
  sessionUpcasters,
  type SessionCommand,
  type SessionData,
  type SessionState,
} from '@bpane/domain-sessions';
import { isBpaneError } from '@bpane/errors';
import type { EventStore, Subscription } from '@bpane/event-store';
import type { RuntimeBackend, RuntimeHandle } from '@bpane/runtime-backend';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { EVENT_STORE } from '../infra/tokens';
import { LiveSessionRegistry } from '../live/live-directory';
import { LiveHubs } from '../live/live-hubs';
import { RunSessionCommand } from '../sessions/session-commands';
import { RUNTIME_BACKEND } from './runtime.tokens';

/** Session events after which the coordinator looks at the session again. */
export const RUNTIME_RELEVANT_EVENTS = [
  'SessionAdmissionDecided',
  'SessionRuntimeAssigned',
  'SessionReady',
  'SessionResumed',
  'SessionConnectionOpened',
  'SessionConnectionClosed',
  'SessionStopRequested',
  'SessionRuntimeReleased',
  'SessionStopped',
  'SessionCancelled',
  'SessionFailed',
  'SessionExpired',
  'SessionDeleted',
  'SessionAutomationOwnerSet',
  'SessionAutomationOwnerCleared',
  'SessionMcpOwnerClaimed',
  'SessionMcpOwnerReleased',
];

type Held = { runtimeId: string; handle: RuntimeHandle | null };

export type RuntimeQueueEntry = Readonly<{ sessionId: string; position: number }>;

/**
 * Turns admitted sessions into running runtimes and back (docs/runtime-backends.md, ADR 0016).
 *
 * It follows the session streams through an event-store subscription and reconciles each touched
 * session with what it holds: an admitted pending session gets a runtime when capacity allows
 * (`AssignRuntime` → backend start → `MarkSessionReady` → live directory), otherwise it waits in a
 * FIFO queue with a position; a stopping, released, stopped, failed, expired or deleted session
 * loses its runtime (`CompleteSessionStop` where the domain waits for it). A periodic idle check
 * marks ready sessions without viewers or owners idle and expires them after `idle_timeout_sec`.
 * Work for one session is serialised; at start it re-adopts live runtimes and reaps orphans.
 */
@Injectable()
export class RuntimeCoordinator implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('runtime');
  private readonly held = new Map<string, Held>();
  private readonly queue: string[] = [];
  private readonly chains = new Map<string, Promise<void>>();
  private launching = 0;
  private subscription: Subscription | undefined;
  private loop: Promise<void> | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Resolves once start-up re-adoption and reaping are done. */
  ready: Promise<void> = Promise.resolve();

  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(RUNTIME_BACKEND) private readonly backend: RuntimeBackend | null,
    @Inject(LiveSessionRegistry) private readonly directory: LiveSessionRegistry,
    @Inject(LiveHubs) private readonly hubs: LiveHubs,
    @Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig,
  ) {}

  /** 1-based place of a session in the runtime queue, or null when it is not waiting for capacity. */
  queuePosition(sessionId: string): number | null {
    const i = this.queue.indexOf(sessionId);
    return i < 0 ? null : i + 1;
  }

  queued(): RuntimeQueueEntry[] {
    return this.queue.map((sessionId, i) => ({ sessionId, position: i + 1 }));
  }

  /** The runtime this gateway holds for a session (null while starting or without one). */
  runtimeOf(sessionId: string): RuntimeHandle | null {
    return this.held.get(sessionId)?.handle ?? null;
  }

  async onApplicationBootstrap(): Promise<void> {
    const backend = this.backend;
    if (backend === null) return;
    const head = await this.store.headPosition();
    const subscription = this.store.subscribeToAll({
      after: head,
      filter: { streamPrefixes: [SESSION_STREAM_PREFIX], eventTypes: RUNTIME_RELEVANT_EVENTS },
    });
    this.subscription = subscription;
    this.ready = this.adopt(backend);
    this.loop = (async () => {
      await this.ready;
      try {
        for await (const event of subscription) {
          const sessionId = event.streamId.slice(SESSION_STREAM_PREFIX.length);
          void this.touch(sessionId);
        }
      } catch (error) {
        if (!this.closed) this.logger.error(`the runtime subscription ended: ${String(error)}`);
      }
    })();
    this.idleTimer = setInterval(() => this.checkIdle(), 2000);
    this.idleTimer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.closed = true;
    if (this.idleTimer !== undefined) clearInterval(this.idleTimer);
    await this.subscription?.close();
    await this.loop;
    await Promise.allSettled([...this.chains.values()]);
    // Runtimes keep running: the next gateway re-adopts them.
    await this.backend?.close();
  }

  /** Schedules a reconcile of one session after whatever is already scheduled for it. */
  touch(sessionId: string, work: () => Promise<void> = () => this.reconcile(sessionId)): Promise<void> {
    const previous = this.chains.get(sessionId) ?? Promise.resolve();
    const next = previous.then(work).catch((error: unknown) => {
      this.logger.error(`runtime work for session ${sessionId} failed: ${String(error)}`);
    });
    this.chains.set(sessionId, next);
    void next.then(() => {
      if (this.chains.get(sessionId) === next) this.chains.delete(sessionId);
    });
    return next;
  }

  private async load(sessionId: string): Promise<SessionState> {
    return (await loadStream(this.store, sessionStreamId(sessionId), sessionDecider, sessionUpcasters)).state;
  }

  private async run(s: SessionData, partial: Pick<SessionCommand, 'type' | 'data'>): Promise<void> {
    const metadata: CommandMetadata = {
      now: new Date().toISOString(),
      actor: { kind: 'system', id: 'runtime' },
      correlationId: crypto.randomUUID(),
      causationId: null,
      ownerId: s.ownerId,
    };
    await this.commands.execute(new RunSessionCommand({ ...partial, metadata } as SessionCommand));
  }

  private async reconcile(sessionId: string): Promise<void> {
    if (this.closed || this.backend === null) return;
    const s = await this.load(sessionId);
    if (!isLiveSession(s)) {
      this.dequeue(sessionId);
      await this.release(sessionId, true);
      return;
    }
    const held = this.held.get(sessionId);
    switch (s.status) {
      case 'pending': {
        const admitted = s.admission !== null && s.admission.decision !== 'queued';
        if (admitted && held === undefined && !this.queue.includes(sessionId)) {
          this.queue.push(sessionId);
          this.logger.log(`session ${sessionId} waits for a runtime (position ${this.queue.length})`);
        }
        this.pump();
        return;
      }
      case 'starting':
        return;
      case 'ready':
      case 'idle':
        if (s.runtime?.releasedAt !== null && held !== undefined) {
          await this.release(sessionId, false);
          return;
        }
        if (held?.handle != null) this.register(s, held.handle);
        return;
      case 'stopping':
        await this.release(sessionId, s.stopReason === 'kill');
        await this.run(s, { type: 'CompleteSessionStop', data: { sessionId } });
        return;
      case 'stopped':
      case 'failed':
      case 'expired':
        this.dequeue(sessionId);
        await this.release(sessionId, s.stopReason === 'kill' || s.status === 'failed');
        return;
    }
  }

  private register(s: SessionData, h: RuntimeHandle): void {
    this.directory.register({
      sessionId: s.sessionId,
      ownerId: s.ownerId,
      ownerMode: s.config.ownerMode,
      hostLinkUrl: h.hostLinkUrl,
      hostLinkSecret: h.hostLinkSecret,
      automationOwner: s.automationOwner?.clientId ?? null,
    });
  }

  private dequeue(sessionId: string): void {
    const i = this.queue.indexOf(sessionId);
    if (i >= 0) this.queue.splice(i, 1);
  }

  private hasCapacity(): boolean {
    const maxActive = this.config.maxActiveRuntimes;
    const maxStarting = this.config.maxStartingRuntimes;
    return (
      (maxActive === 0 || this.held.size < maxActive) && (maxStarting === 0 || this.launching < maxStarting)
    );
  }

  /** Starts queued sessions, oldest first, while capacity allows. */
  private pump(): void {
    while (!this.closed && this.queue.length > 0 && this.hasCapacity()) {
      const sessionId = this.queue.shift()!;
      // The slot is taken now, synchronously, so that concurrent pumps cannot overbook it.
      this.held.set(sessionId, { runtimeId: `rt-${crypto.randomUUID()}`, handle: null });
      this.launching += 1;
      void this.touch(sessionId, () => this.launch(sessionId));
    }
  }

  private async launch(sessionId: string): Promise<void> {
    const backend = this.backend!;
    const slot = this.held.get(sessionId)!;
    let handle: RuntimeHandle | undefined;
    try {
      const s = await this.load(sessionId);
      if (!isLiveSession(s) || s.status !== 'pending' || s.admission?.decision === 'queued') {
        this.held.delete(sessionId);
        return;
      }
      try {
        await this.run(s, {
          type: 'AssignRuntime',
          data: { sessionId, runtimeId: slot.runtimeId, backend: backend.name },
        });
      } catch (error) {
        this.logger.warn(`session ${sessionId} could not take a runtime: ${String(error)}`);
        this.held.delete(sessionId);
        return;
      }
      try {
        handle = await backend.start({
          sessionId,
          runtimeId: slot.runtimeId,
          viewport: s.config.viewport,
        });
      } catch (error) {
        this.held.delete(sessionId);
        const code = isBpaneError(error) ? error.code : 'runtime_start_failed';
        const message = error instanceof Error ? error.message : String(error);
        this.logger.error(`runtime for session ${sessionId} failed to start: ${code}`);
        const now = await this.load(sessionId);
        if (isLiveSession(now) && !['stopped', 'failed', 'expired'].includes(now.status))
          await this.run(now, {
            type: 'FailSession',
            data: {
              sessionId,
              code,
              message: `the browser runtime did not start: ${message}`.slice(0, 2000),
            },
          });
        return;
      }
      slot.handle = handle;
    } finally {
      this.launching -= 1;
      this.pump();
    }
    if (handle === undefined) return;
    const now = await this.load(sessionId);
    if (isLiveSession(now) && now.status === 'starting') {
      this.register(now, handle);
      await this.run(now, { type: 'MarkSessionReady', data: { sessionId } });
    } else {
      await this.reconcile(sessionId);
    }
  }

  /** Stops the runtime the gateway holds for a session (if any) and frees its slot. */
  private async release(sessionId: string, force: boolean): Promise<void> {
    const held = this.held.get(sessionId);
    this.directory.unregister(sessionId);
    if (held === undefined) return;
    this.hubs.closeSession(sessionId, 'the session runtime stopped');
    await this.backend?.stop(held.runtimeId, { force });
    this.held.delete(sessionId);
    this.logger.log(`runtime ${held.runtimeId} of session ${sessionId} stopped${force ? ' (forced)' : ''}`);
    this.pump();
  }

  /**
   * Re-adopts runtimes that outlived the previous gateway (same process, registered again) and
   * reaps the ones whose session is gone, ended or holds another runtime. A session whose runtime
   * died meanwhile fails with `runtime_lost`.
   */
  private async adopt(backend: RuntimeBackend): Promise<void> {
    try {
      for (const rt of await backend.list()) {
        const s = await this.load(rt.sessionId);
        const ours =
          isLiveSession(s) &&
          s.runtime?.runtimeId === rt.runtimeId &&
          s.runtime.releasedAt === null &&
          ['starting', 'ready', 'idle', 'stopping'].includes(s.status);
        if (ours && rt.alive) {
          this.held.set(rt.sessionId, { runtimeId: rt.runtimeId, handle: rt });
          this.logger.log(`re-adopted runtime ${rt.runtimeId} of session ${rt.sessionId} (pid ${rt.pid})`);
          if (s.status === 'starting') {
            const health = await backend.health(rt.runtimeId);
            if (health.status === 'ready') {
              this.register(s, rt);
              await this.run(s, { type: 'MarkSessionReady', data: { sessionId: rt.sessionId } });
            }
          }
          await this.reconcile(rt.sessionId);
          continue;
        }
        this.logger.log(`reaping runtime ${rt.runtimeId} (session ${rt.sessionId} no longer uses it)`);
        await backend.stop(rt.runtimeId, { force: true });
        if (ours && !rt.alive)
          await this.run(s, {
            type: 'FailSession',
            data: {
              sessionId: rt.sessionId,
              code: 'runtime_lost',
              message: 'the browser runtime ended while the gateway was down',
            },
          });
      }
    } catch (error) {
      this.logger.error(`runtime re-adoption failed: ${String(error)}`);
    }
  }

  /** Idle detection: no domain connection, no live viewer, no automation or MCP owner. */
  private checkIdle(): void {
    for (const [sessionId, held] of this.held) {
      if (held.handle === null || this.chains.has(sessionId)) continue;
      void this.touch(sessionId, async () => {
        const s = await this.load(sessionId);
        if (!isLiveSession(s)) return;
        const present =
          Object.keys(s.connections).length > 0 ||
          this.hubs.list(sessionId).length > 0 ||
          s.automationOwner !== null ||
          s.mcpOwner !== null;
        if (s.status === 'ready' && !present)
          await this.run(s, { type: 'MarkSessionIdle', data: { sessionId } });
        else if (s.status === 'idle' && present)
          await this.run(s, { type: 'MarkSessionActive', data: { sessionId } });
        else if (
          s.status === 'idle' &&
          s.idleSince !== null &&
          Date.parse(s.idleSince) + s.config.idleTimeoutSec * 1000 <= Date.now()
        )
          await this.run(s, { type: 'ExpireSession', data: { sessionId } });
      });
    }
  }
}
