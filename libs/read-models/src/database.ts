import { DataSource, type EntitySchema } from 'typeorm';
import { ReadModelError } from './errors';
import type { ProjectionTarget } from './projection';

export const DEFAULT_READ_MODEL_SCHEMA = 'read_models';
export const CHECKPOINT_CHANNEL = 'bpane_read_model_checkpoint';
export const SHADOW_SUFFIX = '__rebuild';

/** Host, port and database of a URL, without credentials (for error messages). */
const describeTarget = (url: string): string => {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
};

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

export const assertIdentifier = (name: string, what: string): string => {
  if (!IDENT.test(name)) {
    throw new ReadModelError(
      'invalid_identifier',
      `${what} ${JSON.stringify(name)} is not a valid identifier`,
      {
        details: { what, name },
      },
    );
  }
  return name;
};

export type ReadModelDatabaseOptions = Readonly<{
  url: string;
  /** Schema holding the read models and their checkpoints (default `read_models`). */
  schema?: string;
  entities?: readonly EntitySchema[];
  /** Connection pool size (default 5). */
  poolSize?: number;
  applicationName?: string;
}>;

/**
 * The read-model database: a TypeORM `DataSource` bound to one schema. Tables are created by the
 * projections' DDL (not by TypeORM synchronisation) so that rebuilds can create shadow copies.
 */
export class ReadModelDatabase {
  readonly schema: string;
  readonly dataSource: DataSource;
  readonly url: string;

  private constructor(url: string, schema: string, dataSource: DataSource) {
    this.url = url;
    this.schema = schema;
    this.dataSource = dataSource;
  }

  static async connect(options: ReadModelDatabaseOptions): Promise<ReadModelDatabase> {
    const schema = assertIdentifier(options.schema ?? DEFAULT_READ_MODEL_SCHEMA, 'schema');
    const dataSource = new DataSource({
      type: 'postgres',
      url: options.url,
      schema,
      entities: [...(options.entities ?? [])],
      synchronize: false,
      logging: false,
      poolSize: options.poolSize ?? 5,
      applicationName: options.applicationName ?? 'bpane-read-models',
    });
    try {
      await dataSource.initialize();
    } catch (cause) {
      throw new ReadModelError(
        'database_unavailable',
        `cannot connect to the read-model database ${describeTarget(options.url)}`,
        {
          cause,
        },
      );
    }
    const db = new ReadModelDatabase(options.url, schema, dataSource);
    await db.ensureBaseSchema();
    return db;
  }

  /** `"schema"."table"` for a validated table name. */
  qualified(table: string): string {
    return `"${this.schema}"."${assertIdentifier(table, 'table')}"`;
  }

  target(shadow: boolean): ProjectionTarget {
    return {
      schema: this.schema,
      table: (name) => this.qualified(shadow ? `${name}${SHADOW_SUFFIX}` : name),
    };
  }

  async ensureBaseSchema(): Promise<void> {
    // Serialised by an advisory lock: two processes starting at once must not race on DDL.
    await this.dataSource.transaction(async (m) => {
      await m.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`bpane-read-models:${this.schema}`]);
      await m.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await m.query(
        `CREATE TABLE IF NOT EXISTS ${this.qualified('checkpoints')} (
           projection text PRIMARY KEY,
           position bigint NOT NULL DEFAULT 0,
           version integer NOT NULL,
           updated_at timestamptz NOT NULL DEFAULT now()
         )`,
      );
    });
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }
}
