import { Logger } from '@nestjs/common';
import { redactConfig } from '@bpane/config';
import { createGatewayApp } from './app';
import { gatewayConfigSpec, loadGatewayConfig } from './config';

const logger = new Logger('gateway');

const main = async (): Promise<void> => {
  const config = loadGatewayConfig();
  logger.log(`configuration: ${JSON.stringify(redactConfig(gatewayConfigSpec, config))}`);
  const gateway = await createGatewayApp(config);
  logger.log(`listening on ${gateway.url}`);
};

main().catch((error: unknown) => {
  logger.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
