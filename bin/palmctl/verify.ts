import { fromHex } from '../../common/palm-hid/bytes';
import { HOST_NONCE_BYTES } from '../../common/palm-hid/constants';
import { verifyCapture, type CaptureVerdict } from '../../common/palm-hid/verify';

export class VerifyUsageError extends Error {}

export interface VerifyArgs {
  publicKey: string;
  nonce: string;
  lastCounter: string;
  payload: string;
}

function hexArg(name: string, value: string): Uint8Array {
  try {
    return fromHex(value.trim());
  } catch (e) {
    throw new VerifyUsageError(`${name}: ${(e as Error).message}`);
  }
}

/** `palmctl verify`: the §5 checks on one CAPTURE_RESULT payload. */
export async function verifyCommand(a: VerifyArgs): Promise<CaptureVerdict> {
  const publicKey = hexArg('--public-key', a.publicKey);
  const nonce = hexArg('--nonce', a.nonce);
  if (nonce.length !== HOST_NONCE_BYTES)
    throw new VerifyUsageError(`--nonce must be ${HOST_NONCE_BYTES} bytes (got ${nonce.length})`);
  if (!/^-?\d+$/.test(a.lastCounter.trim()))
    throw new VerifyUsageError(`--last-counter must be a whole number (got “${a.lastCounter}”)`);
  const lastCounter = Number(a.lastCounter);
  const payload = hexArg('PAYLOAD_HEX', a.payload);
  try {
    return (await verifyCapture({ payload, publicKey, hostNonce: nonce, lastCounter })).verdict;
  } catch (e) {
    throw new VerifyUsageError((e as Error).message);
  }
}
