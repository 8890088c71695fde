import { isBpaneError } from '@bpane/errors';
import { loadDispatcherConfig } from './config';
import { WebhookDispatcher } from './dispatcher';
import { jsonLogger } from './logger';

const logger = jsonLogger('webhook-dispatcher');

const main = async (): Promise<void> => {
  const dispatcher = new WebhookDispatcher({ config: loadDispatcherConfig(), logger });
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info('stopping', { signal });
    dispatcher.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('stop failed', { error });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  await dispatcher.start();
};

main().catch((error: unknown) => {
  logger.error('webhook dispatcher failed to start', {
    error,
    code: isBpaneError(error) ? error.code : undefined,
  });
  process.exit(1);
});
