import { createHash, randomBytes } from 'node:crypto';
import type { ShardRecord } from '../../common/shard/format';
import { storeProfile } from '../../common/store-profile';
import type { EnrolmentAnswer, EnrolmentRequest } from '../../common/sync/enrolment';
import { recordAdminAudit } from '../admin-audit';
import type { AuthenticatedTerminal } from '../auth';
import type { Database, Queryable } from '../db/types';
import { HttpError } from '../errors';
import { digitsMatch } from '../payments/rematch';
import { sealTemplates } from '../payments/sealed-templates';
import { checkStaffCredential } from '../staff';
import { storeSettings } from '../stores';
import { saveCardSafely } from './card-setup';
import { palmTemplate, useCaptures, verifyEnrolCapture } from './captures';
import { findDuplicate, scanGallery } from './duplicates';
import { recordNonMatedScores } from './policy-refit';
import { phoneKey, storePhoneSecret } from './phone-key';
import type { EnrolmentServices } from './services';

/**
 * `POST /v1/enrolments`: a shopper enrolled at a lane of the terminal's own store (the store is
 * always the terminal's, never the request's). Order matters: everything that can refuse without
 * side effects runs first (captures, the attendant, the duplicate check), then the processor
 * saves the card, then one transaction writes the shopper, spends the captures and records the
 * answer; the shard delta goes out after the commit. A refusal at any step writes nothing.
 */
export async function enrolShopper(
  db: Database,
  svc: EnrolmentServices,
  terminal: AuthenticatedTerminal,
  req: EnrolmentRequest,
  now: number,
): Promise<{ answer: EnrolmentAnswer; created: boolean; gallery?: number }> {
  const storeId = terminal.storeId;
  const earlier = await priorAnswer(db, storeId, req.enrolmentId);
  if (earlier) return { answer: earlier, created: false };

  const settings = await storeSettings(db, storeId);
  const policy = settings.matcher.policy;
  if (!policy)
    throw new HttpError(409, 'PALM_PAY_NOT_SET_UP', 'This store has no palm pay policy yet');

  const palms = await Promise.all(
    req.palms.map(async (p) => ({
      hand: p.hand,
      captures: await Promise.all(p.captures.map((c) => verifyEnrolCapture(db, storeId, c))),
    })),
  );
  const templates = palms.map((p) => palmTemplate(p.captures));

  const age = req.age ? await checkAttendant(db, storeId, req.age) : null;

  await svc.shoppers.seedDemo(db);
  const scan = await scanGallery(
    db,
    svc.shoppers,
    storeId,
    policy,
    templates,
    palms.flatMap((p) => p.captures.map((c) => c.result.template)),
  );
  const dup = scan.duplicate;
  if (dup && req.onDuplicate.kind === 'ask')
    throw new HttpError(409, 'ALREADY_ENROLLED', 'This palm is already enrolled', {
      customerRef: dup.customerRef,
    });
  if (
    dup &&
    req.onDuplicate.kind === 'update' &&
    !digitsMatch(dup.phoneLast4, req.onDuplicate.confirmLast4)
  )
    throw new HttpError(
      403,
      'CONFIRMATION_FAILED',
      'The last four digits do not match the phone number this shopper enrolled with',
    );

  const card = await saveCardSafely(svc.cardSetup, {
    setupRef: req.cardSetupRef,
    storeId,
    idempotencyKey: `enrolment:${storeId}:${req.enrolmentId}`,
  });
  if (card.status === 'declined') throw new HttpError(402, 'CARD_DECLINED', card.message);
  if (card.status === 'unavailable') throw new HttpError(503, 'CARD_UNAVAILABLE', card.message);

  const profile = storeProfile(settings.profileId);
  const unit = 10 ** (profile.currency === 'KRW' || profile.currency === 'JPY' ? 0 : 2);
  const scale = profile.currency === 'KRW' ? 1300 : 1;
  const { answer, record } = await db.transaction(async (tx) => {
    const secret = await lockStoreSecret(tx, svc, storeId);
    // Again under the store's lock: two lanes enrolling one palm at once make one shopper.
    const again = await findDuplicate(tx, svc.shoppers, storeId, policy, templates);
    if (again?.templateId !== dup?.templateId)
      throw new HttpError(409, 'ALREADY_ENROLLED', 'This palm was enrolled a moment ago', {
        customerRef: again?.customerRef ?? null,
      });
    const templateId = dup?.templateId ?? `enr_${randomBytes(12).toString('hex')}`;
    const customerRef = dup?.customerRef ?? `cus_${randomBytes(10).toString('hex')}`;
    const salt = randomBytes(16);
    const last4 = req.phone.slice(-4);
    const record: ShardRecord = {
      templateId,
      customerRef,
      templates,
      ageVerified: (age?.minimumAge ?? 0) >= 21,
      loyaltyId: null,
      limits: {
        currency: profile.currency,
        perPayment: 100 * unit * scale,
        perDay: 1000 * unit * scale,
      },
      phoneLast4: {
        salt: salt.toString('base64'),
        hash: createHash('sha256').update(salt).update(last4, 'ascii').digest('base64'),
      },
    };
    await useCaptures(
      tx,
      storeId,
      req.enrolmentId,
      templateId,
      palms.flatMap((p) => p.captures),
    );
    const sealed = await sealTemplates(svc.shoppers.vault, storeId, templateId, templates);
    const values = [
      storeId,
      templateId,
      customerRef,
      card.token,
      card.brand,
      card.last4,
      record.ageVerified,
      record.limits.currency,
      record.limits.perPayment,
      record.limits.perDay,
      record.phoneLast4.salt,
      record.phoneLast4.hash,
      JSON.stringify(sealed),
      phoneKey(secret, req.phone),
      req.consentAt,
      terminal.terminalId,
      age?.minimumAge ?? null,
      age?.verifiedBy ?? null,
      age?.verifiedAt ?? null,
      new Date(now).toISOString(),
    ];
    if (dup)
      await tx.query(
        `UPDATE shoppers SET customer_ref = $3, card_token = $4, card_brand = $5, card_last4 = $6,
           age_verified = age_verified OR $7, currency = $8, phone_salt = $11, phone_hash = $12,
           templates = $13::jsonb, phone_key = $14, consent_at = $15, enrolled_by_terminal = $16,
           age_minimum = coalesce($17, age_minimum), age_verified_by = coalesce($18, age_verified_by),
           age_verified_at = coalesce($19::timestamptz, age_verified_at), updated_at = $20
         WHERE store_id = $1 AND template_id = $2 AND $9::bigint > 0 AND $10::bigint > 0`,
        values,
      );
    else
      await tx.query(
        `INSERT INTO shoppers (store_id, template_id, customer_ref, card_token, card_brand, card_last4,
           loyalty_id, age_verified, currency, per_payment, per_day, phone_salt, phone_hash, templates,
           phone_key, consent_at, enrolled_by_terminal, age_minimum, age_verified_by, age_verified_at,
           created_at)
         VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, $9, $10, $11, $12, $13::jsonb, $14, $15, $16,
           $17, $18, $19, $20)`,
        values,
      );
    // A new shopper's captures scored against everyone else: the store's non-mated searches.
    if (!dup && scan.gallery > 0)
      await recordNonMatedScores(tx, storeId, req.enrolmentId, scan.captureBest, scan.gallery, now);
    const answer: EnrolmentAnswer = {
      customerRef,
      templateId,
      updated: dup !== null,
      card: { brand: card.brand, last4: card.last4 },
      palms: templates.length,
      shardVersion: null,
    };
    await tx.query(
      `INSERT INTO enrolments (store_id, enrolment_id, terminal_id, template_id, answer)
       VALUES ($1, $2, $3, $4, $5::jsonb)`,
      [storeId, req.enrolmentId, terminal.terminalId, templateId, JSON.stringify(answer)],
    );
    await recordAdminAudit(tx, {
      storeId,
      actor: `lane ${terminal.terminalId}`,
      action: dup ? 'shopper.updated' : 'shopper.enrolled',
      subject: customerRef,
      detail: { palms: templates.length, ageVerifiedBy: age?.verifiedBy ?? null },
    });
    return { answer, record };
  });
  const shardVersion = await svc.publish(storeId, { adds: [record], tombstones: [] });
  for (const t of templates) t.fill(0);
  const gallery = scan.gallery + (dup ? 0 : templates.length);
  return { answer: { ...answer, shardVersion }, created: true, gallery };
}

async function priorAnswer(
  db: Queryable,
  storeId: string,
  id: string,
): Promise<EnrolmentAnswer | null> {
  const r = await db.query<{ answer: EnrolmentAnswer }>(
    'SELECT answer FROM enrolments WHERE store_id = $1 AND enrolment_id = $2',
    [storeId, id],
  );
  return r.rows[0]?.answer ?? null;
}

/** The store's phone-lookup secret, its row locked for the transaction (serialises enrolments). */
async function lockStoreSecret(tx: Queryable, svc: EnrolmentServices, storeId: string) {
  await storePhoneSecret(tx, svc.shoppers.vault, storeId);
  await tx.query('SELECT 1 FROM store_secrets WHERE store_id = $1 FOR UPDATE', [storeId]);
  return storePhoneSecret(tx, svc.shoppers.vault, storeId);
}

/** The attendant (or manager) who checked the ID, by their own credential, checked here. */
async function checkAttendant(
  db: Queryable,
  storeId: string,
  age: NonNullable<EnrolmentRequest['age']>,
): Promise<{ minimumAge: number; verifiedBy: string; verifiedAt: string }> {
  const who =
    (await checkStaffCredential(db, storeId, age.staffId, age.passcode, 'attendant')) ??
    (await checkStaffCredential(db, storeId, age.staffId, age.passcode, 'manager'));
  if (!who)
    throw new HttpError(
      403,
      'STAFF_CREDENTIAL_INVALID',
      'The staff id or passcode is wrong, or that person is not staff of this store',
    );
  return { minimumAge: age.minimumAge, verifiedBy: who.id, verifiedAt: age.verifiedAt };
}
