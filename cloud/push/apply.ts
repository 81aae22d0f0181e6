import {
  MUTATION_PAYLOADS,
  describeZodError,
  type MutationKind,
  type MutationOutcome,
  type MutationPayload,
  type PushRequest,
  type PushResponse,
  type WireMutation,
} from '../../common/sync/protocol';
import type { AuthenticatedTerminal } from '../auth';
import type { Database, Queryable } from '../db/types';
import { HttpError } from '../errors';
import type { PaymentServices } from '../payments/services';
import { Rejection, pushContext, type PushContext } from './context';
import { recordHeartbeat } from './heartbeat';
import { applySales } from './sales';
import { storable, storableText } from './storable';
import { applyStoredPayment } from './stored-payments';
import { applyRefund, applyVoid } from './voids-and-refunds';

export interface PushOptions {
  /** The cloud's clock (ms since 1970), read once the push holds its terminal lock. */
  readonly now?: () => number;
  /** Palm payments: stored ones are authorized, palm tenders matched (cloud/payments/). */
  readonly payments?: PaymentServices;
}

const isKind = (k: string): k is MutationKind => Object.hasOwn(MUTATION_PAYLOADS, k);

/**
 * Applies a push, Replicache-style, in ONE transaction: every new mutation's effect, its row in
 * `mutations` and the terminal's last applied number commit together or not at all. The terminal
 * row is locked first, so two concurrent pushes from one terminal run one after the other.
 * - ids ≤ last processed are repeats: answered with their first outcome, applied again never;
 * - a first new id above last + 1 is a gap: 409 and nothing written (the lane lost a mutation);
 * - a mutation that can never apply (bad shape, money that does not add up under the store's
 *   rules, limits broken) is rejected for good: it still counts as processed, counts nowhere
 *   else, and the queue behind it moves on.
 */
export async function applyPush(
  db: Database,
  terminal: AuthenticatedTerminal,
  req: PushRequest,
  options: PushOptions = {},
): Promise<PushResponse> {
  return db.transaction(async (tx) => {
    const locked = await tx.query<{ last_mutation_id: number }>(
      'SELECT last_mutation_id FROM terminals WHERE id = $1 FOR UPDATE',
      [terminal.terminalId],
    );
    const pc = pushContext(tx, terminal, (options.now ?? Date.now)(), options.payments ?? null);
    let last = locked.rows[0]?.last_mutation_id ?? 0;
    const startedAt = last;
    const fresh = req.mutations.filter((m) => m.mutationId > last);
    const firstFresh = fresh[0];
    if (firstFresh && firstFresh.mutationId !== last + 1) {
      throw new HttpError(
        409,
        'MUTATION_GAP',
        `Expected mutation ${last + 1}, got ${firstFresh.mutationId}`,
        { lastMutationId: last },
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
        j > i ? await applySales(pc, fresh.slice(i, j)) : [await applyOne(pc, fresh[i]!)];
      for (const [k, outcome] of outcomes.entries()) {
        const m = fresh[i + k]!;
        processed.push({
          mutation_id: m.mutationId,
          kind: storableText(m.kind.slice(0, 64)),
          status: outcome.status,
          reason: outcome.status === 'rejected' ? storableText(outcome.reason) : null,
          // Rejected payloads are kept whole (mended only where PostgreSQL refuses a string), so
          // the manager can act on them; applied ones live in their own tables already.
          payload: outcome.status === 'rejected' ? storable(m.payload ?? null) : null,
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
        'UPDATE terminals SET last_mutation_id = $2, last_seen_at = $3 WHERE id = $1',
        [terminal.terminalId, last, new Date(pc.now)],
      );
    }
    if (req.heartbeat) await recordHeartbeat(pc, req.heartbeat);
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

async function applyOne(pc: PushContext, m: WireMutation): Promise<MutationOutcome> {
  try {
    if (!isKind(m.kind)) throw new Rejection(`unknown mutation kind "${m.kind.slice(0, 64)}"`);
    const parsed = MUTATION_PAYLOADS[m.kind].safeParse(m.payload);
    if (!parsed.success)
      throw new Rejection(`invalid ${m.kind} payload: ${describeZodError(parsed.error)}`);
    await EFFECTS[m.kind](pc, parsed.data as never, m.mutationId);
    return { mutationId: m.mutationId, status: 'applied' };
  } catch (e) {
    if (e instanceof Rejection)
      return { mutationId: m.mutationId, status: 'rejected', reason: e.message };
    throw e; // anything else is transient (or a bug): the whole push rolls back, the lane retries
  }
}

type Effect<K extends MutationKind> = (
  pc: PushContext,
  payload: MutationPayload<K>,
  mutationId: number,
) => Promise<void>;

const EFFECTS: { [K in MutationKind]: Effect<K> } = {
  async 'sale.completed'() {
    // Runs of sales never reach here: applyPush sends them to applySales.
    throw new Error('sale.completed goes through applySales');
  },
  'sale.voided': applyVoid,
  'sale.refunded': applyRefund,
  'payment.stored': applyStoredPayment,
  async 'audit.event'(pc, a) {
    await pc.tx.query(
      'INSERT INTO audit_events (store_id, terminal_id, kind, at, detail) VALUES ($1, $2, $3, $4, $5::jsonb)',
      [pc.terminal.storeId, pc.terminal.terminalId, a.kind, a.at, JSON.stringify(a.detail)],
    );
  },
  heartbeat: recordHeartbeat,
};
