import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { ApiClient } from '../api/client';
import { keysForStream } from '../api/queries';
import type { AdminEventsTicket } from '../api/schema.gen';
import { AdminEventsFeed, feedUrl, type FeedStatus } from '../realtime/admin-events';

const POSITION_KEY = 'bpane-admin.events-position';

/** Keeps the caches current from the admin events feed; returns the feed's status. */
export function useAdminEvents(api: ApiClient): { status: FeedStatus; detail: string | undefined } {
  const qc = useQueryClient();
  const [status, setStatus] = useState<{ status: FeedStatus; detail: string | undefined }>({
    status: 'connecting',
    detail: undefined,
  });
  useEffect(() => {
    const after = sessionStorage.getItem(POSITION_KEY) ?? undefined;
    const feed = new AdminEventsFeed({
      url: feedUrl(location.origin),
      ticket: async () =>
        (await api.send<AdminEventsTicket>('POST', '/api/v1/admin/events/access-tokens')).ticket,
      ...(after === undefined ? {} : { after }),
      onEvent: (e) => {
        sessionStorage.setItem(POSITION_KEY, e.position);
        for (const queryKey of keysForStream(e.stream_id)) void qc.invalidateQueries({ queryKey });
      },
      onStatus: (s, detail) => setStatus({ status: s, detail }),
    });
    feed.start();
    return () => feed.stop();
  }, [api, qc]);
  return status;
}
