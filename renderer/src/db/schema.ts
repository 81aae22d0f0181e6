import type { Cart } from '../../../common/cart';
import type { Product } from '../../../common/catalog';
import type { Money } from '../../../common/money';
import type { RefundLine, RefundTender } from '../../../common/refund-check';
import type { CashTender, Sale } from '../../../common/sale';
import type { DenominationCount } from '../../../common/shift/denominations';
import type { ZReport } from '../../../common/shift/z-report';
import type { StaffRef } from '../../../common/staff';
import type { MutationKind, MutationPayload } from '../../../common/sync/protocol';

/** Database name, shared by both shells (each has its own IndexedDB, per origin). */
export const DB_NAME = 'palm-terminal';

export interface CatalogRow extends Product {
  /** Lower-cased name words for search (multi-entry index; added in schema v2). */
  readonly words: string[];
}

export type OutboxStatus = 'pending' | 'in-flight' | 'synced' | 'rejected';

/**
 * One numbered mutation for the cloud (Replicache-style): mutation ids are contiguous per
 * terminal and assigned in the same transaction that writes what they describe.
 */
interface OutboxBase {
  readonly mutationId: number;
  readonly createdAt: string;
  status: OutboxStatus;
  attempts: number;
  lastError?: string;
  rejectedReason?: string;
  syncedAt?: string;
}

export interface SaleOutboxRow extends OutboxBase {
  readonly kind: 'sale.completed';
  readonly payload: Sale;
}

/** An audit event the store should see (a declined card, a manager's approval), pushed like a sale. */
export interface AuditOutboxRow extends OutboxBase {
  readonly kind: 'audit.event';
  readonly payload: {
    readonly kind: AuditKind;
    readonly at: string;
    readonly detail: Readonly<Record<string, string | number | boolean>>;
  };
}

/**
 * A palm payment stored offline (store-and-forward), written in the same transaction as its sale
 * and after it, so the cloud finds the sale first; it carries the scanner's signed capture.
 */
export interface PaymentStoredOutboxRow extends OutboxBase {
  readonly kind: 'payment.stored';
  readonly payload: MutationPayload<'payment.stored'>;
}

/** A mutation whose payload is exactly its wire schema (voids, refunds, the till). */
export type WireOutboxRow<K extends MutationKind> = OutboxBase & {
  readonly kind: K;
  readonly payload: MutationPayload<K>;
};

export type OutboxRow =
  | SaleOutboxRow
  | AuditOutboxRow
  | PaymentStoredOutboxRow
  | WireOutboxRow<'sale.voided'>
  | WireOutboxRow<'sale.refunded'>
  | WireOutboxRow<'shift.opened'>
  | WireOutboxRow<'shift.cash'>
  | WireOutboxRow<'shift.closed'>;

export type AuditKind =
  | 'sale.completed'
  | 'card.declined'
  | 'catalog.seeded'
  | 'settings.changed'
  // A manager's credential opened or approved something (db/staff-audit.ts names who).
  | 'manager.opened'
  | 'scanner.approved'
  | 'credential.locked'
  // Palm pay's decisions (db/palm-audit.ts): never a template, a score or the step-up digits.
  | `palm.${string}`
  // Self-checkout (renderer/src/kiosk): who cleared an intervention, a suspended basket.
  | 'kiosk.intervention.cleared'
  | 'kiosk.sale.suspended'
  // The till and post-sale corrections (db/shift.ts, db/post-sale.ts)
  | 'shift.opened'
  | 'shift.cash'
  | 'shift.closed'
  | 'sale.voided'
  | 'sale.refunded';

export interface AuditRow {
  id?: number;
  readonly at: string;
  readonly kind: AuditKind;
  readonly detail: Readonly<Record<string, string | number | boolean>>;
}

export interface SettingRow {
  readonly key: string;
  readonly value: unknown;
}

/** The sale in progress, so a reload or a crash does not lose the customer's basket. */
export interface DraftRow {
  readonly id: 'current';
  readonly saleId: string;
  readonly startedAt: string;
  readonly cart: Cart;
  readonly ageCheckedFor: number;
  /** Card payment awaiting the terminal, so the lane can pick it back up after a reload. */
  readonly pendingCardPaymentId?: string;
  /** Palm authorization whose outcome the lane did not learn: settled with the cloud on reload. */
  readonly pendingPalmPaymentId?: string;
  /** Wallet authorization whose outcome the lane did not learn: settled with the cloud on reload. */
  readonly pendingWalletPaymentId?: string;
  /** Cash already tendered toward the sale (split tender), handed back or completed after a reload. */
  readonly paidCash?: readonly CashTender[];
  readonly updatedAt: string;
}

/**
 * Versioned schema. Each version lists every table; Dexie diffs them. Upgrades run in their own
 * transaction and are tested in database.test.ts by opening a database written by the older one.
 */
export const SCHEMA_V1 = {
  catalog: 'id, &barcode, name, category',
  sales: 'id, completedAt, receiptNo',
  outbox: 'mutationId, status, createdAt',
  audit: '++id, at, kind',
  settings: 'key',
} as const;

export const SCHEMA_V2 = {
  ...SCHEMA_V1,
  catalog: 'id, &barcode, name, category, *words', // v2: word search
  drafts: 'id', // v2: sale in progress survives reloads
} as const;

/** Cash put into or taken out of an open till. */
export interface CashEntryRow {
  readonly entryId: string;
  readonly kind: 'pay-in' | 'pay-out';
  readonly amount: Money;
  readonly reason: string;
  readonly at: string;
  readonly approvedBy: StaffRef | null;
}

/** One till's shift on this lane (at most one open: `closedAt` absent). */
export interface ShiftRow {
  readonly id: string;
  readonly openedAt: string;
  readonly openedBy: StaffRef | null;
  readonly float: Money;
  readonly cash: readonly CashEntryRow[];
  readonly closedAt?: string;
  readonly closedBy?: StaffRef;
  readonly counted?: readonly DenominationCount[];
  /** The lane's own Z report at the close (the cloud derives its own). */
  readonly report?: ZReport;
}

/** A sale taken back whole before its till closed. */
export interface VoidRow {
  readonly saleId: string;
  readonly voidedAt: string;
  readonly reason: string;
  readonly approvedBy: StaffRef;
  /** The card terminal's reference when card money went back. */
  readonly processorRef: string | null;
}

/** Money paid back on an earlier sale. */
export interface RefundRow {
  readonly refundId: string;
  readonly saleId: string;
  readonly amount: Money;
  readonly lines?: readonly RefundLine[];
  readonly tender: RefundTender;
  readonly reason: string;
  readonly refundedAt: string;
  readonly approvedBy: StaffRef;
  readonly processorRef: string | null;
}

/** v3: the till (shifts) and post-sale corrections (voids, refunds). */
export const SCHEMA_V3 = {
  ...SCHEMA_V2,
  shifts: 'id, openedAt, closedAt',
  voids: 'saleId, voidedAt',
  refunds: 'refundId, saleId, refundedAt',
} as const;
