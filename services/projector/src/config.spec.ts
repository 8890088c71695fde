import { describe, expect, it } from 'vitest';
import { DEFAULT_PG_URL, loadProjectorConfig } from './config';

describe('projector config', () => {
  it('has documented defaults and reads the read models from the event-store database', () => {
    const c = loadProjectorConfig({});
    expect(c).toMatchObject({
      pgUrl: DEFAULT_PG_URL,
      readModelPgUrl: DEFAULT_PG_URL,
      readModelSchema: 'read_models',
      projections: [],
      batchSize: 500,
      lingerMs: 5,
      logIntervalMs: 10_000,
      eventStore: { kind: 'postgres', connectionString: DEFAULT_PG_URL },
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('lets the read models live in another database', () => {
    const c = loadProjectorConfig({
      BPANE_PG_URL: 'postgres://a@db1:5432/es',
      BPANE_READ_MODEL_PG_URL: 'postgres://b@db2:5432/rm',
      BPANE_PROJECTOR_PROJECTIONS: 'projects',
    });
    expect(c.readModelPgUrl).toBe('postgres://b@db2:5432/rm');
    expect(c.eventStore).toMatchObject({ connectionString: 'postgres://a@db1:5432/es' });
    expect(c.projections).toEqual(['projects']);
  });

  it('rejects bad values with one typed error listing every problem', () => {
    let error: unknown;
    try {
      loadProjectorConfig({ BPANE_READ_MODEL_PG_URL: 'http://x', BPANE_PROJECTOR_BATCH_SIZE: '0' });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'invalid_config' });
    const problems = (error as { problems: string[] }).problems;
    expect(problems.some((p) => p.includes('BPANE_READ_MODEL_PG_URL'))).toBe(true);
    expect(problems.some((p) => p.includes('BPANE_PROJECTOR_BATCH_SIZE'))).toBe(true);
  });
});
