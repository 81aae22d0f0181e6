import { toBase64url } from '../../common/base64url';
import { PT1_DIMS } from '../../common/palm/population';
import {
  TEMPLATE_FORMAT_PT1,
  encodeCaptureResultBody,
  generateAttestationKey,
  randomBytes,
  signCapture,
} from '../../common/palm-hid';
import type { EnrolmentRequest } from '../../common/sync/enrolment';
import type { SignedCapture } from '../../common/sync/protocol';
import type { Database } from '../db/types';
import { demoPopulation } from '../demo-shoppers';

/**
 * Test support for enrolment: a scanner that signs captures of the demo population (palm-hid
 * §5) with the quality and liveness a test asks for, and enrolment requests made of them.
 */
export class EnrolScanner {
  private counter = 0;
  private readonly population = demoPopulation();
  private constructor(
    readonly serial: string,
    private readonly keys: CryptoKeyPair,
    readonly publicKeyHex: string,
  ) {}

  static async create(serial: string): Promise<EnrolScanner> {
    const { keyPair, publicKey } = await generateAttestationKey();
    return new EnrolScanner(serial, keyPair, Buffer.from(publicKey).toString('hex'));
  }

  async approveIn(db: Database, storeId: string): Promise<void> {
    await db.query(
      `INSERT INTO scanner_keys (store_id, serial, public_key, model, approved_by, approved_by_name)
       VALUES ($1, $2, $3, 'Test scanner', 'mgr', 'Test Manager')`,
      [storeId, this.serial, this.publicKeyHex],
    );
  }

  async capture(
    identity: number,
    o: { quality?: number; liveness?: number; hand?: 'left' | 'right' } = {},
  ): Promise<SignedCapture> {
    const counter = ++this.counter;
    const quality = o.quality ?? 90;
    const body = encodeCaptureResultBody({
      format: TEMPLATE_FORMAT_PT1,
      hand: o.hand ?? 'right',
      quality,
      liveness: o.liveness ?? 95,
      counter,
      dims: PT1_DIMS,
      template: this.population.capture(identity, quality, counter),
      hostNonce: randomBytes(16),
    });
    const signature = await signCapture(this.keys.privateKey, body);
    const all = new Uint8Array(body.length + signature.length);
    all.set(body);
    all.set(signature, body.length);
    return { signed: toBase64url(all), scannerSerial: this.serial };
  }

  /** Three captures of one palm. */
  async palm(identity: number, o: { quality?: number; liveness?: number } = {}) {
    return [
      await this.capture(identity, o),
      await this.capture(identity, o),
      await this.capture(identity, o),
    ];
  }
}

let seq = 0;

/** An enrolment of population subject(s) `palms` (one palm each), approving card, no age check. */
export async function enrolmentRequest(
  scanner: EnrolScanner,
  palms: readonly number[],
  o: Partial<EnrolmentRequest> = {},
): Promise<EnrolmentRequest> {
  seq++;
  const hands = ['right', 'left'] as const;
  return {
    enrolmentId: `enr-test-${seq}-${Math.random().toString(36).slice(2, 10)}`,
    consentAt: new Date().toISOString(),
    cardSetupRef: `seti_emu_visa_4242_ok_${String(seq).padStart(6, '0')}`,
    phone: '+12015550123',
    palms: await Promise.all(
      palms.map(async (identity, i) => ({
        hand: hands[i]!,
        captures: await scanner.palm(identity),
      })),
    ),
    age: null,
    onDuplicate: { kind: 'ask' },
    ...o,
  };
}
