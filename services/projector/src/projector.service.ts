import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { createEventStore, type EventStore } from '@bpane/event-store';
import {
  findProjections,
  Projector,
  readModelEntities,
  ReadModelDatabase,
  type BatchInfo,
  type RebuildProgress,
} from '@bpane/read-models';
import { PROJECTOR_CONFIG, type ProjectorConfig } from './config';
import { PROJECTOR_LOGGER, type Logger } from './logger';

export const PROJECTOR_FATAL = Symbol('PROJECTOR_FATAL');
/** Called when the projector gives up (the entry point exits non-zero so a supervisor restarts it). */
export type FatalHandler = (error: unknown) => void;

/** Runs the projector for the configured projections for the lifetime of the Nest context. */
@Injectable()
export class ProjectorService implements OnApplicationBootstrap, OnApplicationShutdown {
  #store: EventStore | undefined;
  #db: ReadModelDatabase | undefined;
  #projector: Projector | undefined;
  #timer: NodeJS.Timeout | undefined;
  #eventsSinceLog = 0;
  #lastLog = Date.now();

  constructor(
    @Inject(PROJECTOR_CONFIG) private readonly config: ProjectorConfig,
    @Inject(PROJECTOR_LOGGER) private readonly logger: Logger,
    @Inject(PROJECTOR_FATAL) private readonly onFatal: FatalHandler,
  ) {}

  get projector(): Projector | undefined {
    return this.#projector;
  }

  async onApplicationBootstrap(): Promise<void> {
    const projections = findProjections(this.config.projections);
    this.#store = await createEventStore(this.config.eventStore);
    this.#db = await ReadModelDatabase.connect({
      url: this.config.readModelPgUrl,
      schema: this.config.readModelSchema,
      entities: readModelEntities,
      applicationName: 'bpane-projector',
    });
    this.#projector = new Projector({
      store: this.#store,
      db: this.#db,
      projections,
      batchSize: this.config.batchSize,
      lingerMs: this.config.lingerMs,
      logger: this.logger,
      onBatch: (b: BatchInfo) => {
        this.#eventsSinceLog += b.events;
      },
      onRebuildProgress: (p: RebuildProgress) =>
        this.logger.info('rebuild progress', {
          phase: p.phase,
          eventsDone: p.eventsDone,
          position: p.position,
          headPosition: p.headPosition,
          eventsPerSecond: Math.round(p.eventsPerSecond),
          etaSeconds: p.etaSeconds === null ? null : Math.round(p.etaSeconds),
        }),
    });
    await this.#projector.start();
    this.#projector.done.catch((error: unknown) => {
      this.logger.error('projector gave up', { error });
      this.onFatal(error);
    });
    this.#timer = setInterval(() => void this.#logProgress(), this.config.logIntervalMs);
    this.#timer.unref();
  }

  async #logProgress(): Promise<void> {
    const projector = this.#projector;
    const store = this.#store;
    if (projector === undefined || store === undefined || !projector.running) return;
    try {
      const head = await store.headPosition();
      const now = Date.now();
      const seconds = (now - this.#lastLog) / 1000;
      this.logger.info('progress', {
        position: projector.position,
        headPosition: head,
        lag: head > projector.position ? head - projector.position : 0n,
        eventsPerSecond: seconds > 0 ? Math.round(this.#eventsSinceLog / seconds) : 0,
      });
      this.#eventsSinceLog = 0;
      this.#lastLog = now;
    } catch (error) {
      this.logger.error('progress check failed', { error });
    }
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.logger.info('shutting down', { signal: signal ?? null });
    await this.#projector?.stop();
    await this.#db?.close();
    await this.#store?.close();
  }
}
