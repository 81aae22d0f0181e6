import type { Money } from '../../common/money';
import type { PaymentOutcome } from '../../common/sync/payments';
import { chargeSafely, type ChargeResult } from './processor';
import type { EnrolledShopper } from './shoppers';
import type { PaymentServices } from './services';

/**
 * Charges the shopper's card on file with the payment id as the processor's idempotency key:
 * a retry, or a worker taking over from one that died, gets the first charge's answer.
 */
export async function chargeCard(
  svc: PaymentServices,
  o: {
    storeId: string;
    paymentId: string;
    saleId: string;
    amount: Money;
    shopper: EnrolledShopper;
  },
): Promise<ChargeResult> {
  return chargeSafely(svc.processor, {
    idempotencyKey: o.paymentId,
    cardToken: o.shopper.card.token,
    amount: o.amount,
    description: `Palm pay, store ${o.storeId}, sale ${o.saleId}`,
    metadata: { storeId: o.storeId, saleId: o.saleId, customerRef: o.shopper.customerRef },
  });
}

/** The lane's answer for a charge result. */
export function chargeOutcome(
  paymentId: string,
  amount: Money,
  shopper: EnrolledShopper,
  result: ChargeResult,
): PaymentOutcome {
  if (result.status === 'approved')
    return {
      status: 'approved',
      paymentId,
      amount,
      authCode: result.authCode,
      card: { brand: shopper.card.brand, last4: shopper.card.last4 },
      shopper: {
        customerRef: shopper.customerRef,
        loyaltyId: shopper.loyaltyId,
        ageVerified: shopper.ageVerified,
      },
    };
  if (result.status === 'declined')
    return { status: 'declined', paymentId, reason: result.reason, message: result.message };
  return {
    status: 'declined',
    paymentId,
    reason: 'PROCESSOR_UNAVAILABLE',
    message: `the card processor did not answer (${result.message}); nothing was charged`,
  };
}
