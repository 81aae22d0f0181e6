import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate, splitStatements } from './migrations';
import type { Database } from './types';

/**
 * Migration 3 on a database that already holds data from versions 1–2 (a cloud upgraded in
 * place): PGlite in memory, or a throwaway schema of DATABASE_URL's PostgreSQL.
 */
const url = process.env.DATABASE_URL;
const schema = `m_${randomBytes(6).toString('hex')}`;
let db: Database;

beforeAll(async () => {
  if (url) {
    const { openPostgres } = await import('./postgres');
    db = await openPostgres(url, { schema });
  } else {
    const { openPglite } = await import('./pglite');
    db = await openPglite();
  }
  await db.exec(`CREATE TABLE schema_migrations (
    version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  for (const m of MIGRATIONS.filter((m) => m.version < 3)) {
    for (const statement of splitStatements(m.sql)) await db.query(statement);
    await db.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
      m.version,
      m.name,
    ]);
  }
}, 60_000);
afterAll(async () => {
  await db?.close();
  if (url) await (await import('./postgres')).dropSchema(url, schema);
});

describe('migration 3', () => {
  it('keeps the rules of existing stores as their first version and mends heartbeats from the future', async () => {
    const settings = {
      storeName: 'Old',
      profileId: 'de',
      offline: { perPaymentLimit: 1, totalStoredCap: 2, maxAgeHours: 3 },
      matcher: {},
      managerPin: { salt: 'saltsalt', sha256: 'x' },
    };
    await db.query(
      `INSERT INTO stores (id, name, settings, settings_version) VALUES ('old', 'Old', $1::jsonb, 7)`,
      [JSON.stringify(settings)],
    );
    await db.query(
      `INSERT INTO terminals (id, store_id, device_id, lane_code, public_key) VALUES ('t1', 'old', 'd1', 'L01', '{}'::jsonb)`,
    );
    await db.query(
      `INSERT INTO lane_status (terminal_id, store_id, at, queue_depth, oldest_pending_at, app_version, scanner_state, received_at)
       VALUES ('t1', 'old', '2099-01-01T00:00:00Z', 3, '2099-01-01T00:00:00Z', '1', 'ready', '2026-03-02T12:00:00Z')`,
    );
    await db.query(
      `INSERT INTO store_daily_totals (store_id, day, currency, sales_count, gross) VALUES ('old', '2026-03-02', 'EUR', 2, 500)`,
    );
    expect(await migrate(db)).toEqual(
      MIGRATIONS.filter((m) => m.version >= 3).map((m) => m.version),
    );
    const history = await db.query<{ version: number; settings: unknown }>(
      'SELECT version, settings FROM store_settings_history',
    );
    expect(history.rows).toEqual([
      { version: 7, settings: { profileId: 'de', offline: settings.offline } },
    ]);
    const lane = await db.query<{ at: Date; oldest_pending_at: Date }>(
      'SELECT at, oldest_pending_at FROM lane_status',
    );
    expect(lane.rows[0]?.at.toISOString()).toBe('2026-03-02T12:00:00.000Z');
    expect(lane.rows[0]?.oldest_pending_at.toISOString()).toBe('2026-03-02T12:00:00.000Z');
    const totals = await db.query(
      'SELECT sales_count, gross, refunds_count, refunded FROM store_daily_totals',
    );
    expect(totals.rows).toEqual([{ sales_count: 2, gross: 500, refunds_count: 0, refunded: 0 }]);
    expect(await migrate(db)).toEqual([]);
  });
});

describe('splitStatements', () => {
  it('splits on a semicolon at a line end, drops comments, and keeps a $$ body whole', () => {
    const sql = `
-- a comment; with a semicolon
CREATE TABLE a (x int);
CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE a SET x = x + 1;
  RETURN NULL;
END
$$;
CREATE INDEX a_x ON a (x);
`;
    const parts = splitStatements(sql);
    expect(parts).toHaveLength(3);
    expect(parts[0]).toBe('CREATE TABLE a (x int)');
    expect(parts[1]).toContain('UPDATE a SET x = x + 1;\n  RETURN NULL;');
    expect(parts[1]!.endsWith('$$')).toBe(true);
    expect(parts[2]).toBe('CREATE INDEX a_x ON a (x)');
  });
});
