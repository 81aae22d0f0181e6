import { isDomainError } from '../../common/errors';
import type { CurrencyCode } from '../../common/money';
import { countedTotal } from '../../common/shift/denominations';
import { MAX_CLOCK_SKEW_MS, type MutationPayload } from '../../common/sync/protocol';
import { rulesAt } from '../settings-history';
import { deriveShiftReport } from '../shift-report';
import { requireManager } from './approvals';
import { Rejection, type PushContext } from './context';

interface OpenShift {
  shift_id: string;
  currency: CurrencyCode;
  float: number;
  opened_at: Date;
  closed_at: Date | null;
}

function notAhead(pc: PushContext, at: string, what: string): void {
  if (Date.parse(at) > pc.now + MAX_CLOCK_SKEW_MS) {
    throw new Rejection(`${what} at ${at}, later than the cloud's clock allows`);
  }
}

/** This lane's shift, its row locked for the push; another lane's or another store's is unknown. */
async function lockShift(pc: PushContext, shiftId: string): Promise<OpenShift> {
  const r = await pc.tx.query<OpenShift>(
    `SELECT shift_id, currency, float, opened_at, closed_at FROM shifts
     WHERE store_id = $1 AND shift_id = $2 AND terminal_id = $3 FOR UPDATE`,
    [pc.terminal.storeId, shiftId, pc.terminal.terminalId],
  );
  const row = r.rows[0];
  if (!row) throw new Rejection(`shift ${shiftId} is unknown on this lane`);
  if (row.closed_at) throw new Rejection(`shift ${shiftId} is already closed`);
  return row;
}

export async function applyShiftOpened(
  pc: PushContext,
  s: MutationPayload<'shift.opened'>,
): Promise<void> {
  notAhead(pc, s.openedAt, 'opened');
  const { currency } = rulesAt(await pc.rules(), Date.parse(s.openedAt));
  if (s.float.currency !== currency) {
    throw new Rejection(`float in ${s.float.currency}; the store sells in ${currency}`);
  }
  if (s.float.amount < 0) throw new Rejection('a float cannot be negative');
  const open = await pc.tx.query<{ shift_id: string }>(
    'SELECT shift_id FROM shifts WHERE terminal_id = $1 AND closed_at IS NULL',
    [pc.terminal.terminalId],
  );
  if (open.rows[0]) {
    throw new Rejection(`shift ${open.rows[0].shift_id} is still open on this lane`);
  }
  // Shifts never overlap: a sale belongs to one till's report only.
  const last = await pc.tx.query<{ shift_id: string; closed_at: Date }>(
    `SELECT shift_id, closed_at FROM shifts WHERE terminal_id = $1 AND closed_at > $2
     ORDER BY closed_at DESC LIMIT 1`,
    [pc.terminal.terminalId, s.openedAt],
  );
  if (last.rows[0]) {
    throw new Rejection(
      `opened at ${s.openedAt}, before shift ${last.rows[0].shift_id} closed at ${last.rows[0].closed_at.toISOString()}`,
    );
  }
  const inserted = await pc.tx.query(
    `INSERT INTO shifts (store_id, shift_id, terminal_id, currency, float, opened_at, opened_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
    [
      pc.terminal.storeId,
      s.shiftId,
      pc.terminal.terminalId,
      currency,
      s.float.amount,
      s.openedAt,
      s.openedBy ?? null,
    ],
  );
  if (inserted.affected === 0) throw new Rejection(`shift ${s.shiftId} is already recorded`);
}

export async function applyShiftCash(
  pc: PushContext,
  c: MutationPayload<'shift.cash'>,
): Promise<void> {
  notAhead(pc, c.at, 'cash entry');
  const shift = await lockShift(pc, c.shiftId);
  if (c.amount.currency !== shift.currency) {
    throw new Rejection(`${c.kind} in ${c.amount.currency}; the till holds ${shift.currency}`);
  }
  if (c.amount.amount <= 0) throw new Rejection(`a ${c.kind} must be a positive amount`);
  if (Date.parse(c.at) < shift.opened_at.getTime()) {
    throw new Rejection(`${c.kind} at ${c.at}, before shift ${c.shiftId} opened`);
  }
  // Taking cash out of a till is a manager's call; putting change in is not.
  const by = c.kind === 'pay-out' ? await requireManager(pc, c.approvedBy, 'a pay-out') : null;
  const inserted = await pc.tx.query(
    `INSERT INTO shift_cash (store_id, entry_id, shift_id, kind, amount, reason, at, approved_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
    [
      pc.terminal.storeId,
      c.entryId,
      c.shiftId,
      c.kind,
      c.amount.amount,
      c.reason,
      c.at,
      by ?? c.approvedBy ?? null,
    ],
  );
  if (inserted.affected === 0) throw new Rejection(`cash entry ${c.entryId} is already recorded`);
}

/**
 * Closes the till: the counted total is summed here from the denominations (valid ones for the
 * store's currency only), and the Z report is the cloud's own (shift-report.ts).
 */
export async function applyShiftClosed(
  pc: PushContext,
  c: MutationPayload<'shift.closed'>,
): Promise<void> {
  notAhead(pc, c.closedAt, 'closed');
  const shift = await lockShift(pc, c.shiftId);
  if (Date.parse(c.closedAt) < shift.opened_at.getTime()) {
    throw new Rejection(`shift ${c.shiftId} closed at ${c.closedAt}, before it opened`);
  }
  const by = await requireManager(pc, c.approvedBy, 'closing a till');
  let counted: number;
  try {
    counted = countedTotal(shift.currency, c.counted);
  } catch (e) {
    if (isDomainError(e)) throw new Rejection(`drawer count: ${e.message}`);
    throw e;
  }
  const closedAt = new Date(c.closedAt);
  const report = await deriveShiftReport(
    pc.tx,
    {
      storeId: pc.terminal.storeId,
      terminalId: pc.terminal.terminalId,
      currency: shift.currency,
      float: shift.float,
      openedAt: shift.opened_at,
      shiftId: c.shiftId,
    },
    closedAt,
    counted,
  );
  await pc.tx.query(
    `UPDATE shifts SET closed_at = $3, closed_by = $4, counted = $5::jsonb, counted_total = $6,
       report = $7::jsonb WHERE store_id = $1 AND shift_id = $2`,
    [
      pc.terminal.storeId,
      c.shiftId,
      closedAt,
      by,
      JSON.stringify(c.counted),
      counted,
      JSON.stringify(report),
    ],
  );
}
