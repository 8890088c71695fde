import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { EventStore } from '@bpane/event-store';
import type { ProjectionPositions, ReadModelDatabase } from '@bpane/read-models';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config';
import { ReadinessService } from '../health/readiness.service';
import { ReadYourWrites } from './read-your-writes';
import { EVENT_STORE, POSITIONS, READ_MODELS } from './tokens';

export type GatewayInfra = Readonly<{
  store: EventStore;
  readModels: ReadModelDatabase;
  positions: ProjectionPositions;
}>;

class InfraLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModelDatabase,
    @Inject(POSITIONS) private readonly positions: ProjectionPositions,
    @Inject(ReadinessService) private readonly readiness: ReadinessService,
  ) {}

  onModuleInit(): void {
    this.readiness.register('event_store', async () => {
      await this.store.headPosition();
    });
    this.readiness.register('read_models', async () => {
      await this.readModels.dataSource.query('SELECT 1');
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.allSettled([this.positions.close(), this.readModels.close(), this.store.close()]);
  }
}

/** Provides the event store, the read-model database and projection positions to every module. */
@Global()
@Module({})
export class InfraModule {
  static forRoot(config: GatewayConfig, infra: GatewayInfra): DynamicModule {
    return {
      module: InfraModule,
      providers: [
        { provide: GATEWAY_CONFIG, useValue: config },
        { provide: EVENT_STORE, useValue: infra.store },
        { provide: READ_MODELS, useValue: infra.readModels },
        { provide: POSITIONS, useValue: infra.positions },
        ReadinessService,
        ReadYourWrites,
        InfraLifecycle,
      ],
      exports: [GATEWAY_CONFIG, EVENT_STORE, READ_MODELS, POSITIONS, ReadinessService, ReadYourWrites],
    };
  }
}
