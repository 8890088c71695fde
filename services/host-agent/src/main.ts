import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadHostAgentConfig } from './config/host-agent-config';
import { HostAgentModule } from './host-agent.module';

/** Entry point: a Nest standalone application (no HTTP framework; the health server is node:http). */
const bootstrap = async (): Promise<void> => {
  const config = loadHostAgentConfig();
  const app = await NestFactory.createApplicationContext(HostAgentModule.forRoot(config), {
    logger: ['log', 'warn', 'error'],
  });
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
};

bootstrap().catch((e: unknown) => {
  new Logger('HostAgent').error((e as Error).stack ?? String(e));
  process.exit(1);
});
