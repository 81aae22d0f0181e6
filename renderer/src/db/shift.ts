import { DomainError } from '../../../common/errors';
import type { Money } from '../../../common/money';
import { countedTotal, type DenominationCount } from '../../../common/shift/denominations';
import { shiftSaleOf, zReport, type ZReport } from '../../../common/shift/z-report';
import type { StaffRef } from '../../../common/staff';
import type { TerminalDatabase } from './database';
import { enqueueMutation } from './enqueue';
import type { CashEntryRow, ShiftRow } from './schema';
import { storeNow } from './store-clock';

/**
 * The lane's till: one shift at a time, opened with a float, pay-ins and pay-outs while open,
 * closed with the drawer counted by denomination. Each step writes its row, its numbered outbox
 * mutation and its audit entry in one transaction. The Z report here is the lane's own, to show
 * and print; the cloud derives its own from what it recorded (cloud/shift-report.ts).
 */

const newId = (prefix: string) => `${prefix}-${crypto.randomUUID()}`;
const TABLES = (db: TerminalDatabase) => [db.shifts, db.outbox, db.audit, db.settings];

/** The open shift, or null when the till is closed. */
export async function currentShift(db: TerminalDatabase): Promise<ShiftRow | null> {
  const last = await db.shifts.orderBy('openedAt').last();
  return last && !last.closedAt ? last : null;
}

export async function openShift(
  db: TerminalDatabase,
  input: { float: Money; by: StaffRef | null },
): Promise<ShiftRow> {
  if (!Number.isInteger(input.float.amount) || input.float.amount < 0) {
    throw new DomainError('SHIFT_STATE', 'A float is zero or more');
  }
  const openedAt = (await storeNow(db)).toISOString();
  return db.transaction('rw', TABLES(db), async () => {
    const open = await currentShift(db);
    if (open) throw new DomainError('SHIFT_STATE', 'The till is already open');
    const last = await db.shifts.orderBy('openedAt').last();
    // Shifts never overlap (the cloud refuses one that starts before the last one closed).
    const at =
      last?.closedAt && last.closedAt > openedAt
        ? new Date(Date.parse(last.closedAt) + 1).toISOString()
        : openedAt;
    const shift: ShiftRow = {
      id: newId('shift'),
      openedAt: at,
      openedBy: input.by,
      float: input.float,
      cash: [],
    };
    await db.shifts.add(shift);
    await enqueueMutation(db, {
      kind: 'shift.opened',
      payload: {
        shiftId: shift.id,
        float: shift.float,
        openedAt: at,
        ...(input.by ? { openedBy: input.by.id } : {}),
      },
      createdAt: at,
    });
    await db.audit.add({
      at,
      kind: 'shift.opened',
      detail: {
        shiftId: shift.id,
        float: shift.float.amount,
        ...(input.by ? { by: input.by.id } : {}),
      },
    });
    return shift;
  });
}

/** A pay-in (change from the bank) or a pay-out (a manager's: petty cash out of the drawer). */
export async function addCashEntry(
  db: TerminalDatabase,
  input: { kind: CashEntryRow['kind']; amount: Money; reason: string; by: StaffRef | null },
): Promise<CashEntryRow> {
  if (!Number.isInteger(input.amount.amount) || input.amount.amount <= 0) {
    throw new DomainError('SHIFT_STATE', 'The amount must be more than zero');
  }
  if (input.reason.trim() === '') throw new DomainError('SHIFT_STATE', 'Say what the cash is for');
  if (input.kind === 'pay-out' && input.by?.role !== 'manager') {
    throw new DomainError('SHIFT_STATE', 'A pay-out needs a manager');
  }
  const at = (await storeNow(db)).toISOString();
  return db.transaction('rw', TABLES(db), async () => {
    const shift = await currentShift(db);
    if (!shift) throw new DomainError('SHIFT_STATE', 'Open the till first');
    const entry: CashEntryRow = {
      entryId: newId('cash'),
      kind: input.kind,
      amount: input.amount,
      reason: input.reason.trim().slice(0, 200),
      at,
      approvedBy: input.by,
    };
    await db.shifts.put({ ...shift, cash: [...shift.cash, entry] });
    await enqueueMutation(db, {
      kind: 'shift.cash',
      payload: {
        entryId: entry.entryId,
        shiftId: shift.id,
        kind: entry.kind,
        amount: entry.amount,
        reason: entry.reason,
        at,
        ...(input.by ? { approvedBy: input.by.id } : {}),
      },
      createdAt: at,
    });
    await db.audit.add({
      at,
      kind: 'shift.cash',
      detail: {
        shiftId: shift.id,
        kind: entry.kind,
        amount: entry.amount.amount,
        reason: entry.reason,
      },
    });
    return entry;
  });
}

/** The shift's Z report from this lane's records (counted: null before the close). */
export async function shiftReport(
  db: TerminalDatabase,
  shift: ShiftRow,
  counted: number | null,
  until: string,
): Promise<ZReport> {
  const currency = shift.float.currency;
  const sales = (
    await db.sales.where('completedAt').between(shift.openedAt, until, true, true).toArray()
  ).filter((s) => s.currency === currency);
  const voided = new Set(
    (
      await db.voids
        .where('saleId')
        .anyOf(sales.map((s) => s.id))
        .toArray()
    ).map((v) => v.saleId),
  );
  const refunds = (
    await db.refunds.where('refundedAt').between(shift.openedAt, until, true, true).toArray()
  ).filter((r) => r.amount.currency === currency);
  return zReport({
    currency,
    float: shift.float.amount,
    sales: sales.map((s) => shiftSaleOf(s, voided.has(s.id))),
    refunds: refunds.map((r) => ({ amount: r.amount.amount, tender: r.tender })),
    cash: shift.cash.map((c) => ({ kind: c.kind, amount: c.amount.amount })),
    counted,
  });
}

/** Closes the till with the drawer counted by denomination (a manager's); returns the Z report. */
export async function closeShift(
  db: TerminalDatabase,
  input: { counted: readonly DenominationCount[]; by: StaffRef },
): Promise<ShiftRow> {
  if (input.by.role !== 'manager') throw new DomainError('SHIFT_STATE', 'Closing needs a manager');
  const closedAt = (await storeNow(db)).toISOString();
  const open = await currentShift(db);
  if (!open) throw new DomainError('SHIFT_STATE', 'The till is not open');
  const counts = input.counted.filter((c) => c.count > 0);
  const total = countedTotal(open.float.currency, counts);
  // Read before the transaction: inside it nothing awaits other tables' I/O.
  const report = await shiftReport(db, open, total, closedAt);
  return db.transaction('rw', TABLES(db), async () => {
    const shift = await currentShift(db);
    if (!shift || shift.id !== open.id) throw new DomainError('SHIFT_STATE', 'The till changed');
    const closed: ShiftRow = { ...shift, closedAt, closedBy: input.by, counted: counts, report };
    await db.shifts.put(closed);
    await enqueueMutation(db, {
      kind: 'shift.closed',
      payload: { shiftId: shift.id, closedAt, counted: counts, approvedBy: input.by.id },
      createdAt: closedAt,
    });
    await db.audit.add({
      at: closedAt,
      kind: 'shift.closed',
      detail: {
        shiftId: shift.id,
        by: input.by.id,
        counted: total,
        expected: report.expectedCash,
        overShort: report.overShort ?? 0,
      },
    });
    return closed;
  });
}
