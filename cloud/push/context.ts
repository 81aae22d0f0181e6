import type { AuthenticatedTerminal } from '../auth';
import type { Queryable } from '../db/types';
import type { PaymentServices } from '../payments/services';
import { loadRulesHistory, type StoreRules } from '../settings-history';

/** A permanent refusal of one mutation: recorded as processed with its reason, never retried. */
export class Rejection extends Error {}

/** What every effect of one push shares: its transaction, its lane, its clock and the store's rules. */
export interface PushContext {
  readonly tx: Queryable;
  readonly terminal: AuthenticatedTerminal;
  /** The cloud's clock when the push took its terminal lock (ms since 1970). */
  readonly now: number;
  /** The store's rules history, read once per push and only when something needs it. */
  rules(): Promise<readonly StoreRules[]>;
  /** Palm payments (stored ones are authorized during the push); absent: palm is refused. */
  readonly payments: PaymentServices | null;
}

export function pushContext(
  tx: Queryable,
  terminal: AuthenticatedTerminal,
  now: number,
  payments: PaymentServices | null = null,
): PushContext {
  let history: Promise<StoreRules[]> | undefined;
  return {
    tx,
    terminal,
    now,
    payments,
    rules: () => (history ??= loadRulesHistory(tx, terminal.storeId)),
  };
}
