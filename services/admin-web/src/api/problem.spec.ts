import { describe, expect, it } from 'vitest';
import { keysForStream } from './queries';
import { problemKind, toProblem } from './problem';
import { parseRoute, hrefFor } from '../ui/router';

describe('problem kinds', () => {
  it('tells deployment problems from refused requests and server faults', () => {
    const p = (status: number, code: string) => ({ type: 'x', title: 't', status, code });
    for (const code of [
      'host_browser_bridge_unavailable',
      'runtime_unavailable',
      'read_model_timeout',
      'identity_provider_unavailable',
    ])
      expect(problemKind(p(503, code))).toBe('deployment');
    expect(problemKind(p(409, 'illegal_state'))).toBe('user');
    expect(problemKind(p(400, 'validation_failed'))).toBe('user');
    expect(problemKind(p(500, 'internal'))).toBe('server');
  });

  it('makes a problem out of a body that is not one', () => {
    expect(toProblem(502, 'Bad Gateway')).toMatchObject({
      status: 502,
      code: 'internal',
      detail: 'Bad Gateway',
    });
    expect(toProblem(503, '')).toMatchObject({ code: 'service_unavailable' });
  });
});

describe('routes and cache keys', () => {
  it('parses and prints routes under /admin/', () => {
    expect(parseRoute('/admin/', '')).toEqual({ name: 'sessions' });
    expect(parseRoute('/admin/projects', '')).toEqual({ name: 'projects' });
    const t = { name: 'timeline', stream: 'session-a b' } as const;
    const href = hrefFor(t);
    const u = new URL(href, 'http://x');
    expect(parseRoute(u.pathname, u.search)).toEqual(t);
  });

  it('invalidates the families an event stream feeds', () => {
    expect(keysForStream('session-1')).toEqual([
      ['sessions'],
      ['projects'],
      ['events', 'stream', 'session-1'],
    ]);
    expect(keysForStream('servicePrincipal-1')[0]).toEqual(['identity']);
  });
});
