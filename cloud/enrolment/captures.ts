import {
  CONSISTENCY_MIN,
  captureProblem,
  fuseTemplates,
  leastAgreement,
} from '../../common/enrolment/captures';
import type { CaptureResult } from '../../common/palm-hid';
import type { SignedCapture } from '../../common/sync/protocol';
import type { EnrolmentError } from '../../common/sync/enrolment';
import type { Queryable } from '../db/types';
import { HttpError } from '../errors';
import { checkSignedCapture } from '../signed-capture';

/**
 * The captures an enrolment rests on, checked by the cloud itself rather than believed from the
 * lane: each is the scanner's own signed bytes, verified with the key this store approved for
 * that serial, taken in enrol mode, of enrolment quality and liveness; a palm's captures agree
 * with each other; then they are fused into the palm's template (common/enrolment/captures.ts,
 * the same code the lane ran).
 */
export interface VerifiedEnrolCapture {
  readonly serial: string;
  readonly result: CaptureResult;
}

const refuse = (code: EnrolmentError, message: string) => new HttpError(422, code, message);

export async function verifyEnrolCapture(
  tx: Queryable,
  storeId: string,
  capture: SignedCapture,
): Promise<VerifiedEnrolCapture> {
  const checked = await checkSignedCapture(tx, storeId, capture);
  if (!checked.ok)
    throw refuse(
      'CAPTURE_INVALID',
      checked.problem === 'no-approved-key' ? checked.message : `a capture ${checked.message}`,
    );
  const { result } = checked;
  const problem = captureProblem({
    template: result.template,
    quality: result.quality,
    liveness: result.liveness,
  });
  if (problem === 'liveness')
    throw refuse('CAPTURE_LIVENESS', 'a capture failed the liveness check');
  if (problem)
    throw refuse('CAPTURE_QUALITY', `a capture's quality ${result.quality} is too low to enrol`);
  return { serial: capture.scannerSerial, result };
}

/** A palm's enrolment template from its verified captures. */
export function palmTemplate(captures: readonly VerifiedEnrolCapture[]): Int8Array {
  const templates = captures.map((c) => c.result.template);
  if (leastAgreement(templates) < CONSISTENCY_MIN)
    throw refuse('CAPTURE_INCONSISTENT', "a palm's captures are not all of one palm");
  return fuseTemplates(templates);
}

/**
 * Spends the captures (in the enrolment's transaction) in the pool payments spend from
 * (`spent_captures`, per store, scanner, counter and host nonce): a capture enrols once, and a
 * capture that paid cannot enrol, nor an enrolment capture pay.
 */
export async function useCaptures(
  tx: Queryable,
  storeId: string,
  enrolmentId: string,
  templateId: string,
  captures: readonly VerifiedEnrolCapture[],
): Promise<void> {
  for (const c of captures) {
    const r = await tx.query(
      `INSERT INTO spent_captures (store_id, scanner_serial, counter, host_nonce, payment_id, template_id)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
      [
        storeId,
        c.serial,
        c.result.counter,
        Buffer.from(c.result.hostNonce).toString('hex'),
        `enrolment:${enrolmentId}`,
        templateId,
      ],
    );
    if (r.affected !== 1)
      throw refuse('CAPTURE_REUSED', 'a capture was already used for an enrolment');
  }
}
