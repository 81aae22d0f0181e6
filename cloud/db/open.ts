import { migrate } from './migrations';
import type { Database } from './types';

/**
 * Opens the cloud's database: a real PostgreSQL when `databaseUrl` is given (DATABASE_URL),
 * otherwise embedded PGlite in `dataDir` (in memory when that is omitted too). Migrates it.
 */
export async function openDatabase(options: {
  databaseUrl?: string;
  dataDir?: string;
  schema?: string;
}): Promise<Database> {
  let db: Database;
  if (options.databaseUrl) {
    const { openPostgres } = await import('./postgres');
    db = await openPostgres(options.databaseUrl, options.schema ? { schema: options.schema } : {});
  } else {
    const { openPglite } = await import('./pglite');
    db = await openPglite(options.dataDir);
  }
  try {
    await migrate(db);
  } catch (e) {
    await db.close();
    throw e;
  }
  return db;
}
