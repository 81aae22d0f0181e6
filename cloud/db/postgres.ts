import pg from 'pg';
import {
  PG_INT8_OID,
  PG_NUMERIC_OID,
  toSafeNumber,
  type Database,
  type Queryable,
  type QueryResult,
} from './types';

type Client = Pick<pg.PoolClient, 'query'>;

function wrap(conn: Client): Queryable {
  return {
    async query<T extends object>(
      sql: string,
      params: readonly unknown[] = [],
    ): Promise<QueryResult<T>> {
      const r = await conn.query({ text: sql, values: [...params], types: TYPES });
      return { rows: r.rows as T[], affected: r.rowCount ?? 0 };
    },
  };
}

/** int8 and numeric as numbers (node-postgres returns strings by default). */
const TYPES = {
  getTypeParser(oid: number, format?: string) {
    if (oid === PG_INT8_OID || oid === PG_NUMERIC_OID) return toSafeNumber;
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

/**
 * A real PostgreSQL through a connection pool. Service instances are stateless, so any number of
 * them can share one database; correctness comes from transactions and row locks, not memory.
 * `schema` (tests) isolates a run in its own schema via search_path.
 */
export async function openPostgres(
  connectionString: string,
  options: { schema?: string; max?: number } = {},
): Promise<Database> {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  if (options.schema) {
    if (!/^[a-z_][a-z0-9_]*$/.test(options.schema))
      throw new Error(`Bad schema name ${options.schema}`);
    const admin = new pg.Client({ connectionString });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
    } finally {
      await admin.end();
    }
  }
  const outer = wrap(pool);
  return {
    kind: 'postgres',
    query: outer.query,
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    async exec(sql) {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

/** Drops a test schema created by `openPostgres(url, { schema })`. */
export async function dropSchema(connectionString: string, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`Bad schema name ${schema}`);
  const admin = new pg.Client({ connectionString });
  await admin.connect();
  try {
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await admin.end();
  }
}
