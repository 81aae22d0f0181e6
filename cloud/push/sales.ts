import { checkSale } from '../../common/sale-check';
import {
  MAX_CLOCK_SKEW_MS,
  MUTATION_PAYLOADS,
  describeZodError,
  type MutationOutcome,
  type MutationPayload,
  type WireMutation,
} from '../../common/sync/protocol';
import { rulesAt } from '../settings-history';
import { Rejection, type PushContext } from './context';
import { addToDailyTotals } from './daily-totals';
import { checkPalmTenders } from './palm-tenders';
import { checkWalletTenders } from './wallet-tenders';

type Sale = MutationPayload<'sale.completed'>;

/**
 * Whose sale it is, and that its money adds up under the store's own rules (never the sale's):
 * the lines re-derived with the same common/ cart and tax code the lane used, tenders paying
 * exactly that, and a completion time no later than the cloud's clock plus the allowed skew.
 */
async function checkPushedSale(pc: PushContext, sale: Sale): Promise<void> {
  if (sale.terminalId !== pc.terminal.deviceId) {
    throw new Rejection(
      `sale ${sale.id} names terminal ${sale.terminalId}, not this lane (${pc.terminal.deviceId})`,
    );
  }
  const rules = rulesAt(await pc.rules(), Date.parse(sale.completedAt));
  const problem = checkSale(sale, {
    currency: rules.currency,
    tax: rules.tax,
    notAfter: pc.now + MAX_CLOCK_SKEW_MS,
  });
  if (problem) throw new Rejection(`sale ${sale.id}: ${problem.message}`);
  await checkPalmTenders(pc, sale);
  await checkWalletTenders(pc, sale);
}

/**
 * Applies a run of sale.completed mutations with one INSERT each for sales, tenders and the
 * daily totals. A sale id already recorded (here or earlier in the run) is rejected, never
 * counted twice: ON CONFLICT DO NOTHING … RETURNING tells which ones went in.
 */
export async function applySales(
  pc: PushContext,
  run: readonly WireMutation[],
): Promise<MutationOutcome[]> {
  const { tx, terminal } = pc;
  const outcomes: MutationOutcome[] = [];
  const candidates: { index: number; mutationId: number; sale: Sale }[] = [];
  const seen = new Set<string>();
  for (const m of run) {
    try {
      const parsed = MUTATION_PAYLOADS['sale.completed'].safeParse(m.payload);
      if (!parsed.success)
        throw new Rejection(`invalid sale.completed payload: ${describeZodError(parsed.error)}`);
      await checkPushedSale(pc, parsed.data);
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
            payment_ref: t.kind === 'cash' ? null : t.paymentId,
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
    await addToDailyTotals(tx, terminal.storeId, d.at, d.currency, {
      sales: d.count,
      gross: d.gross,
    });
  return outcomes;
}
