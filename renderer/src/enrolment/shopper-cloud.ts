import { saveFailureOf, type SaveAnswer } from '../../../common/enrolment/cloud-answer';
import type {
  DeletionAnswer,
  DeletionRequest,
  EnrolmentRequest,
} from '../../../common/sync/enrolment';
import type { TerminalDatabase } from '../db/database';
import { CloudClient, SyncError, type FetchLike, type Signer } from '../sync/client';
import { loadIdentity } from '../sync/identity';

/**
 * Enrolment and deletion through the lane's store cloud, signed with the lane's own key like
 * every sync request. A lane with no cloud identity, no answer, or a 5xx is "unreachable": the
 * cloud wrote nothing the lane must know about (an enrolment sent again with the same id gets
 * the first answer if it did).
 */
export type DeletionOutcome =
  | { readonly kind: 'done'; readonly answer: DeletionAnswer }
  | {
      readonly kind: 'failed';
      readonly reason: 'unreachable' | 'not-confirmed' | 'not-found' | 'refused';
      /** The cloud's error code (STAFF_CREDENTIAL_INVALID: a wrong manager passcode). */
      readonly code: string;
      readonly message: string;
    };

export interface ShopperCloud {
  enrol(req: EnrolmentRequest): Promise<SaveAnswer>;
  deleteShopper(req: DeletionRequest): Promise<DeletionOutcome>;
}

const ENROL_TIMEOUT_MS = 20_000;

export function shopperCloud(db: TerminalDatabase, o: { fetch?: FetchLike } = {}): ShopperCloud {
  async function call<T>(run: (c: CloudClient, s: Signer) => Promise<T>): Promise<T> {
    const id = await loadIdentity(db);
    if (!id) throw new SyncError(0, 'NOT_CONNECTED', 'this lane is not connected to a store cloud');
    const client = new CloudClient({
      baseUrl: id.cloudUrl,
      timeoutMs: ENROL_TIMEOUT_MS,
      ...(o.fetch ? { fetch: o.fetch } : {}),
    });
    const signer: Signer = {
      terminalId: id.terminalId,
      privateKey: id.privateKey,
      clockOffsetMs: 0,
    };
    for (let attempt = 0; ; attempt++) {
      try {
        return await run(client, signer);
      } catch (e) {
        // A lane whose clock is off signs once more with the cloud's time (learned from the answer).
        if (
          e instanceof SyncError &&
          (e.answer === 'clock' || e.answer === 'replayed') &&
          attempt === 0
        )
          continue;
        throw e;
      }
    }
  }

  return {
    async enrol(req) {
      try {
        const a = await call((c, s) => c.enrol(s, req));
        return { kind: 'saved', customerRef: a.customerRef, updated: a.updated };
      } catch (e) {
        if (!(e instanceof SyncError)) throw e;
        if (e.code === 'ALREADY_ENROLLED' && typeof e.body.customerRef === 'string')
          return { kind: 'duplicate', customerRef: e.body.customerRef };
        return { kind: 'failed', reason: saveFailureOf(e.status, e.code), message: e.message };
      }
    },
    async deleteShopper(req) {
      try {
        return { kind: 'done', answer: await call((c, s) => c.deleteShopper(s, req)) };
      } catch (e) {
        if (!(e instanceof SyncError)) throw e;
        const reason =
          e.status === 0 || e.status >= 500
            ? 'unreachable'
            : e.code === 'NOT_CONFIRMED' || e.code === 'CAPTURE_REUSED'
              ? 'not-confirmed'
              : e.code === 'SHOPPER_NOT_FOUND'
                ? 'not-found'
                : 'refused';
        return { kind: 'failed', reason, code: e.code, message: e.message };
      }
    },
  };
}
