import type { Problem } from './schema.gen';

/** Problem codes that mean the deployment or its configuration is at fault, not the request. */
export const DEPLOYMENT_CODES: ReadonlySet<string> = new Set([
  'host_browser_bridge_unavailable',
  'runtime_unavailable',
  'read_model_timeout',
  'identity_provider_unavailable',
  'dependency_unavailable',
  'service_unavailable',
]);

/** How a failure is presented: a deployment problem, a refused request, or an unexpected server fault. */
export type ProblemKind = 'deployment' | 'user' | 'server' | 'network';

export const problemKind = (p: Problem): ProblemKind => {
  if (p.code === 'network_error') return 'network';
  if (DEPLOYMENT_CODES.has(p.code) || p.status === 503) return 'deployment';
  if (p.status >= 400 && p.status < 500) return 'user';
  return 'server';
};

/** A failed API call, carrying the problem document the server answered with. */
export class ApiError extends Error {
  constructor(
    readonly problem: Problem,
    readonly method: string,
    readonly path: string,
  ) {
    super(`${problem.status} ${problem.code}: ${problem.detail ?? problem.title}`);
    this.name = 'ApiError';
  }

  get kind(): ProblemKind {
    return problemKind(this.problem);
  }
}

const isProblem = (v: unknown): v is Problem =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as Problem).status === 'number' &&
  typeof (v as Problem).code === 'string';

/** The problem document for a response body, or one made up from the status when the body is not one. */
export const toProblem = (status: number, body: unknown, statusText = ''): Problem =>
  isProblem(body)
    ? body
    : {
        type: 'about:blank',
        title: statusText || `HTTP ${status}`,
        status,
        code: status === 503 ? 'service_unavailable' : status >= 500 ? 'internal' : 'http_error',
        detail:
          typeof body === 'string' && body.length > 0 ? body.slice(0, 500) : `the server answered ${status}`,
      };

/** Text a user can copy into a bug report: the request and the whole problem document. */
export const problemReport = (e: ApiError): string =>
  `${e.method} ${e.path}\n${JSON.stringify(e.problem, null, 2)}`;
