import { type ApiContract } from '@bpane/api-contract';
import { BpaneError } from '@bpane/errors';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, toProblem } from './problem';

/** The contract operation a request was routed to (set by the validation hook). */
export const operationOf = (request: FastifyRequest) =>
  (request as FastifyRequest & { bpaneOperation?: ReturnType<ApiContract['find']> }).bpaneOperation;

/**
 * Every request routed to a contract operation is validated against the OpenAPI document (path,
 * query, headers, JSON body; unknown fields and parameters refused) before any guard or handler.
 */
export const installContractHooks = (fastify: FastifyInstance, contract: ApiContract): void => {
  fastify.addHook('preValidation', (request, _reply, done) => {
    const route = request.routeOptions.url;
    const op = route === undefined ? undefined : contract.find(request.method, route);
    if (op === undefined) return done();
    (request as FastifyRequest & { bpaneOperation?: typeof op }).bpaneOperation = op;
    const type = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (op.hasBody && type !== '' && type !== 'application/json') {
      return done(
        new BpaneError(
          'unsupported_media_type',
          `send the body as application/json (got ${type.slice(0, 100)})`,
        ),
      );
    }
    const errors = contract.validateRequest(op, {
      params: request.params as Record<string, unknown>,
      query: request.query as Record<string, unknown>,
      headers: request.headers,
      body: request.body,
    });
    if (errors.length > 0) {
      const summary = errors
        .slice(0, 5)
        .map((e) => `${e.field} ${e.message}`)
        .join('; ');
      return done(
        new BpaneError('validation_failed', `invalid request: ${summary}`, {
          details: { violations: errors },
        }),
      );
    }
    done();
  });
};

/**
 * Renders errors that happen outside Nest's handlers (body parsing, contract validation) as
 * problem+json. Installed after Nest's initialisation so that it replaces the adapter's handler.
 */
export const installProblemErrorHandler = (
  fastify: FastifyInstance,
  log: (message: string, error: unknown) => void,
): void => {
  fastify.setErrorHandler((error, request, reply) => {
    const p = toProblem(error);
    if (p.status >= 500) log(`${request.method} ${request.url} failed`, error);
    void reply.status(p.status).type(PROBLEM_CONTENT_TYPE).send(p);
  });
};
