import {
  KIOSK_OFFLINE_AFTER_MS,
  type ConsoleDecision,
  type KioskStatusRequest,
} from '../common/kiosk/wire';
import type { Queryable } from './db/types';

/**
 * The store cloud's view of its self-checkout kiosks: each kiosk's latest report, and the
 * decisions attendants made at the console until the kiosk has applied them. Everything is in
 * the database, so any cloud instance serves any console and any kiosk.
 */
export interface KioskView {
  readonly terminalId: string;
  readonly laneCode: string;
  readonly online: boolean;
  readonly reportedAt: string;
  readonly status: KioskStatusRequest;
  /** Interventions an attendant already decided at the console (waiting for the kiosk). */
  readonly decided: readonly string[];
}

/** Records a kiosk's report and answers the console decisions it has not applied yet. */
export async function recordKioskStatus(
  db: Queryable,
  terminal: { terminalId: string; storeId: string },
  status: KioskStatusRequest,
  now: number,
): Promise<ConsoleDecision[]> {
  await db.query(
    `INSERT INTO kiosk_status (terminal_id, store_id, status, reported_at) VALUES ($1, $2, $3::jsonb, $4)
     ON CONFLICT (terminal_id) DO UPDATE SET store_id = $2, status = $3::jsonb, reported_at = $4`,
    [terminal.terminalId, terminal.storeId, JSON.stringify(status), new Date(now)],
  );
  if (status.applied.length > 0) {
    await db.query(
      `UPDATE kiosk_decisions SET applied_at = $3
       WHERE terminal_id = $1 AND id = ANY($2::bigint[]) AND applied_at IS NULL`,
      [terminal.terminalId, status.applied, new Date(now)],
    );
  }
  const pendingIds = status.interventions.map((i) => i.id);
  if (pendingIds.length === 0) return [];
  const r = await db.query<{
    id: string;
    intervention_id: string;
    decision: 'approve' | 'deny';
    staff_id: string;
    staff_name: string;
    staff_role: 'manager' | 'attendant';
  }>(
    `SELECT id, intervention_id, decision, staff_id, staff_name, staff_role FROM kiosk_decisions
     WHERE terminal_id = $1 AND applied_at IS NULL AND intervention_id = ANY($2::text[])
     ORDER BY id`,
    [terminal.terminalId, pendingIds],
  );
  return r.rows.map((d) => ({
    decisionId: Number(d.id),
    interventionId: d.intervention_id,
    decision: d.decision,
    by: { id: d.staff_id, name: d.staff_name, role: d.staff_role },
  }));
}

/** Every kiosk of a store that has ever reported, offline ones marked. */
export async function storeKiosks(
  db: Queryable,
  storeId: string,
  now: number,
): Promise<KioskView[]> {
  const r = await db.query<{
    terminal_id: string;
    lane_code: string;
    status: KioskStatusRequest;
    reported_at: Date;
  }>(
    `SELECT k.terminal_id, t.lane_code, k.status, k.reported_at FROM kiosk_status k
     JOIN terminals t ON t.id = k.terminal_id AND t.store_id = k.store_id
     WHERE k.store_id = $1 AND t.revoked_at IS NULL ORDER BY t.lane_code, k.terminal_id`,
    [storeId],
  );
  const decided = await db.query<{ terminal_id: string; intervention_id: string }>(
    `SELECT terminal_id, intervention_id FROM kiosk_decisions WHERE store_id = $1 AND applied_at IS NULL`,
    [storeId],
  );
  return r.rows.map((row) => ({
    terminalId: row.terminal_id,
    laneCode: row.lane_code,
    online: now - new Date(row.reported_at).getTime() < KIOSK_OFFLINE_AFTER_MS,
    reportedAt: new Date(row.reported_at).toISOString(),
    status: row.status,
    decided: decided.rows
      .filter((d) => d.terminal_id === row.terminal_id)
      .map((d) => d.intervention_id),
  }));
}

export type DecisionOutcome = 'recorded' | 'already-decided' | 'not-pending' | 'no-such-kiosk';

/**
 * An attendant's decision from the console: only for a kiosk of their store, and only for an
 * intervention that kiosk last reported as pending. The first decision for an intervention wins.
 */
export async function decideIntervention(
  db: Queryable,
  d: {
    storeId: string;
    terminalId: string;
    interventionId: string;
    decision: 'approve' | 'deny';
    by: { id: string; name: string; role: string };
  },
  now: number,
): Promise<DecisionOutcome> {
  const k = await db.query<{ status: KioskStatusRequest }>(
    'SELECT status FROM kiosk_status WHERE terminal_id = $1 AND store_id = $2',
    [d.terminalId, d.storeId],
  );
  const row = k.rows[0];
  if (!row) return 'no-such-kiosk';
  if (!row.status.interventions.some((i) => i.id === d.interventionId)) return 'not-pending';
  const r = await db.query(
    `INSERT INTO kiosk_decisions (store_id, terminal_id, intervention_id, decision, staff_id, staff_name, staff_role, decided_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (terminal_id, intervention_id) DO NOTHING RETURNING id`,
    [
      d.storeId,
      d.terminalId,
      d.interventionId,
      d.decision,
      d.by.id,
      d.by.name,
      d.by.role,
      new Date(now),
    ],
  );
  return r.rows.length > 0 ? 'recorded' : 'already-decided';
}
