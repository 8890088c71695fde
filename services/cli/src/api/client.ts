import { BpaneError } from '@bpane/errors';
import { CliError } from '../errors';
import { type ResolvedSettings } from '../settings';

/**
 * A problem+json answer of the BrowserPane API, raised as a CLI error: `code` is the API's stable
 * error code (`not_found`, `validation_failed`, …), `details` carries the HTTP status, the problem
 * type and the field errors. Exits with 1.
 */
export class ApiError extends BpaneError {}

export type FieldError = Readonly<{ field: string; message: string }>;

type Problem = Readonly<{
  type?: unknown;
  title?: unknown;
  status?: unknown;
  code?: unknown;
  detail?: unknown;
  errors?: unknown;
}>;

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export type RequestOptions = Readonly<{
  query?: Query;
  body?: unknown;
  idempotencyKey?: string;
}>;

export type ApiClient = Readonly<{
  baseUrl: string;
  request: <T = unknown>(method: string, path: string, options?: RequestOptions) => Promise<T>;
  get: <T = unknown>(path: string, query?: Query) => Promise<T>;
  post: <T = unknown>(path: string, body?: unknown, idempotencyKey?: string) => Promise<T>;
  put: <T = unknown>(path: string, body: unknown) => Promise<T>;
  del: (path: string) => Promise<void>;
}>;

const isFieldError = (v: unknown): v is FieldError =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { field?: unknown }).field === 'string' &&
  typeof (v as { message?: unknown }).message === 'string';

/** Turns an error response into an `ApiError` (problem+json, or whatever the server sent). */
export const problemToError = (status: number, contentType: string, text: string): ApiError => {
  let problem: Problem | undefined;
  if (contentType.includes('json') && text.length > 0) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) problem = parsed;
    } catch {
      problem = undefined;
    }
  }
  const code = typeof problem?.code === 'string' ? problem.code : `http_${status}`;
  const title = typeof problem?.title === 'string' ? problem.title : `HTTP ${status}`;
  const detail = typeof problem?.detail === 'string' ? problem.detail : undefined;
  const errors = Array.isArray(problem?.errors) ? problem.errors.filter(isFieldError) : [];
  const lines = [
    `${title} (${code}, HTTP ${status})${detail === undefined ? '' : `: ${detail}`}`,
    ...errors.map((e) => `  ${e.field}: ${e.message}`),
  ];
  return new ApiError(code, lines.join('\n'), {
    details: {
      status,
      ...(typeof problem?.type === 'string' ? { type: problem.type } : {}),
      title,
      ...(detail === undefined ? {} : { detail }),
      ...(errors.length > 0 ? { errors } : {}),
    },
  });
};

const buildUrl = (baseUrl: string, path: string, query: Query | undefined): string => {
  const url = new URL(path, `${baseUrl.replace(/\/+$/, '')}/`);
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  return url.href;
};

/** A client for the HTTP API at `baseUrl`, sending `token` as bearer token when given. */
export const createApiClient = (
  baseUrl: string,
  token: string | undefined,
  signal?: AbortSignal,
): ApiClient => {
  const request = async <T>(method: string, path: string, options: RequestOptions = {}): Promise<T> => {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const url = buildUrl(baseUrl, path, options.query);
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body }),
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (cause) {
      throw new CliError('unavailable', `cannot reach the BrowserPane API at ${baseUrl}`, {
        cause,
        details: { apiUrl: baseUrl },
      });
    }
    const text = await res.text();
    const contentType = res.headers.get('content-type') ?? '';
    if (!res.ok) throw problemToError(res.status, contentType, text);
    if (text.length === 0) return undefined as T;
    if (!contentType.includes('json'))
      throw new CliError('failed', `unexpected ${contentType || 'untyped'} answer from ${method} ${path}`);
    return JSON.parse(text) as T;
  };
  return {
    baseUrl,
    request,
    get: (path, query) => request('GET', path, query === undefined ? {} : { query }),
    post: (path, body, idempotencyKey) =>
      request('POST', path, {
        ...(body === undefined ? {} : { body }),
        ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
      }),
    put: (path, body) => request('PUT', path, { body }),
    del: async (path) => {
      await request('DELETE', path);
    },
  };
};

/** The API URL the settings point at, without a trailing slash. */
export const apiUrlOf = (settings: ResolvedSettings): string =>
  (settings.get('apiUrl') ?? 'http://localhost:8080').replace(/\/+$/, '');

/** A client from the resolved settings; without an access token it is a `config` error. */
export const apiClientFor = (settings: ResolvedSettings, signal?: AbortSignal): ApiClient => {
  const token = settings.get('accessToken');
  if (token === undefined || token === '') {
    throw new CliError(
      'config',
      'no access token: run `bpane login`, set BPANE_ACCESS_TOKEN, or save one in the profile with `bpane login --save-token`',
    );
  }
  return createApiClient(apiUrlOf(settings), token, signal);
};
