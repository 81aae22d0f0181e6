import {
  MUTATION_PAYLOADS,
  describeZodError,
  type HeartbeatPayload,
  type MutationKind,
  type MutationOutcome,
  type MutationPayload,
  type PushRequest,
  type PushResponse,
  type WireMutation,
} from '../common/sync/protocol';
import type { AuthenticatedTerminal } from './auth';
import type { Database, Queryable } from './db/types';
import { HttpError } from './errors';

/** A permanent refusal of one mutation: recorded as processed with its reason, never retried. */
class Rejection extends Error {}

const isKind = (k: string): k is MutationKind => Object.hasOwn(MUTATION_PAYLOADS, k);

/**
 * Applies a push, Replicache-style, in ONE transaction: every new mutation's effect, its row in
 * `mutations` and the terminal's last applied number commit together or not at all. The terminal
 * row is locked first, so two concurrent pushes from one terminal run one after the other.
 * - ids ≤ last processed are repeats: answered with their first outcome, applied again never;
 * - a first new id above last + 1 is a gap: 409 and nothing written (the lane lost a mutation);
 * - a mutation that can never apply is rejected for good and still counts as processed.
 */
export async function applyPush(db: Database, terminal: AuthenticatedTerminal, req: PushRequest): Promise<PushResponse> {
  return db.transaction(async (tx) => {
    const locked = await tx.query<{ last_mutation_id: number }>(
      'SELECT last_mutation_id FROM terminals WHERE id = $1 FOR UPDATE',
      [terminal.terminalId],
    );
    let last = locked.rows[0]?.last_mutation_id ?? 0;
    const startedAt = last;
    const fresh = req.mutations.filter((m) => m.mutationId > last);
    const firstFresh = fresh[0];
    if (firstFresh && firstFresh.mutationId !== last + 1) {
      throw new HttpError(409, 'MUTATION_GAP', `Expected mutation ${last + 1}, got ${firstFresh.mutationId}`, {
        lastMutationId: last,
      });
    }
    const results: MutationOutcome[] = [];
    const repeats = req.mutations.filter((m) => m.mutationId <= last);
    if (repeats.length > 0) results.push(...(await earlierOutcomes(tx, terminal.terminalId, repeats)));
    for (const m of fresh) {
      const outcome = await applyOne(tx, terminal, m);
      await tx.query(
        `INSERT INTO mutations (terminal_id, mutation_id, store_id, kind, status, reason, payload, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8)`,
        [
          terminal.terminalId,
          m.mutationId,
          terminal.storeId,
          m.kind.slice(0, 64),
          outcome.status,
          outcome.status === 'rejected' ? outcome.reason : null,
          // Rejected payloads are kept whole, so the manager can act on them; applied ones live
          // in their own tables already.
          outcome.status === 'rejected' ? JSON.stringify(m.payload ?? null) : null,
          m.createdAt,
        ],
      );
      results.push(outcome);
      last = m.mutationId;
    }
    if (last !== startedAt || req.heartbeat) {
      await tx.query('UPDATE terminals SET last_mutation_id = $2, last_seen_at = now() WHERE id = $1', [
        terminal.terminalId,
        last,
      ]);
    }
    if (req.heartbeat) await recordHeartbeat(tx, terminal, req.heartbeat);
    return { lastMutationId: last, results };
  });
}

async function earlierOutcomes(tx: Queryable, terminalId: string, repeats: readonly WireMutation[]): Promise<MutationOutcome[]> {
  const ids = repeats.map((m) => m.mutationId);
  const r = await tx.query<{ mutation_id: number; status: 'applied' | 'rejected'; reason: string | null }>(
    `SELECT mutation_id, status, reason FROM mutations
     WHERE terminal_id = $1 AND mutation_id BETWEEN $2 AND $3 ORDER BY mutation_id`,
    [terminalId, Math.min(...ids), Math.max(...ids)],
  );
  return r.rows.map((row) =>
    row.status === 'rejected'
      ? { mutationId: row.mutation_id, status: 'rejected', reason: row.reason ?? 'rejected' }
      : { mutationId: row.mutation_id, status: 'applied' },
  );
}

async function applyOne(tx: Queryable, terminal: AuthenticatedTerminal, m: WireMutation): Promise<MutationOutcome> {
  try {
    if (!isKind(m.kind)) throw new Rejection(`unknown mutation kind "${m.kind.slice(0, 64)}"`);
    const parsed = MUTATION_PAYLOADS[m.kind].safeParse(m.payload);
    if (!parsed.success) throw new Rejection(`invalid ${m.kind} payload: ${describeZodError(parsed.error)}`);
    await EFFECTS[m.kind](tx, terminal, parsed.data as never, m.mutationId);
    return { mutationId: m.mutationId, status: 'applied' };
  } catch (e) {
    if (e instanceof Rejection) return { mutationId: m.mutationId, status: 'rejected', reason: e.message };
    throw e; // anything else is transient (or a bug): the whole push rolls back, the lane retries
  }
}

type Effect<K extends MutationKind> = (
  tx: Queryable,
  terminal: AuthenticatedTerminal,
  payload: MutationPayload<K>,
  mutationId: number,
) => Promise<void>;

const EFFECTS: { [K in MutationKind]: Effect<K> } = {
  async 'sale.completed'(tx, terminal, sale, mutationId) {
    if (sale.terminalId !== terminal.deviceId) {
      throw new Rejection(`sale ${sale.id} names terminal ${sale.terminalId}, not this lane (${terminal.deviceId})`);
    }
    const total = sale.totals.total;
    if (total.currency !== sale.currency || sale.tenders.some((t) => t.amount.currency !== sale.currency)) {
      throw new Rejection(`sale ${sale.id} mixes currencies`);
    }
    const tendered = sale.tenders.reduce((n, t) => n + t.amount.amount, 0);
    if (tendered !== total.amount) {
      throw new Rejection(`sale ${sale.id}: tenders add up to ${tendered}, the total is ${total.amount}`);
    }
    const inserted = await tx.query(
      `INSERT INTO sales (store_id, id, terminal_id, mutation_id, receipt_no, currency, total, completed_at, body)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb) ON CONFLICT (store_id, id) DO NOTHING`,
      [terminal.storeId, sale.id, terminal.terminalId, mutationId, sale.receiptNo, sale.currency, total.amount, sale.completedAt, JSON.stringify(sale)],
    );
    if (inserted.affected === 0) throw new Rejection(`sale ${sale.id} is already recorded`);
    for (const [seq, t] of sale.tenders.entries()) {
      await tx.query(
        `INSERT INTO sale_tenders (store_id, sale_id, seq, kind, amount, currency, payment_ref) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [terminal.storeId, sale.id, seq, t.kind, t.amount.amount, t.amount.currency, t.kind === 'card' ? t.paymentId : null],
      );
    }
    await addToDailyTotals(tx, terminal.storeId, sale.completedAt, sale.currency, 1, total.amount);
  },

  async 'sale.voided'(tx, terminal, v) {
    const r = await tx.query<{ completed_at: Date; currency: string; total: number }>(
      `UPDATE sales SET voided_at = $3, void_reason = $4
       WHERE store_id = $1 AND id = $2 AND voided_at IS NULL RETURNING completed_at, currency, total`,
      [terminal.storeId, v.saleId, v.voidedAt, v.reason],
    );
    const row = r.rows[0];
    if (!row) {
      const exists = await tx.query('SELECT 1 FROM sales WHERE store_id = $1 AND id = $2', [terminal.storeId, v.saleId]);
      throw new Rejection(exists.rows.length ? `sale ${v.saleId} is already voided` : `sale ${v.saleId} is unknown`);
    }
    await addToDailyTotals(tx, terminal.storeId, row.completed_at.toISOString(), row.currency, -1, -row.total);
  },

  async 'payment.stored'(tx, terminal, p) {
    const r = await tx.query(
      `INSERT INTO stored_payments (store_id, payment_id, sale_id, terminal_id, method, amount, currency, stored_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [terminal.storeId, p.paymentId, p.saleId, terminal.terminalId, p.method, p.amount.amount, p.amount.currency, p.storedAt],
    );
    if (r.affected === 0) throw new Rejection(`stored payment ${p.paymentId} is already recorded`);
  },

  async 'audit.event'(tx, terminal, a) {
    await tx.query(
      'INSERT INTO audit_events (store_id, terminal_id, kind, at, detail) VALUES ($1, $2, $3, $4, $5::jsonb)',
      [terminal.storeId, terminal.terminalId, a.kind, a.at, JSON.stringify(a.detail)],
    );
  },

  async heartbeat(tx, terminal, h) {
    await recordHeartbeat(tx, terminal, h);
  },
};

async function addToDailyTotals(tx: Queryable, storeId: string, at: string, currency: string, count: number, gross: number): Promise<void> {
  await tx.query(
    `INSERT INTO store_daily_totals (store_id, day, currency, sales_count, gross)
     VALUES ($1, ($2::timestamptz AT TIME ZONE 'UTC')::date, $3, $4, $5)
     ON CONFLICT (store_id, day, currency) DO UPDATE
       SET sales_count = store_daily_totals.sales_count + EXCLUDED.sales_count,
           gross = store_daily_totals.gross + EXCLUDED.gross`,
    [storeId, at, currency, count, gross],
  );
}

/** Keeps the newest heartbeat per lane (an older one arriving late is ignored). */
async function recordHeartbeat(tx: Queryable, terminal: AuthenticatedTerminal, h: HeartbeatPayload): Promise<void> {
  await tx.query(
    `INSERT INTO lane_status (terminal_id, store_id, at, queue_depth, oldest_pending_at, app_version, scanner_state)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (terminal_id) DO UPDATE SET at = EXCLUDED.at, queue_depth = EXCLUDED.queue_depth,
       oldest_pending_at = EXCLUDED.oldest_pending_at, app_version = EXCLUDED.app_version,
       scanner_state = EXCLUDED.scanner_state, received_at = now()
     WHERE lane_status.at <= EXCLUDED.at`,
    [terminal.terminalId, terminal.storeId, h.at, h.queueDepth, h.oldestPendingAt, h.appVersion, h.scannerState],
  );
}
