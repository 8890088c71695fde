import { Module, type DynamicModule } from '@nestjs/common';
import { PROJECTOR_CONFIG, type ProjectorConfig } from './config';
import { PROJECTOR_LOGGER, type Logger } from './logger';
import { PROJECTOR_FATAL, ProjectorService, type FatalHandler } from './projector.service';

@Module({})
export class ProjectorModule {
  static forRoot(config: ProjectorConfig, logger: Logger, onFatal: FatalHandler): DynamicModule {
    return {
      module: ProjectorModule,
      providers: [
        { provide: PROJECTOR_CONFIG, useValue: config },
        { provide: PROJECTOR_LOGGER, useValue: logger },
        { provide: PROJECTOR_FATAL, useValue: onFatal },
        ProjectorService,
      ],
      exports: [ProjectorService],
    };
  }
}
