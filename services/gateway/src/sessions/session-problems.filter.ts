import { type ArgumentsHost, Catch, type ExceptionFilter } from '@nestjs/common';
import { SessionIllegalStateError } from '@bpane/domain-sessions';
import { BpaneError } from '@bpane/errors';
import type { FastifyReply } from 'fastify';
import { PROBLEM_CONTENT_TYPE, problem } from '../http/problem';

/** 409 problems of the sessions API that carry more than a code. */
export type SessionProblemCode = 'runtime_not_ready' | 'project_archived';

export class SessionProblemError extends BpaneError<SessionProblemCode> {}

/**
 * Renders session conflicts: an illegal transition carries the session `state` and, when a stop is
 * blocked, `stop_eligibility` with the blockers; `runtime_not_ready` and `project_archived` are 409s.
 */
@Catch(SessionIllegalStateError, SessionProblemError)
export class SessionProblemFilter implements ExceptionFilter {
  catch(error: SessionIllegalStateError | SessionProblemError, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const body =
      error instanceof SessionIllegalStateError
        ? {
            ...problem('illegal_state', error.message),
            state: error.sessionState,
            ...(error.blockers.length > 0
              ? { stop_eligibility: { allowed: false, blockers: error.blockers.map((b) => ({ ...b })) } }
              : {}),
          }
        : problem(error.code, error.message, { status: 409 });
    void reply.status(409).type(PROBLEM_CONTENT_TYPE).send(body);
  }
}
