import { createHash } from 'node:crypto';
import { DEMO_CARD_TOKEN_PREFIX } from '../demo-shoppers';

/**
 * Turning the card the shopper presented on the card terminal into a reusable token. The card
 * terminal talks to the processor itself (as Stripe Terminal's reader does with a SetupIntent)
 * and gives the lane only a setup reference; the cloud exchanges that reference for the token
 * of a card saved for off-session use (Stripe: the SetupIntent's `generated_card` payment method
 * attached to a Customer). No card number reaches the lane or the cloud.
 */
export type CardSetupResult =
  | {
      readonly status: 'saved';
      readonly token: string;
      readonly brand: string;
      readonly last4: string;
    }
  | { readonly status: 'declined'; readonly message: string }
  | { readonly status: 'unavailable'; readonly message: string };

export interface CardSetup {
  readonly name: string;
  /** Never throws for a decision; a thrown error is treated as `unavailable`. */
  saveCard(o: {
    setupRef: string;
    storeId: string;
    idempotencyKey: string;
  }): Promise<CardSetupResult>;
}

/**
 * The emulated card terminal's setup references, `seti_emu_<brand>_<last4>_<outcome>_<nonce>`
 * (native/card/ makes them from the test card presented): `ok` saves a card whose token the
 * emulated processor approves, `decline` is refused by the issuer, `down` finds the processor
 * unreachable. Anything else is declined (an unknown reference).
 */
export const EMULATED_SETUP_REF =
  /^seti_emu_(visa|mastercard)_(\d{4})_(ok|decline|down)_[a-z0-9]{6,32}$/;

export class EmulatedCardSetup implements CardSetup {
  readonly name = 'emulated';

  async saveCard(o: { setupRef: string; storeId: string }): Promise<CardSetupResult> {
    const m = EMULATED_SETUP_REF.exec(o.setupRef);
    if (!m) return { status: 'declined', message: 'the processor does not know this card setup' };
    const [, brand, last4, outcome] = m;
    if (outcome === 'down')
      return { status: 'unavailable', message: 'the processor did not answer' };
    if (outcome === 'decline')
      return { status: 'declined', message: 'the card issuer refused to save this card' };
    const id = createHash('sha256').update(`${o.storeId}|${o.setupRef}`).digest('hex').slice(0, 24);
    return {
      status: 'saved',
      token: `${DEMO_CARD_TOKEN_PREFIX.approve}${id}`,
      brand: brand === 'visa' ? 'Visa' : 'Mastercard',
      last4: last4!,
    };
  }
}

/** Runs a card setup so that a throwing processor becomes `unavailable`. */
export async function saveCardSafely(
  setup: CardSetup,
  o: { setupRef: string; storeId: string; idempotencyKey: string },
): Promise<CardSetupResult> {
  try {
    return await setup.saveCard(o);
  } catch (e) {
    return { status: 'unavailable', message: e instanceof Error ? e.message : String(e) };
  }
}
