import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { isBpaneError } from '@bpane/errors';
import { loadProjectorConfig } from './config';
import { jsonLogger } from './logger';
import { ProjectorModule } from './projector.module';

const logger = jsonLogger('projector');

const main = async (): Promise<void> => {
  const config = loadProjectorConfig();
  logger.info('starting', {
    readModelSchema: config.readModelSchema,
    projections: config.projections.length === 0 ? 'all' : config.projections,
    batchSize: config.batchSize,
  });
  const holder: { app?: INestApplicationContext } = {};
  const fatal = (): void => {
    if (holder.app === undefined) process.exit(1);
    void holder.app.close().finally(() => process.exit(1));
  };
  holder.app = await NestFactory.createApplicationContext(ProjectorModule.forRoot(config, logger, fatal), {
    logger: ['error', 'warn'],
  });
  // SIGTERM/SIGINT: close the context (the projector finishes its batch and stops), exit 0.
  const app = holder.app;
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('stop failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
};

main().catch((error: unknown) => {
  logger.error('projector failed to start', { error, code: isBpaneError(error) ? error.code : undefined });
  process.exit(1);
});
