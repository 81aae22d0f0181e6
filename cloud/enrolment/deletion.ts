import { thresholdFor } from '../../common/shard/policy';
import type { DeletionAnswer } from '../../common/sync/enrolment';
import type { SignedCapture } from '../../common/sync/protocol';
import { recordAdminAudit } from '../admin-audit';
import type { Database, Queryable } from '../db/types';
import { HttpError } from '../errors';
import { verifySignedCapture } from '../payments/capture';
import { bestScore, digitsMatch } from '../payments/rematch';
import { storeSettings } from '../stores';
import type { EnrolmentServices } from './services';

/**
 * Deleting a shopper, in two steps. The request publishes a tombstone at once, so every lane
 * stops recognising the palm on its next pull, and the cloud refuses their online palm payments
 * from then on. The data itself — the shopper's row with the sealed templates and the wrapped data
 * key, which is all that can open them (crypto-shredding: a backup of the row holds no key the
 * vault will unwrap once the row is gone) — goes when their outstanding stored payments can have
 * settled: none of theirs is still being charged, and the store's age limit for stored payments
 * has passed since the request, so a lane that took one offline before the deletion has pushed
 * it (or it is refused as too old anyway).
 */
export type DeletionVia = 'lane-palm' | 'lane-manager' | 'dashboard' | 'retention';

interface Target {
  readonly templateId: string;
  readonly customerRef: string;
}

const GONE = () =>
  new HttpError(404, 'SHOPPER_NOT_FOUND', 'No such shopper is enrolled in this store');

/** The shopper with this ref in this store (not already being deleted). */
export async function shopperByRef(
  db: Queryable,
  storeId: string,
  customerRef: string,
): Promise<Target> {
  const r = await db.query<{ template_id: string; customer_ref: string }>(
    `SELECT s.template_id, s.customer_ref FROM shoppers s WHERE s.store_id = $1 AND s.customer_ref = $2
       AND NOT EXISTS (SELECT 1 FROM shopper_deletions d
                       WHERE d.store_id = s.store_id AND d.template_id = s.template_id)`,
    [storeId, customerRef],
  );
  const row = r.rows[0];
  if (!row) throw GONE();
  return { templateId: row.template_id, customerRef: row.customer_ref };
}

/**
 * The shopper at the lane proves it is them: a fresh signed capture of the palm that clears the
 * store's 1:1 threshold against the record the lane matched, and the last four digits of their
 * phone. Wrong digits and a palm that is not theirs get the same answer.
 */
export async function shopperByPalm(
  db: Database,
  svc: EnrolmentServices,
  storeId: string,
  o: { templateId: string; capture: SignedCapture; last4: string },
): Promise<Target> {
  const policy = (await storeSettings(db, storeId)).matcher.policy;
  if (!policy)
    throw new HttpError(409, 'PALM_PAY_NOT_SET_UP', 'This store has no palm pay policy yet');
  const verified = await verifySignedCapture(db, storeId, o.capture);
  if (!('result' in verified)) throw new HttpError(422, 'CAPTURE_INVALID', verified.message);
  const deleting = await isDeleting(db, storeId, o.templateId);
  const shopper = deleting ? null : await svc.shoppers.find(db, storeId, o.templateId);
  const refused = new HttpError(
    403,
    'NOT_CONFIRMED',
    'The palm and the last four digits do not confirm an enrolled shopper',
  );
  if (!shopper) throw refused;
  const enrolled = await svc.shoppers.open(shopper);
  const score = bestScore(verified.result.template, enrolled);
  for (const t of enrolled) t.fill(0);
  const digits = digitsMatch(shopper.phoneLast4, o.last4);
  if (score < thresholdFor(policy.tail, 1, policy.acceptFpir) || !digits) throw refused;
  // The capture is spent: it confirmed this one deletion.
  const spent = await db.query(
    `INSERT INTO spent_captures (store_id, scanner_serial, counter, host_nonce, payment_id, template_id)
     VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`,
    [
      storeId,
      o.capture.scannerSerial,
      verified.result.counter,
      Buffer.from(verified.result.hostNonce).toString('hex'),
      `deletion:${o.templateId}`,
      o.templateId,
    ],
  );
  if (spent.affected !== 1)
    throw new HttpError(422, 'CAPTURE_REUSED', 'This capture was already used');
  return { templateId: shopper.templateId, customerRef: shopper.customerRef };
}

export async function isDeleting(
  db: Queryable,
  storeId: string,
  templateId: string,
): Promise<boolean> {
  const r = await db.query(
    'SELECT 1 FROM shopper_deletions WHERE store_id = $1 AND template_id = $2',
    [storeId, templateId],
  );
  return r.rows.length > 0;
}

/** Records the request, publishes the tombstone, and completes it if nothing is outstanding. */
export async function requestDeletion(
  db: Database,
  svc: EnrolmentServices,
  o: { storeId: string; target: Target; via: DeletionVia; requestedBy: string; now: number },
): Promise<DeletionAnswer> {
  const settings = await storeSettings(db, o.storeId);
  const notBefore = o.now + settings.offline.maxAgeHours * 3_600_000;
  const inserted = await db.transaction(async (tx) => {
    const r = await tx.query(
      `INSERT INTO shopper_deletions (store_id, template_id, customer_ref, via, requested_by, requested_at, not_before)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [
        o.storeId,
        o.target.templateId,
        o.target.customerRef,
        o.via,
        o.requestedBy,
        new Date(o.now).toISOString(),
        new Date(notBefore).toISOString(),
      ],
    );
    if (r.affected === 1)
      await recordAdminAudit(tx, {
        storeId: o.storeId,
        actor: o.requestedBy,
        action: 'shopper.deletion-requested',
        subject: o.target.customerRef,
        detail: { via: o.via },
      });
    return r.affected === 1;
  });
  const shardVersion = inserted
    ? await svc.publish(o.storeId, { adds: [], tombstones: [o.target.templateId] })
    : null;
  await completeDeletions(db, o.now, o.storeId);
  const r = await db.query<{ completed_at: Date | null; not_before: Date }>(
    'SELECT completed_at, not_before FROM shopper_deletions WHERE store_id = $1 AND template_id = $2',
    [o.storeId, o.target.templateId],
  );
  const row = r.rows[0]!;
  return {
    customerRef: o.target.customerRef,
    status: row.completed_at ? 'completed' : 'pending',
    completesAfter: new Date(row.not_before).toISOString(),
    shardVersion,
  };
}

/**
 * Completes every deletion whose wait is over and whose shopper has no payment still being
 * charged: their row goes (sealed templates and wrapped data key with it), and with it their
 * enrolment answers. Returns the refs completed.
 */
export async function completeDeletions(
  db: Database,
  now: number,
  storeId?: string,
): Promise<string[]> {
  const due = await db.query<{ store_id: string; template_id: string; customer_ref: string }>(
    `SELECT d.store_id, d.template_id, d.customer_ref FROM shopper_deletions d
     WHERE d.completed_at IS NULL AND d.not_before <= $1 AND ($2::text IS NULL OR d.store_id = $2)
       AND NOT EXISTS (SELECT 1 FROM payments p WHERE p.store_id = d.store_id
                       AND p.template_id = d.template_id AND p.status IN ('pending', 'charging'))`,
    [new Date(now).toISOString(), storeId ?? null],
  );
  const done: string[] = [];
  for (const d of due.rows) {
    await db.transaction(async (tx) => {
      await tx.query('DELETE FROM shoppers WHERE store_id = $1 AND template_id = $2', [
        d.store_id,
        d.template_id,
      ]);
      // Their captures' scores against the others go too: derived from their palm, and theirs.
      await tx.query(
        `DELETE FROM nonmated_scores n USING enrolments e WHERE n.store_id = $1
           AND e.store_id = n.store_id AND e.enrolment_id = n.enrolment_id AND e.template_id = $2`,
        [d.store_id, d.template_id],
      );
      await tx.query('DELETE FROM enrolments WHERE store_id = $1 AND template_id = $2', [
        d.store_id,
        d.template_id,
      ]);
      await tx.query(
        'UPDATE shopper_deletions SET completed_at = $3 WHERE store_id = $1 AND template_id = $2',
        [d.store_id, d.template_id, new Date(now).toISOString()],
      );
      await recordAdminAudit(tx, {
        storeId: d.store_id,
        actor: 'cloud',
        action: 'shopper.deleted',
        subject: d.customer_ref,
      });
    });
    done.push(d.customer_ref);
  }
  return done;
}
