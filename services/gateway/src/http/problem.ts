import { isBpaneError } from '@bpane/errors';

/**
 * Maps every coded error to RFC 9457 problem details, once. Domain code throws `BpaneError`s with a
 * literal-union `code`; the HTTP status is derived here and nowhere else.
 */
export type Problem = {
  type: string;
  title: string;
  status: number;
  code: string;
  detail?: string;
  errors?: { field: string; message: string }[];
};

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  validation_failed: 400,
  bad_request: 400,
  invalid_json: 400,
  invalid_event: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  stream_not_found: 404,
  route_not_found: 404,
  method_not_allowed: 405,
  not_acceptable: 406,
  illegal_state: 409,
  conflict: 409,
  idempotency_conflict: 409,
  wrong_expected_version: 409,
  quota_exceeded: 409,
  service_principal_disabled: 409,
  payload_too_large: 413,
  uri_too_long: 414,
  headers_too_large: 431,
  unsupported_media_type: 415,
  rate_limited: 429,
  store_unavailable: 503,
  store_closed: 503,
  dependency_unavailable: 503,
  host_browser_bridge_unavailable: 503,
  read_model_timeout: 503,
  invalid_query: 400,
  invalid_position: 400,
  identity_provider_unavailable: 503,
  service_token_failed: 502,
};

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  414: 'URI Too Long',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const statusForCode = (code: string): number => STATUS_BY_CODE[code] ?? 500;

export const problem = (
  code: string,
  detail: string,
  extra?: { status?: number; errors?: { field: string; message: string }[] },
): Problem => {
  const status = extra?.status ?? statusForCode(code);
  return {
    type: `https://browserpane.dev/problems/${code.replace(/_/g, '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    code,
    detail,
    ...(extra?.errors && extra.errors.length > 0 ? { errors: extra.errors } : {}),
  };
};

type FastifyLikeError = Error & { statusCode?: number; code?: string; validation?: unknown };

/**
 * Converts anything thrown while serving a request into a problem. Unknown errors become a generic
 * 500 whose detail reveals nothing internal; the caller logs the original.
 */
export const toProblem = (error: unknown): Problem => {
  if (isBpaneError(error)) {
    const details = error.details as { violations?: { field: string; message: string }[] } | undefined;
    return problem(
      error.code,
      error.message,
      details?.violations ? { errors: [...details.violations] } : undefined,
    );
  }
  const e = error as FastifyLikeError;
  if (e instanceof Error && typeof e.code === 'string' && e.code.startsWith('FST_')) {
    switch (e.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return problem('invalid_json', `the request body is not valid JSON: ${e.message}`);
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return problem('payload_too_large', 'the request body is larger than the configured limit');
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return problem('unsupported_media_type', 'send the body as application/json');
      case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
        return problem('bad_request', 'Content-Length does not match the body');
      default:
        if (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500)
          return problem('bad_request', e.message, { status: e.statusCode });
    }
  }
  // Nest HttpExceptions (e.g. from a guard or a pipe) carry getStatus().
  const maybeHttp = error as { getStatus?: () => number; message?: string };
  if (typeof maybeHttp.getStatus === 'function') {
    const status = maybeHttp.getStatus();
    if (status === 404) return problem('route_not_found', 'no such route');
    if (status < 500) return problem('bad_request', maybeHttp.message ?? 'bad request', { status });
  }
  if (e instanceof SyntaxError)
    return problem('invalid_json', `the request body is not valid JSON: ${e.message}`);
  return problem('internal', 'an internal error occurred; it has been logged', { status: 500 });
};
