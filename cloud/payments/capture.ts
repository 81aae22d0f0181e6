import type { CaptureResult } from '../../common/palm-hid';
import type { SignedCapture } from '../../common/sync/protocol';
import type { Queryable } from '../db/types';
import { checkSignedCapture } from '../signed-capture';
import { decline, type Finding } from './decline';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/**
 * The capture a payment rests on: the scanner's own signed bytes, verified with the key the
 * store approved for that serial (revoked keys and other stores' keys are not looked at), then
 * spent. The cloud issued no nonce for it, so freshness is uniqueness: a capture (its counter and
 * its host nonce, per store and scanner) pays for one payment decision, online or stored,
 * with at most one continuation after the cloud asked for step-up.
 */
export async function verifySignedCapture(
  tx: Queryable,
  storeId: string,
  capture: SignedCapture,
): Promise<{ result: CaptureResult } | Finding> {
  const checked = await checkSignedCapture(tx, storeId, capture);
  if (checked.ok) return { result: checked.result };
  switch (checked.problem) {
    case 'malformed':
      return decline('CAPTURE_MALFORMED', `the capture ${checked.message}`);
    case 'no-approved-key':
      return decline('SCANNER_NOT_APPROVED', checked.message);
    case 'unsigned':
      return decline('CAPTURE_UNSIGNED', `the capture ${checked.message}`);
  }
}

/**
 * Spends a verified capture for `paymentId`. A capture already spent is a replay, unless the
 * decision it paid for asked for step-up and this request brings the digits for the same
 * shopper: then it is the one continuation.
 */
export async function spendCapture(
  tx: Queryable,
  o: {
    storeId: string;
    serial: string;
    result: CaptureResult;
    paymentId: string;
    templateId: string;
    continuesStepUp: boolean;
  },
): Promise<Finding | null> {
  const nonce = hex(o.result.hostNonce);
  const inserted = await tx.query(
    `INSERT INTO spent_captures (store_id, scanner_serial, counter, host_nonce, payment_id, template_id)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [o.storeId, o.serial, o.result.counter, nonce, o.paymentId, o.templateId],
  );
  if (inserted.affected === 1) return null;
  if (o.continuesStepUp) {
    const continued = await tx.query(
      `UPDATE spent_captures SET step_up_open = false, payment_id = $6
       WHERE store_id = $1 AND scanner_serial = $2 AND counter = $3 AND host_nonce = $4
         AND template_id = $5 AND step_up_open`,
      [o.storeId, o.serial, o.result.counter, nonce, o.templateId, o.paymentId],
    );
    if (continued.affected === 1) return null;
  }
  return decline('CAPTURE_REPLAYED', 'this capture was already used for a payment');
}

/** The decision this capture paid for asked for step-up: one continuation with digits may follow. */
export async function openStepUp(
  tx: Queryable,
  storeId: string,
  serial: string,
  result: CaptureResult,
): Promise<void> {
  await tx.query(
    `UPDATE spent_captures SET step_up_open = true
     WHERE store_id = $1 AND scanner_serial = $2 AND counter = $3`,
    [storeId, serial, result.counter],
  );
}
