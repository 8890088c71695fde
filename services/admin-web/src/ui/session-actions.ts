import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { ApiClient } from '../api/client';
import { keys, putSession } from '../api/queries';
import type { Session, SessionList, SessionState } from '../api/schema.gen';

export type SessionAction = 'stop' | 'release' | 'kill';

/** What the list shows while the command is in flight (the server has the last word). */
const OPTIMISTIC: Record<SessionAction, SessionState> = {
  stop: 'stopping',
  release: 'stopping',
  kill: 'stopping',
};

/** Why stop is not possible now, in words (from `stop_eligibility`). */
export const explainBlockers = (s: Session): string[] =>
  s.stop_eligibility.blockers.map((b) => {
    switch (b.code) {
      case 'active_connections':
        return `${b.count ?? 'some'} live connection(s) are open — disconnect them or use Kill.`;
      case 'automation_owner':
        return 'An automation client owns the session — clear the automation owner first, or use Kill.';
      case 'mcp_owner':
        return 'An MCP client holds the session — release it first, or use Kill.';
      case 'state':
        return `The session is ${s.state}: there is nothing to stop.`;
      default:
        return b.message;
    }
  });

/**
 * stop / release / kill with an optimistic state change: the caches are snapshotted and updated
 * at once, rolled back if the command is refused, and refetched when it settles.
 */
export function useSessionAction(api: ApiClient) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action }: { id: string; action: SessionAction }) =>
      api.send<Session>('POST', `/api/v1/sessions/${encodeURIComponent(id)}/${action}`),
    onMutate: async ({ id, action }) => {
      await qc.cancelQueries({ queryKey: keys.sessions });
      const lists = qc.getQueriesData<SessionList>({ queryKey: keys.sessionLists });
      const detail = qc.getQueryData<Session>(keys.session(id));
      const state = OPTIMISTIC[action];
      qc.setQueriesData<SessionList>({ queryKey: keys.sessionLists }, (list) =>
        list === undefined
          ? list
          : { ...list, items: list.items.map((x) => (x.id === id ? { ...x, state } : x)) },
      );
      if (detail !== undefined) qc.setQueryData(keys.session(id), { ...detail, state });
      return { lists, detail, id };
    },
    onError: (_e, _v, ctx) => {
      if (ctx === undefined) return;
      for (const [key, data] of ctx.lists) qc.setQueryData(key, data);
      if (ctx.detail !== undefined) qc.setQueryData(keys.session(ctx.id), ctx.detail);
    },
    onSuccess: (s) => {
      if (s !== undefined && typeof s === 'object' && 'id' in s) putSession(qc, s);
    },
    onSettled: () => qc.invalidateQueries({ queryKey: keys.sessions }),
  });
}
