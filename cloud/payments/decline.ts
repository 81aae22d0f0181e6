import type { PaymentReason } from '../../common/sync/payments';

/** A check's verdict against the payment: decline it, or ask for step-up first. */
export interface Finding {
  readonly action: 'decline' | 'step-up';
  readonly reason: PaymentReason;
  /** English, for the manager and the logs; the lane shows its own text for the reason. */
  readonly message: string;
}

export const decline = (reason: PaymentReason, message: string): Finding => ({
  action: 'decline',
  reason,
  message,
});

export const stepUp = (reason: PaymentReason, message: string): Finding => ({
  action: 'step-up',
  reason,
  message,
});
