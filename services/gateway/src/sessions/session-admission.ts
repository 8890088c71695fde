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
  decideAdmission,
  isLiveSession,
  SESSION_STREAM_PREFIX,
  sessionDecider,
  sessionUpcasters,
  type AdmissionOutcome,
} from '@bpane/domain-sessions';
import type { EventStore, Subscription } from '@bpane/event-store';
import {
  countActiveProjectSessions,
  getProject,
  listProjectsWithQueuedSessions,
  listQueuedProjectSessions,
  type ReadModelDatabase,
} from '@bpane/read-models';
import { ReadYourWrites } from '../infra/read-your-writes';
import { EVENT_STORE, READ_MODELS } from '../infra/tokens';
import { RunSessionCommand } from './session-commands';

/** Events after which a session no longer holds (or waits for) a project slot. */
export const CAPACITY_FREEING_EVENTS = [
  'SessionStopped',
  'SessionCancelled',
  'SessionFailed',
  'SessionExpired',
];

/**
 * Admission of sessions into projects. Decisions for one project are serialised in this process
 * (create and admit-next take the project's lock and hold it until the read models include the
 * write), and a subscription admits the oldest queued session of a project whenever one of its
 * sessions stops, fails, expires or is cancelled — however that happened. At start-up a sweep
 * admits what capacity allows, so stops during a restart are not lost.
 */
@Injectable()
export class SessionAdmission implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('session-admission');
  private readonly locks = new Map<string, Promise<unknown>>();
  private subscription: Subscription | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(READ_MODELS) private readonly db: ReadModelDatabase,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ReadYourWrites) private readonly ryw: ReadYourWrites,
  ) {}

  /** Runs `fn` while holding the project's admission lock (FIFO per project). */
  withProjectLock<T>(projectId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(projectId) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.locks.set(projectId, tail);
    void tail.then(() => {
      if (this.locks.get(projectId) === tail) this.locks.delete(projectId);
    });
    return next;
  }

  /** The admission decision for a new session of `projectId` (null: owner scoped). Call under the lock. */
  async decide(ownerId: string, projectId: string | null): Promise<AdmissionOutcome | null> {
    if (projectId === null) return decideAdmission(null);
    const project = await getProject(this.db, { id: projectId, ownerId });
    if (project === null) return null;
    return decideAdmission({
      projectId,
      archived: project.state === 'archived',
      maxActiveSessions: project.quotas.maxActiveSessions,
      activeSessions: await countActiveProjectSessions(this.db, projectId),
      queuedSessions: (await listQueuedProjectSessions(this.db, projectId)).length,
    });
  }

  /** Admits queued sessions of the project, oldest first, while its quota allows. */
  admitQueued(projectId: string, ownerId: string): Promise<number> {
    return this.withProjectLock(projectId, async () => {
      const project = await getProject(this.db, { id: projectId, ownerId });
      // An archived project admits nobody; its queue waits until it is active again.
      if (project === null || project.state === 'archived') return 0;
      const max = project.quotas.maxActiveSessions;
      let admitted = 0;
      for (;;) {
        const [next] = await listQueuedProjectSessions(this.db, projectId);
        if (next === undefined) return admitted;
        if (max !== null && (await countActiveProjectSessions(this.db, projectId)) >= max) return admitted;
        const metadata: CommandMetadata = {
          now: new Date().toISOString(),
          actor: { kind: 'system', id: 'session-admission' },
          correlationId: crypto.randomUUID(),
          causationId: null,
        };
        await this.commands.execute(
          new RunSessionCommand({ type: 'AdmitQueuedSession', data: { sessionId: next }, metadata }),
        );
        admitted += 1;
      }
    });
  }

  /** `admitQueued` that logs instead of failing (the write that freed the slot has succeeded). */
  async admitQueuedQuietly(projectId: string, ownerId: string): Promise<void> {
    try {
      await this.admitQueued(projectId, ownerId);
    } catch (error) {
      this.logger.error(`admission into project ${projectId} failed: ${String(error)}`);
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    const head = await this.store.headPosition();
    this.subscription = this.store.subscribeToAll({
      after: head,
      filter: { streamPrefixes: [SESSION_STREAM_PREFIX], eventTypes: CAPACITY_FREEING_EVENTS },
    });
    const subscription = this.subscription;
    this.loop = (async () => {
      try {
        for await (const event of subscription) {
          try {
            await this.ryw.waitFor(event.position);
            const { state } = await loadStream(
              this.store,
              event.streamId,
              sessionDecider,
              sessionUpcasters,
              event.position,
            );
            if (isLiveSession(state) && state.projectId !== null)
              await this.admitQueuedQuietly(state.projectId, state.ownerId);
          } catch (error) {
            this.logger.error(`admission after ${event.type} on ${event.streamId} failed: ${String(error)}`);
          }
        }
      } catch (error) {
        this.logger.error(`the admission subscription ended: ${String(error)}`);
      }
    })();
    void this.sweep();
  }

  private async sweep(): Promise<void> {
    try {
      for (const { projectId, ownerId } of await listProjectsWithQueuedSessions(this.db))
        await this.admitQueued(projectId, ownerId);
    } catch (error) {
      this.logger.error(`admission sweep failed: ${String(error)}`);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
    await this.loop;
  }
}
