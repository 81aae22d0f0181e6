import type { CheckoutSnapshot } from './step';

/** Flat names for the view: where the checkout is, and which step of a branch. */
export type CheckoutPhase =
  | 'loading'
  | 'scanning'
  | 'age-check'
  | 'cash'
  | 'card'
  | 'palm'
  | 'wallet'
  | 'committing'
  | 'commit-failed'
  | 'receipt';

export type CardStep =
  'starting' | 'resuming' | 'inProgress' | 'notResponding' | 'failed' | 'cancelling' | 'unresolved';

export type PalmStep =
  | 'waiting'
  | 'matching'
  | 'stepUp'
  | 'stepUpChecking'
  | 'authorizing'
  | 'unresolved'
  | 'cancelling'
  | 'paused'
  | 'fallback';

export function checkoutPhase(s: CheckoutSnapshot): CheckoutPhase {
  if (s.matches('loading')) return 'loading';
  if (s.matches({ scanning: 'ageCheck' })) return 'age-check';
  if (s.matches('scanning')) return 'scanning';
  if (s.matches({ tender: 'cash' })) return 'cash';
  if (s.matches({ tender: 'card' })) return 'card';
  if (s.matches({ tender: 'palm' })) return 'palm';
  if (s.matches({ tender: 'wallet' })) return 'wallet';
  if (s.matches('committing')) return 'committing';
  if (s.matches('commitFailed')) return 'commit-failed';
  return 'receipt';
}

/** The card branch's step, or null outside it. */
export function cardStep(s: CheckoutSnapshot): CardStep | null {
  const v = s.value;
  if (typeof v !== 'object' || !('tender' in v)) return null;
  const t = v.tender;
  return typeof t === 'object' && 'card' in t ? (t.card as CardStep) : null;
}

/** The palm branch's step, or null outside it. */
export function palmStep(s: CheckoutSnapshot): PalmStep | null {
  const v = s.value;
  if (typeof v !== 'object' || !('tender' in v)) return null;
  const t = v.tender;
  return typeof t === 'object' && 'palm' in t ? (t.palm as PalmStep) : null;
}

export type WalletStep = 'waiting' | 'authorizing' | 'unresolved' | 'cancelling' | 'failed';

/** The wallet branch's step, or null outside it. */
export function walletStep(s: CheckoutSnapshot): WalletStep | null {
  const v = s.value;
  if (typeof v !== 'object' || !('tender' in v)) return null;
  const t = v.tender;
  return typeof t === 'object' && 'wallet' in t ? (t.wallet as WalletStep) : null;
}
