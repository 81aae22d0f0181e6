import { countryOfLocale, normalisePhone } from '../../common/enrolment/phone';
import { storeProfile } from '../../common/store-profile';
import type { Queryable } from '../db/types';
import { HttpError } from '../errors';
import type { KeyVault } from '../payments/key-vault';
import { storeSettings } from '../stores';
import { shopperByRef } from './deletion';
import { existingPhoneSecret, phoneKey } from './phone-key';

/**
 * Finding the shopper a deletion request names, as a store's staff get it: the shopper's ref
 * (cus_…, shown at enrolment) or the phone number they enrolled with, typed as people write it
 * (normalised with the store's country, then looked up by its keyed hash — the number itself is
 * not stored). Shoppers already being deleted are not found.
 */
const REF = /^cus_[a-z0-9]{8,40}$/;

export async function shopperByRefOrPhone(
  db: Queryable,
  vault: KeyVault,
  storeId: string,
  text: string,
): Promise<{ templateId: string; customerRef: string }> {
  const value = text.trim();
  if (REF.test(value)) return shopperByRef(db, storeId, value);
  const { profileId } = await storeSettings(db, storeId);
  const phone = normalisePhone(value, countryOfLocale(storeProfile(profileId).locale));
  if (!phone.ok)
    throw new HttpError(
      400,
      'BAD_REQUEST',
      'Give the shopper’s reference (cus_…) or the phone number they enrolled with',
    );
  const secret = await existingPhoneSecret(db, vault, storeId);
  if (!secret) throw notEnrolled();
  const key = phoneKey(secret, phone.e164);
  const r = await db.query<{ customer_ref: string }>(
    'SELECT customer_ref FROM shoppers WHERE store_id = $1 AND phone_key = $2',
    [storeId, key],
  );
  const ref = r.rows[0]?.customer_ref;
  if (!ref) throw notEnrolled();
  return shopperByRef(db, storeId, ref);
}

const notEnrolled = () =>
  new HttpError(404, 'SHOPPER_NOT_FOUND', 'No shopper is enrolled in this store with that number');
