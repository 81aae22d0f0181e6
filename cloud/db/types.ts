/**
 * The one database interface the cloud is written against. Two adapters implement it: PGlite
 * (embedded Postgres in WebAssembly, the default: no setup) and node-postgres (a real server,
 * when DATABASE_URL is set). Both speak the same SQL, so there is one set of migrations.
 *
 * int8 columns come back as JS numbers from both adapters (ids and minor units stay far below
 * 2^53); timestamptz columns come back as Date.
 */
export interface Queryable {
  query<T extends object = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<QueryResult<T>>;
}

export interface QueryResult<T> {
  readonly rows: T[];
  /** Rows inserted, updated or deleted by the statement (0 for a SELECT in some drivers). */
  readonly affected: number;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Runs `fn` in one transaction (READ COMMITTED): commits when it resolves, rolls back when it
   * throws. Code inside must use `tx`, never the outer database, or it runs outside the transaction.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Runs a multi-statement script (migrations) without parameters. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

/** Postgres type OIDs the adapters parse themselves. */
export const PG_INT8_OID = 20;
export const PG_NUMERIC_OID = 1700;

export function toSafeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new RangeError(`Not a number: ${value}`);
  return n;
}
