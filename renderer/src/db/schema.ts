import type { Cart } from '../../../common/cart';
import type { Product } from '../../../common/catalog';
import type { Sale } from '../../../common/sale';
import type { MutationPayload } from '../../../common/sync/protocol';

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

export type OutboxRow = SaleOutboxRow | AuditOutboxRow | PaymentStoredOutboxRow;

export type AuditKind =
  | 'sale.completed'
  | 'card.declined'
  | 'catalog.seeded'
  | 'settings.changed'
  // A manager's credential opened or approved something (db/staff-audit.ts names who).
  | 'manager.opened'
  | 'scanner.approved'
  | 'credential.locked'
  // Self-checkout (renderer/src/kiosk): who cleared an intervention, a suspended basket.
  | 'kiosk.intervention.cleared'
  | 'kiosk.sale.suspended'
  // Palm pay's decisions (db/palm-audit.ts): never a template, a score or the step-up digits.
  | `palm.${string}`;

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
