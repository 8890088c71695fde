import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { principalOf, UnauthenticatedError, type Principal } from '@bpane/auth';
import type { CommandMetadata } from '@bpane/ddd';
import type { FastifyRequest } from 'fastify';

/**
 * Everything impure a command needs, taken from the request: the caller, the owner id used for
 * scoping, the clock and the correlation id. Deciders get these through command metadata.
 */
export type RequestContext = Readonly<{
  principal: Principal;
  /** Owner scope of everything the caller creates or reads: the token's subject. */
  ownerId: string;
  correlationId: string;
  now: () => Date;
}>;

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,100}$/;

export const requestContextOf = (request: FastifyRequest): RequestContext => {
  const principal = principalOf(request);
  if (principal === undefined) throw new UnauthenticatedError('missing', 'a bearer token is required');
  const header = request.headers['x-request-id'];
  const correlationId = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
  return { principal, ownerId: principal.subject, correlationId, now: () => new Date() };
};

/** Route parameter decorator: the request's `RequestContext`. */
export const Ctx = createParamDecorator((_: unknown, ctx: ExecutionContext): RequestContext =>
  requestContextOf(ctx.switchToHttp().getRequest<FastifyRequest>()),
);

export const commandMetadata = (ctx: RequestContext, idempotencyKey?: string): CommandMetadata => ({
  now: ctx.now().toISOString(),
  actor: { kind: ctx.principal.kind === 'service' ? 'service' : 'user', id: ctx.ownerId },
  correlationId: ctx.correlationId,
  causationId: null,
  ownerId: ctx.ownerId,
  ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
});
