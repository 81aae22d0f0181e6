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
export async function applyPush(
  db: Database,
  terminal: AuthenticatedTerminal,
  req: PushRequest,
): Promise<PushResponse> {
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
      throw new HttpError(
        409,
        'MUTATION_GAP',
        `Expected mutation ${last + 1}, got ${firstFresh.mutationId}`,
        {
          lastMutationId: last,
        },
      );
    }
    const results: MutationOutcome[] = [];
    const repeats = req.mutations.filter((m) => m.mutationId <= last);
    if (repeats.length > 0)
      results.push(...(await earlierOutcomes(tx, terminal.terminalId, repeats)));
    const processed: ProcessedRow[] = [];
    // Runs of completed sales (nearly every push) are applied in a few set-based statements;
    // everything else one by one, in order.
    for (let i = 0; i < fresh.length;) {
      let j = i;
      while (j < fresh.length && fresh[j]!.kind === 'sale.completed') j++;
      const outcomes =
        j > i
          ? await applySales(tx, terminal, fresh.slice(i, j))
          : [await applyOne(tx, terminal, fresh[i]!)];
      for (const [k, outcome] of outcomes.entries()) {
        const m = fresh[i + k]!;
        processed.push({
          mutation_id: m.mutationId,
          kind: m.kind.slice(0, 64),
          status: outcome.status,
          reason: outcome.status === 'rejected' ? outcome.reason : null,
          // Rejected payloads are kept whole, so the manager can act on them; applied ones live
          // in their own tables already.
          payload: outcome.status === 'rejected' ? (m.payload ?? null) : null,
          created_at: m.createdAt,
        });
        results.push(outcome);
        last = m.mutationId;
      }
      i = j > i ? j : i + 1;
    }
    if (processed.length > 0) {
      await tx.query(
        `INSERT INTO mutations (terminal_id, mutation_id, store_id, kind, status, reason, payload, created_at)
         SELECT $1, x.mutation_id, $2, x.kind, x.status, x.reason, x.payload, x.created_at
         FROM jsonb_to_recordset($3::jsonb) AS x(mutation_id bigint, kind text, status text, reason text, payload jsonb, created_at timestamptz)`,
        [terminal.terminalId, terminal.storeId, JSON.stringify(processed)],
      );
    }
    if (last !== startedAt || req.heartbeat) {
      await tx.query(
        'UPDATE terminals SET last_mutation_id = $2, last_seen_at = now() WHERE id = $1',
        [terminal.terminalId, last],
      );
    }
    if (req.heartbeat) await recordHeartbeat(tx, terminal, req.heartbeat);
    return { lastMutationId: last, results };
  });
}

interface ProcessedRow {
  mutation_id: number;
  kind: string;
  status: 'applied' | 'rejected';
  reason: string | null;
  payload: unknown;
  created_at: string;
}

type Sale = MutationPayload<'sale.completed'>;

/** Checks that need no database: whose sale it is, and that its money adds up. */
function checkSale(terminal: AuthenticatedTerminal, sale: Sale): void {
  if (sale.terminalId !== terminal.deviceId) {
    throw new Rejection(
      `sale ${sale.id} names terminal ${sale.terminalId}, not this lane (${terminal.deviceId})`,
    );
  }
  const total = sale.totals.total;
  if (
    total.currency !== sale.currency ||
    sale.tenders.some((t) => t.amount.currency !== sale.currency)
  ) {
    throw new Rejection(`sale ${sale.id} mixes currencies`);
  }
  const tendered = sale.tenders.reduce((n, t) => n + t.amount.amount, 0);
  if (tendered !== total.amount) {
    throw new Rejection(
      `sale ${sale.id}: tenders add up to ${tendered}, the total is ${total.amount}`,
    );
  }
}

/**
 * Applies a run of sale.completed mutations with one INSERT each for sales, tenders and the
 * daily totals. A sale id already recorded (here or earlier in the run) is rejected, never
 * counted twice: ON CONFLICT DO NOTHING … RETURNING tells which ones went in.
 */
async function applySales(
  tx: Queryable,
  terminal: AuthenticatedTerminal,
  run: readonly WireMutation[],
): Promise<MutationOutcome[]> {
  const outcomes: MutationOutcome[] = [];
  const candidates: { index: number; mutationId: number; sale: Sale }[] = [];
  const seen = new Set<string>();
  for (const m of run) {
    try {
      const parsed = MUTATION_PAYLOADS['sale.completed'].safeParse(m.payload);
      if (!parsed.success)
        throw new Rejection(`invalid sale.completed payload: ${describeZodError(parsed.error)}`);
      checkSale(terminal, parsed.data);
      if (seen.has(parsed.data.id))
        throw new Rejection(`sale ${parsed.data.id} is already recorded`);
      seen.add(parsed.data.id);
      candidates.push({ index: outcomes.length, mutationId: m.mutationId, sale: parsed.data });
      outcomes.push({ mutationId: m.mutationId, status: 'applied' });
    } catch (e) {
      if (!(e instanceof Rejection)) throw e;
      outcomes.push({ mutationId: m.mutationId, status: 'rejected', reason: e.message });
    }
  }
  if (candidates.length === 0) return outcomes;
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO sales (store_id, id, terminal_id, mutation_id, receipt_no, currency, total, completed_at, body)
     SELECT $1, x.id, $2, x.mutation_id, x.receipt_no, x.currency, x.total, x.completed_at, x.body
     FROM jsonb_to_recordset($3::jsonb)
       AS x(id text, mutation_id bigint, receipt_no text, currency text, total bigint, completed_at timestamptz, body jsonb)
     ON CONFLICT (store_id, id) DO NOTHING RETURNING id`,
    [
      terminal.storeId,
      terminal.terminalId,
      JSON.stringify(
        candidates.map(({ mutationId, sale }) => ({
          id: sale.id,
          mutation_id: mutationId,
          receipt_no: sale.receiptNo,
          currency: sale.currency,
          total: sale.totals.total.amount,
          completed_at: sale.completedAt,
          body: sale,
        })),
      ),
    ],
  );
  const fresh = new Set(inserted.rows.map((r) => r.id));
  const applied = candidates.filter((c) => fresh.has(c.sale.id));
  for (const c of candidates) {
    if (!fresh.has(c.sale.id))
      outcomes[c.index] = {
        mutationId: c.mutationId,
        status: 'rejected',
        reason: `sale ${c.sale.id} is already recorded`,
      };
  }
  if (applied.length === 0) return outcomes;
  await tx.query(
    `INSERT INTO sale_tenders (store_id, sale_id, seq, kind, amount, currency, payment_ref)
     SELECT $1, x.sale_id, x.seq, x.kind, x.amount, x.currency, x.payment_ref
     FROM jsonb_to_recordset($2::jsonb) AS x(sale_id text, seq int, kind text, amount bigint, currency text, payment_ref text)`,
    [
      terminal.storeId,
      JSON.stringify(
        applied.flatMap(({ sale }) =>
          sale.tenders.map((t, seq) => ({
            sale_id: sale.id,
            seq,
            kind: t.kind,
            amount: t.amount.amount,
            currency: t.amount.currency,
            payment_ref: t.kind === 'card' ? t.paymentId : null,
          })),
        ),
      ),
    ],
  );
  const daily = new Map<string, { at: string; currency: string; count: number; gross: number }>();
  for (const { sale } of applied) {
    const key = `${new Date(sale.completedAt).toISOString().slice(0, 10)}|${sale.currency}`;
    const d = daily.get(key) ?? {
      at: sale.completedAt,
      currency: sale.currency,
      count: 0,
      gross: 0,
    };
    d.count += 1;
    d.gross += sale.totals.total.amount;
    daily.set(key, d);
  }
  for (const d of daily.values())
    await addToDailyTotals(tx, terminal.storeId, d.at, d.currency, d.count, d.gross);
  return outcomes;
}

async function earlierOutcomes(
  tx: Queryable,
  terminalId: string,
  repeats: readonly WireMutation[],
): Promise<MutationOutcome[]> {
  const ids = repeats.map((m) => m.mutationId);
  const r = await tx.query<{
    mutation_id: number;
    status: 'applied' | 'rejected';
    reason: string | null;
  }>(
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

async function applyOne(
  tx: Queryable,
  terminal: AuthenticatedTerminal,
  m: WireMutation,
): Promise<MutationOutcome> {
  try {
    if (!isKind(m.kind)) throw new Rejection(`unknown mutation kind "${m.kind.slice(0, 64)}"`);
    const parsed = MUTATION_PAYLOADS[m.kind].safeParse(m.payload);
    if (!parsed.success)
      throw new Rejection(`invalid ${m.kind} payload: ${describeZodError(parsed.error)}`);
    await EFFECTS[m.kind](tx, terminal, parsed.data as never, m.mutationId);
    return { mutationId: m.mutationId, status: 'applied' };
  } catch (e) {
    if (e instanceof Rejection)
      return { mutationId: m.mutationId, status: 'rejected', reason: e.message };
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
  async 'sale.completed'() {
    // Runs of sales never reach here: applyPush sends them to applySales.
    throw new Error('sale.completed goes through applySales');
  },

  async 'sale.voided'(tx, terminal, v) {
    const r = await tx.query<{ completed_at: Date; currency: string; total: number }>(
      `UPDATE sales SET voided_at = $3, void_reason = $4
       WHERE store_id = $1 AND id = $2 AND voided_at IS NULL RETURNING completed_at, currency, total`,
      [terminal.storeId, v.saleId, v.voidedAt, v.reason],
    );
    const row = r.rows[0];
    if (!row) {
      const exists = await tx.query('SELECT 1 FROM sales WHERE store_id = $1 AND id = $2', [
        terminal.storeId,
        v.saleId,
      ]);
      throw new Rejection(
        exists.rows.length ? `sale ${v.saleId} is already voided` : `sale ${v.saleId} is unknown`,
      );
    }
    await addToDailyTotals(
      tx,
      terminal.storeId,
      row.completed_at.toISOString(),
      row.currency,
      -1,
      -row.total,
    );
  },

  async 'payment.stored'(tx, terminal, p) {
    const r = await tx.query(
      `INSERT INTO stored_payments (store_id, payment_id, sale_id, terminal_id, method, amount, currency, stored_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
      [
        terminal.storeId,
        p.paymentId,
        p.saleId,
        terminal.terminalId,
        p.method,
        p.amount.amount,
        p.amount.currency,
        p.storedAt,
      ],
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

async function addToDailyTotals(
  tx: Queryable,
  storeId: string,
  at: string,
  currency: string,
  count: number,
  gross: number,
): Promise<void> {
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
async function recordHeartbeat(
  tx: Queryable,
  terminal: AuthenticatedTerminal,
  h: HeartbeatPayload,
): Promise<void> {
  await tx.query(
    `INSERT INTO lane_status (terminal_id, store_id, at, queue_depth, oldest_pending_at, app_version, scanner_state)
     VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (terminal_id) DO UPDATE SET at = EXCLUDED.at, queue_depth = EXCLUDED.queue_depth,
       oldest_pending_at = EXCLUDED.oldest_pending_at, app_version = EXCLUDED.app_version,
       scanner_state = EXCLUDED.scanner_state, received_at = now()
     WHERE lane_status.at <= EXCLUDED.at`,
    [
      terminal.terminalId,
      terminal.storeId,
      h.at,
      h.queueDepth,
      h.oldestPendingAt,
      h.appVersion,
      h.scannerState,
    ],
  );
}
