/**
 * Test fixture: a projector process running the `projects` projection plus a deliberately
 * NON-idempotent counting projection (`count = count + 1`, no position guard). If a batch could be
 * applied twice or its checkpoint lost, the counts would drift from the log. Used by
 * `projector-crash.int.spec.ts`; configured by BPANE_TEST_PG_URL_CHILD.
 */
import { createPostgresEventStore } from '@bpane/event-store';
import { ReadModelDatabase } from '../database';
import type { Projection } from '../projection';
import { Projector } from '../projector';
import { projectsProjection } from '../projects/projects.projection';

export const countingProjection: Projection = {
  name: 'stream_counts',
  version: 1,
  tables: [
    {
      name: 'stream_counts',
      ddl: (t) => [`CREATE TABLE ${t} (stream_id text PRIMARY KEY, events integer NOT NULL)`],
    },
  ],
  canHandle: () => true,
  apply: async (event, m, target) => {
    await m.query(
      `INSERT INTO ${target.table('stream_counts')} (stream_id, events) VALUES ($1, 1)
       ON CONFLICT (stream_id) DO UPDATE SET events = ${target.table('stream_counts')}.events + 1`,
      [event.streamId],
    );
  },
};

const url = process.env['BPANE_TEST_PG_URL_CHILD'];
if (url !== undefined) {
  const store = await createPostgresEventStore({ connectionString: url });
  const db = await ReadModelDatabase.connect({ url });
  const projector = new Projector({
    store,
    db,
    projections: [projectsProjection, countingProjection],
    batchSize: 200,
  });
  await projector.start();
  process.stderr.write('child projector started\n');
  await projector.done;
}
