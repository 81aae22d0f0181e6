import { createHash } from 'node:crypto';
import type { PalmTender, Sale } from '../../common/sale';
import type { MutationPayload } from '../../common/sync/protocol';
import type { AuthenticatedTerminal } from '../auth';
import type { Queryable } from '../db/types';
import { chargeCard, chargeOutcome } from './charge';
import { evaluatePalm } from './evaluate';
import { LEASE_MS, recordDecision } from './records';
import type { PaymentServices } from './services';

export type StoredPalmResult =
  | { readonly kind: 'approved' }
  /** Judged and due, but the processor did not answer: settle.ts charges it later. */
  | { readonly kind: 'awaiting-processor' }
  | { readonly kind: 'declined'; readonly reason: string; readonly message: string };

/**
 * A palm payment the lane stored offline, authorized as it syncs with the checks an online one
 * gets (evaluate.ts) at the time it was taken (`storedAt`: limits, velocity and the lane's
 * near-threshold count as they stood then), its capture from the same pool as online payments,
 * then charged. Runs inside the push transaction; a decline is recorded here (with the shopper's
 * pseudonymous ref, for the manager) and the caller rejects the mutation.
 */
export async function authorizeStoredPalm(
  tx: Queryable,
  svc: PaymentServices,
  o: {
    terminal: AuthenticatedTerminal;
    payment: MutationPayload<'payment.stored'>;
    sale: Sale;
    now: number;
  },
): Promise<StoredPalmResult> {
  const { terminal, payment: p } = o;
  const evidence = p.palm;
  const declined = (reason: string, message: string) =>
    ({ kind: 'declined', reason, message }) as const;
  if (!evidence) return declined('CAPTURE_MALFORMED', 'a stored palm payment carries its capture');
  const tender = o.sale.tenders.find(
    (t): t is PalmTender => t.kind === 'palm' && t.paymentId === p.paymentId,
  );
  if (!tender?.stored || tender.customerRef !== evidence.customerRef)
    return declined('NOT_THIS_SHOPPER', 'the sale’s palm tender is not this stored payment');
  const at = Date.parse(p.storedAt);
  const fp = createHash('sha256').update(JSON.stringify(p)).digest('hex');
  const claimed = await tx.query(
    `INSERT INTO payments (store_id, payment_id, terminal_id, kind, fingerprint, status, sale_id, amount, currency, template_id, customer_ref, lease_until)
     VALUES ($1, $2, $3, 'stored', $4, 'pending', $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING`,
    [
      terminal.storeId,
      p.paymentId,
      terminal.terminalId,
      fp,
      p.saleId,
      p.amount.amount,
      p.amount.currency,
      evidence.templateId,
      evidence.customerRef,
      new Date(o.now + LEASE_MS),
    ],
  );
  if (claimed.affected === 0)
    return declined('PAYMENT_ID_REUSED', `payment id ${p.paymentId} was already used`);
  const verdict = await evaluatePalm(tx, svc, {
    mode: 'stored',
    storeId: terminal.storeId,
    terminalId: terminal.terminalId,
    paymentId: p.paymentId,
    templateId: evidence.templateId,
    capture: evidence.capture,
    amount: p.amount,
    at,
    lines: null, // the sale's own lines were re-derived when it was recorded
    stepUp: { laneSays: evidence.steppedUp },
    laneMatch: { score: 0, runnerUpScore: null, galleryTemplates: 1 },
    customerRef: evidence.customerRef,
  });
  const base = {
    storeId: terminal.storeId,
    paymentId: p.paymentId,
    nearThreshold: verdict.nearThreshold,
    now: o.now,
  };
  if (verdict.kind === 'refuse') {
    const { reason, message } = verdict.finding;
    // Step-up cannot be asked for after the fact: a stored payment that needed it is declined.
    await recordDecision(tx, {
      ...base,
      from: 'pending',
      status: 'declined',
      outcome: { status: 'declined', paymentId: p.paymentId, reason, message },
      reason: `${reason}: ${message}`,
    });
    return declined(reason, message);
  }
  await recordDecision(tx, {
    ...base,
    from: 'pending',
    status: 'charging',
    outcome: null,
    reason: null,
    paidAt: at,
  });
  const result = await chargeCard(svc, {
    storeId: terminal.storeId,
    paymentId: p.paymentId,
    saleId: p.saleId,
    amount: p.amount,
    shopper: verdict.shopper,
  });
  if (result.status === 'unavailable') return { kind: 'awaiting-processor' };
  const outcome = chargeOutcome(p.paymentId, p.amount, verdict.shopper, result);
  await recordDecision(tx, {
    ...base,
    from: 'charging',
    status: outcome.status === 'approved' ? 'approved' : 'declined',
    outcome,
    reason: outcome.status === 'declined' ? `${outcome.reason}: ${outcome.message}` : null,
  });
  return outcome.status === 'declined'
    ? declined(outcome.reason, outcome.message)
    : { kind: 'approved' };
}
