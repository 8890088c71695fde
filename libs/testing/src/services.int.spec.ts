import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from './services';

describe('createTestDatabase', () => {
  it('creates an isolated database and drops it', async () => {
    const db = await createTestDatabase();
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query<{ db: string }>('select current_database() as db');
    expect(rows[0]?.db).toBe(db.name);
    await client.end();
    await db.drop();
    const admin = new pg.Client({ connectionString: db.url.replace(db.name, 'postgres') });
    await admin.connect();
    const left = await admin.query('select 1 from pg_database where datname = $1', [db.name]);
    expect(left.rowCount).toBe(0);
    await admin.end();
  });
});
