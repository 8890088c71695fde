import { isBpaneError } from '@bpane/errors';
import { loadPublisherConfig } from './config';
import { jsonLogger } from './logger';
import { startPublisher } from './publisher-app';

const logger = jsonLogger('publisher');

const main = async (): Promise<void> => {
  const config = loadPublisherConfig();
  const app = await startPublisher(config, logger);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('stop failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  await app.done;
};

main().catch((error: unknown) => {
  logger.error('publisher failed to start', { error, code: isBpaneError(error) ? error.code : undefined });
  process.exit(1);
});
