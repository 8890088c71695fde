import 'reflect-metadata';
import { Logger, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ApiContract } from '@bpane/api-contract';
import { createTokenVerifier, type TokenVerifier } from '@bpane/auth';
import { createEventStore, eventStoreConfigFromEnv } from '@bpane/event-store';
import { ProjectionPositions, ReadModelDatabase, readModelEntities } from '@bpane/read-models';
import { AppModule } from './app.module';
import type { GatewayConfig } from './config';
import { installContractHooks, installProblemErrorHandler } from './http/contract-hooks';
import { PROBLEM_CONTENT_TYPE, problem } from './http/problem';
import type { GatewayInfra } from './infra/infra.module';

export type GatewayApp = Readonly<{
  app: NestFastifyApplication;
  /** Base URL the gateway listens on, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** Routes Fastify serves, as `METHOD /path/:param` (for the contract drift check). */
  routes: readonly string[];
  contract: ApiContract;
  close: () => Promise<void>;
}>;

export type GatewayOverrides = Readonly<{
  infra?: GatewayInfra;
  verifier?: TokenVerifier;
  contract?: ApiContract;
  logLevels?: LogLevel[];
}>;

const LEVELS: Record<GatewayConfig['logLevel'], LogLevel[]> = {
  error: ['fatal', 'error'],
  warn: ['fatal', 'error', 'warn'],
  info: ['fatal', 'error', 'warn', 'log'],
  debug: ['fatal', 'error', 'warn', 'log', 'debug', 'verbose'],
};

/** Connects the gateway's infrastructure from its configuration. */
export const connectInfra = async (config: GatewayConfig, env = process.env): Promise<GatewayInfra> => {
  const store = await createEventStore({
    ...eventStoreConfigFromEnv(env),
    ...(config.eventStore === 'postgres' ? { kind: 'postgres', connectionString: config.pgUrl } : {}),
  });
  const url = config.readModelPgUrl ?? config.pgUrl;
  const readModels = await ReadModelDatabase.connect({
    url,
    entities: readModelEntities,
    applicationName: 'bpane-gateway',
  });
  const positions = new ProjectionPositions({ url });
  return { store, readModels, positions };
};

/** Builds and starts the gateway: Nest on Fastify, contract validation, problem+json errors. */
export const createGatewayApp = async (
  config: GatewayConfig,
  overrides: GatewayOverrides = {},
): Promise<GatewayApp> => {
  const contract = overrides.contract ?? ApiContract.load();
  const infra = overrides.infra ?? (await connectInfra(config));
  const verifier =
    overrides.verifier ??
    createTokenVerifier({
      issuer: config.oidcIssuer,
      audience: config.oidcAudience,
      ...(config.oidcJwksUri === undefined ? {} : { jwksUri: config.oidcJwksUri }),
    });
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: false,
    return503OnClosing: true,
    // Router-level failures (bad URL encoding, over-long path parameters) as problems too.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      const p = tooLong
        ? problem('uri_too_long', 'a path parameter is too long')
        : problem('bad_request', 'the request URL is malformed');
      void reply.status(p.status).type(PROBLEM_CONTENT_TYPE).send(p);
    },
    // Errors Node's HTTP parser reports before Fastify sees a request (e.g. oversized headers).
    clientErrorHandler: (error, socket) => {
      if (!socket.writable) {
        socket.destroy();
        return;
      }
      const overflow = (error as { code?: string }).code === 'HPE_HEADER_OVERFLOW';
      const p = overflow
        ? problem('headers_too_large', 'the request headers are too large')
        : problem('bad_request', 'the request could not be parsed');
      const body = JSON.stringify(p);
      const reason = overflow ? 'Request Header Fields Too Large' : 'Bad Request';
      socket.end(
        `HTTP/1.1 ${p.status} ${reason}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    },
  });
  const fastify = adapter.getInstance();
  const routes: string[] = [];
  fastify.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const m of methods) if (m !== 'HEAD') routes.push(`${m} ${route.url}`);
  });
  const logger = new Logger('gateway');
  installContractHooks(fastify, contract);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config, infra, verifier),
    adapter,
    {
      logger: overrides.logLevels ?? LEVELS[config.logLevel],
      abortOnError: false,
      // Fastify's own JSON parser: its typed errors (invalid JSON, too large) map to precise problems.
      bodyParser: false,
    },
  );
  app.enableShutdownHooks();
  await app.init();
  installProblemErrorHandler(fastify, (message, error) =>
    logger.error(`${message}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  );
  await app.listen({ host: config.host, port: config.port });
  const address = fastify.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return {
    app,
    url: `http://${host}:${port}`,
    routes,
    contract,
    close: async () => {
      await app.close();
    },
  };
};
