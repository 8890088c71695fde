import { useEffect, useState } from 'react';

/** The console's routes, under `/admin/`. */
export type Route =
  | { name: 'sessions' }
  | { name: 'projects' }
  | { name: 'identity' }
  | { name: 'webhooks' }
  | { name: 'events' }
  | { name: 'timeline'; stream: string };

export const BASE = '/admin/';

export const parseRoute = (pathname: string, search: string): Route => {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : '';
  const [first = ''] = rest.split('/');
  switch (first) {
    case 'projects':
      return { name: 'projects' };
    case 'identity':
      return { name: 'identity' };
    case 'webhooks':
      return { name: 'webhooks' };
    case 'events':
      return { name: 'events' };
    case 'timeline':
      return { name: 'timeline', stream: new URLSearchParams(search).get('stream') ?? '' };
    default:
      return { name: 'sessions' };
  }
};

export const hrefFor = (r: Route): string =>
  r.name === 'timeline'
    ? `${BASE}timeline?stream=${encodeURIComponent(r.stream)}`
    : r.name === 'sessions'
      ? `${BASE}sessions`
      : `${BASE}${r.name}`;

const listeners = new Set<() => void>();

export const navigate = (href: string): void => {
  history.pushState(null, '', href);
  for (const l of listeners) l();
};

/** The current route; follows navigate() and the back/forward buttons. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.pathname, location.search));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.pathname, location.search));
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return route;
}
