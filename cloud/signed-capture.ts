import { fromBase64url } from '../common/base64url';
import {
  PT1_TEMPLATE_DIMS,
  TEMPLATE_FORMAT_PT1,
  decodeCaptureResult,
  verifyCapture,
  type CaptureResult,
} from '../common/palm-hid';
import type { SignedCapture } from '../common/sync/protocol';
import type { Queryable } from './db/types';
import { activeScannerKey } from './scanner-keys';

/**
 * Why a signed capture is not the approved scanner's own PT1 capture. Messages read after "the
 * capture" ("does not decode: …"), except no-approved-key, which stands alone.
 */
export type SignedCaptureProblem = 'malformed' | 'no-approved-key' | 'unsigned';

export type SignedCaptureCheck =
  | { readonly ok: true; readonly result: CaptureResult }
  | { readonly ok: false; readonly problem: SignedCaptureProblem; readonly message: string };

/**
 * A capture as the scanner signed it, checked by the cloud rather than believed from the lane:
 * it decodes, is a PT1 template of 512 components, and carries the signature of the key this
 * store approved for that serial (revoked keys and other stores' keys are not looked at).
 * Payments and enrolment both rest on this; each adds its own checks (spending, quality) and
 * names the refusal in its own terms.
 */
export async function checkSignedCapture(
  tx: Queryable,
  storeId: string,
  capture: SignedCapture,
): Promise<SignedCaptureCheck> {
  let bytes: Uint8Array;
  let result: CaptureResult;
  try {
    bytes = fromBase64url(capture.signed);
    result = decodeCaptureResult(bytes);
  } catch (e) {
    return { ok: false, problem: 'malformed', message: `does not decode: ${(e as Error).message}` };
  }
  if (result.format !== TEMPLATE_FORMAT_PT1 || result.dims !== PT1_TEMPLATE_DIMS)
    return { ok: false, problem: 'malformed', message: 'is not a PT1 template of 512 components' };
  const key = await activeScannerKey(tx, storeId, capture.scannerSerial);
  if (!key)
    return {
      ok: false,
      problem: 'no-approved-key',
      message: `scanner ${capture.scannerSerial} has no approved key in this store`,
    };
  const { verdict } = await verifyCapture({
    payload: bytes,
    publicKey: Uint8Array.from(Buffer.from(key.publicKey, 'hex')),
    // Freshness (nonce and counter) is each caller's: verifyCapture checks the signature here.
    hostNonce: result.hostNonce,
    lastCounter: -1,
  });
  if (verdict !== 'accept')
    return {
      ok: false,
      problem: 'unsigned',
      message: `is not signed by scanner ${capture.scannerSerial}'s approved key`,
    };
  return { ok: true, result };
}
