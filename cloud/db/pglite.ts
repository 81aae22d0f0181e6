import { PGlite } from '@electric-sql/pglite';
import {
  PG_INT8_OID,
  PG_NUMERIC_OID,
  toSafeNumber,
  type Database,
  type Queryable,
  type QueryResult,
} from './types';

type PgliteLike = Pick<PGlite, 'query'>;

function wrap(conn: PgliteLike): Queryable {
  return {
    async query<T extends object>(
      sql: string,
      params: readonly unknown[] = [],
    ): Promise<QueryResult<T>> {
      const r = await conn.query<T>(sql, [...params]);
      return { rows: r.rows, affected: r.affectedRows ?? 0 };
    },
  };
}

/**
 * Embedded PostgreSQL (PGlite). `dataDir` persists to disk; omit it for an in-memory database
 * (tests). PGlite has a single connection and runs one transaction at a time, so concurrent
 * requests are serialised by PGlite itself; the row locks the service takes are still correct
 * on a real server, where they matter.
 */
export async function openPglite(dataDir?: string): Promise<Database> {
  const pg = await PGlite.create(dataDir, {
    parsers: { [PG_INT8_OID]: toSafeNumber, [PG_NUMERIC_OID]: toSafeNumber },
  });
  const outer = wrap(pg);
  return {
    kind: 'pglite',
    query: outer.query,
    transaction: (fn) => pg.transaction((tx) => fn(wrap(tx))),
    async exec(sql) {
      await pg.exec(sql);
    },
    close: () => pg.close(),
  };
}
