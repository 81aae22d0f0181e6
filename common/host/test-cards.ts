import type { DeclineReason } from './contract';

/**
 * Deterministic test cards for the emulated card terminal, one per outcome (numbers follow the
 * card networks' public test ranges, as Stripe's test cards do).
 */
export interface TestCard {
  readonly pan: string;
  readonly brand: string;
  readonly outcome: 'approved' | 'declined';
  readonly reason?: DeclineReason;
  readonly label: string;
}

export const TEST_CARDS: readonly TestCard[] = [
  { pan: '4242424242424242', brand: 'Visa', outcome: 'approved', label: 'Visa · approved' },
  {
    pan: '5555555555554444',
    brand: 'Mastercard',
    outcome: 'approved',
    label: 'Mastercard · approved',
  },
  {
    pan: '4000000000000002',
    brand: 'Visa',
    outcome: 'declined',
    reason: 'generic_decline',
    label: 'Declined',
  },
  {
    pan: '4000000000009995',
    brand: 'Visa',
    outcome: 'declined',
    reason: 'insufficient_funds',
    label: 'Insufficient funds',
  },
  {
    pan: '4000000000000069',
    brand: 'Visa',
    outcome: 'declined',
    reason: 'expired_card',
    label: 'Expired card',
  },
  {
    pan: '4000000000000127',
    brand: 'Visa',
    outcome: 'declined',
    reason: 'incorrect_pin',
    label: 'Incorrect PIN',
  },
  {
    pan: '4000000000000119',
    brand: 'Visa',
    outcome: 'declined',
    reason: 'processing_error',
    label: 'Processing error',
  },
];

/** Luhn check, as every card terminal does before going online. */
export function luhnValid(pan: string): boolean {
  if (!/^\d{12,19}$/.test(pan)) return false;
  let total = 0;
  for (let i = 0; i < pan.length; i++) {
    let d = pan.charCodeAt(pan.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    total += d;
  }
  return total % 10 === 0;
}
