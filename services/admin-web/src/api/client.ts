import { ApiError, toProblem } from './problem';

/** Supplies a current access token; `force` asks for a refreshed one after a 401. */
export type TokenSource = (force?: boolean) => Promise<string | undefined>;

export type ApiClient = Readonly<{
  get: <T>(path: string, signal?: AbortSignal) => Promise<T>;
  send: <T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown) => Promise<T>;
}>;

/**
 * Calls the v1 API with the bearer token from `tokens`. A 401 is retried once with a refreshed
 * token; any other failure becomes an `ApiError` holding the problem document.
 */
export const createApiClient = (
  tokens: TokenSource,
  base = '',
  fetchImpl: typeof fetch = (...a) => fetch(...a),
): ApiClient => {
  const call = async <T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> => {
    let res: Response | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = await tokens(attempt > 0);
      const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
      if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      try {
        res = await fetchImpl(`${base}${path}`, {
          method,
          headers,
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          ...(signal === undefined ? {} : { signal }),
        });
      } catch (e) {
        if (signal?.aborted === true) throw e;
        throw new ApiError(
          {
            type: 'about:blank',
            title: 'Network error',
            status: 0,
            code: 'network_error',
            detail: e instanceof Error ? e.message : String(e),
          },
          method,
          path,
        );
      }
      if (res.status !== 401 || token === undefined) break;
    }
    if (res === undefined) throw new Error('unreachable');
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    const parsed: unknown = text.length > 0 && type.includes('json') ? JSON.parse(text) : text;
    if (!res.ok) throw new ApiError(toProblem(res.status, parsed, res.statusText), method, path);
    return (text.length === 0 ? undefined : parsed) as T;
  };
  return {
    get: (path, signal) => call('GET', path, undefined, signal),
    send: (method, path, body) => call(method, path, body),
  };
};

/** A query string from the defined, non-empty values. */
export const query = (params: Readonly<Record<string, string | number | undefined>>): string => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s.length === 0 ? '' : `?${s}`;
};
