import { toBase64url } from '../../common/base64url';
import { PT1_DIMS, type Population } from '../../common/palm/population';
import {
  TEMPLATE_FORMAT_PT1,
  encodeCaptureResultBody,
  generateAttestationKey,
  randomBytes,
  signCapture,
} from '../../common/palm-hid';
import type { PaymentRequest } from '../../common/sync/payments';
import type { SignedCapture } from '../../common/sync/protocol';
import type { Database } from '../db/types';
import { DEMO_POLICY, demoPopulation, demoTemplateId } from '../demo-shoppers';
import { storeSettings, changeSettings } from '../stores';

/**
 * Test support for palm payments: a scanner that signs captures of the demo population the way
 * the emulator does (palm-hid §5), approved in a store's `scanner_keys`, and payment requests.
 */
export class TestScanner {
  private counter = 0;
  private constructor(
    readonly serial: string,
    private readonly keyPair: CryptoKeyPair,
    readonly publicKeyHex: string,
    private readonly population: Population,
  ) {}

  static async create(serial: string, population = demoPopulation()): Promise<TestScanner> {
    const { keyPair, publicKey } = await generateAttestationKey();
    return new TestScanner(serial, keyPair, Buffer.from(publicKey).toString('hex'), population);
  }

  /** Records this scanner's key as approved for `storeId` (what a manager's approval writes). */
  async approveIn(db: Database, storeId: string): Promise<void> {
    await db.query(
      `INSERT INTO scanner_keys (store_id, serial, public_key, model, approved_by, approved_by_name)
       VALUES ($1, $2, $3, 'Test scanner', 'mgr', 'Test Manager')`,
      [storeId, this.serial, this.publicKeyHex],
    );
  }

  /** A signed CAPTURE_RESULT of population subject `identity`, as the scanner sends it. */
  async capture(
    identity: number,
    o: { quality?: number; counter?: number; tamper?: (bytes: Uint8Array) => void } = {},
  ): Promise<SignedCapture> {
    const counter = o.counter ?? ++this.counter;
    const body = encodeCaptureResultBody({
      format: TEMPLATE_FORMAT_PT1,
      hand: 'right',
      quality: o.quality ?? 90,
      liveness: 95,
      counter,
      dims: PT1_DIMS,
      template: this.population.capture(identity, o.quality ?? 90, counter),
      hostNonce: randomBytes(16),
    });
    const signature = await signCapture(this.keyPair.privateKey, body);
    const all = new Uint8Array(body.length + signature.length);
    all.set(body);
    all.set(signature, body.length);
    o.tamper?.(all);
    return { signed: toBase64url(all), scannerSerial: this.serial };
  }
}

/** Gives a store the demo decision policy (palm pay needs one). */
export async function giveDemoPolicy(db: Database, storeId: string): Promise<void> {
  const current = await storeSettings(db, storeId);
  await changeSettings(db, storeId, { matcher: { ...current.matcher, policy: DEMO_POLICY } });
}

let seq = 0;

/** A payment request for one exempt line of `amount` (so the total is the amount). */
export function paymentRequest(
  shopper: number,
  capture: SignedCapture,
  o: { amount?: number; paymentId?: string; saleId?: string; stepUp?: string } = {},
): PaymentRequest {
  const amount = o.amount ?? 1_250;
  seq++;
  return {
    paymentId: o.paymentId ?? `pay-${seq}-${Math.random().toString(36).slice(2, 10)}`,
    saleId: o.saleId ?? `sale-palm-${seq}`,
    amount: { amount, currency: 'USD' },
    lines: [
      {
        lineId: 'l1',
        productId: 'p1',
        barcode: '4006381333931',
        name: 'Groceries',
        unitPrice: { amount, currency: 'USD' },
        quantity: 1,
        taxClass: 'exempt',
        minimumAge: 0,
        voided: false,
      },
    ],
    templateId: demoTemplateId(shopper),
    capture,
    ...(o.stepUp ? { stepUp: { last4: o.stepUp } } : {}),
    match: { score: 600_000, runnerUpScore: 200_000, galleryTemplates: 100 },
  };
}
