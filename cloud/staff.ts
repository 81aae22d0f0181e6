import { pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import {
  PASSCODE_PATTERN,
  PASSCODE_RULE,
  PBKDF2_ALG,
  PBKDF2_HASH_BYTES,
  PBKDF2_ITERATIONS,
  PBKDF2_SALT_BYTES,
  STAFF_ID_PATTERN,
  type StaffMember,
  type StaffRole,
  type StaffVerifier,
} from '../common/staff';
import { staffVerifierSchema } from '../common/sync/protocol';
import { recordAdminAudit } from './admin-audit';
import type { Database, Queryable } from './db/types';
import { HttpError, badRequest, notFound } from './errors';
import { nextVersion, storeSettings } from './stores';

/**
 * Staff credentials in the cloud: node:crypto's PBKDF2 (on libuv's thread pool, so a check does
 * not block other requests), the `staff` table as the source of truth, and the store settings'
 * `staff` list (what lanes pull) rebuilt from it on every change.
 */
const pbkdf2Async = promisify(pbkdf2);

export interface NewStaff {
  readonly id: string;
  readonly name: string;
  readonly role: StaffRole;
  readonly passcode: string;
}

export async function makeVerifier(passcode: string): Promise<StaffVerifier> {
  if (!PASSCODE_PATTERN.test(passcode)) throw badRequest(`passcode: ${PASSCODE_RULE}`);
  const salt = randomBytes(PBKDF2_SALT_BYTES);
  const hash = await pbkdf2Async(passcode, salt, PBKDF2_ITERATIONS, PBKDF2_HASH_BYTES, 'sha256');
  return {
    alg: PBKDF2_ALG,
    iterations: PBKDF2_ITERATIONS,
    salt: salt.toString('base64url'),
    hash: hash.toString('base64url'),
  };
}

/** Constant-time check; a verifier below this build's minimum never matches. */
export async function verifyPasscode(verifier: StaffVerifier, passcode: string): Promise<boolean> {
  if (!PASSCODE_PATTERN.test(passcode) || !staffVerifierSchema.safeParse(verifier).success)
    return false;
  const expected = Buffer.from(verifier.hash, 'base64url');
  const actual = await pbkdf2Async(
    passcode,
    Buffer.from(verifier.salt, 'base64url'),
    verifier.iterations,
    expected.length,
    'sha256',
  );
  return timingSafeEqual(actual, expected);
}

// A fixed verifier to check against when the staff id is unknown, so an unknown id costs the
// same time as a wrong passcode (ids cannot be probed by timing).
let decoy: Promise<StaffVerifier> | null = null;

/**
 * The active staff member with this id and role in the store whose passcode matches, else null
 * (unknown id, disabled, another role and a wrong passcode all look the same).
 */
export async function checkStaffCredential(
  db: Queryable,
  storeId: string,
  staffId: string,
  passcode: string,
  role: StaffRole = 'manager',
): Promise<StaffMember | null> {
  const r = STAFF_ID_PATTERN.test(staffId)
    ? await db.query<{ id: string; name: string; role: StaffRole; verifier: StaffVerifier }>(
        `SELECT id, name, role, verifier FROM staff
         WHERE store_id = $1 AND id = $2 AND disabled_at IS NULL`,
        [storeId, staffId],
      )
    : { rows: [] };
  const row = r.rows[0];
  decoy ??= makeVerifier('00000000');
  const ok = await verifyPasscode(row?.verifier ?? (await decoy), passcode);
  return row && ok && row.role === role ? row : null;
}

/** Rebuilds the settings' staff list from the table and gives the settings a new version. */
export async function publishStaff(tx: Queryable, storeId: string): Promise<void> {
  const version = await nextVersion(tx, storeId);
  const current = await storeSettings(tx, storeId);
  const staff = await tx.query<StaffMember>(
    `SELECT id, name, role, verifier FROM staff
     WHERE store_id = $1 AND disabled_at IS NULL ORDER BY id`,
    [storeId],
  );
  const settings = { ...current, staff: staff.rows };
  await tx.query('UPDATE stores SET settings = $2::jsonb, settings_version = $3 WHERE id = $1', [
    storeId,
    JSON.stringify(settings),
    version,
  ]);
}

export async function createStaff(
  db: Database,
  storeId: string,
  input: NewStaff,
  actor: string,
): Promise<void> {
  if (!STAFF_ID_PATTERN.test(input.id))
    throw badRequest('id: a staff id is 1–32 lower-case letters, digits, - or _');
  const verifier = await makeVerifier(input.passcode);
  await db.transaction(async (tx) => {
    const store = await tx.query('SELECT 1 FROM stores WHERE id = $1', [storeId]);
    if (store.rows.length === 0) throw notFound(`Store ${storeId}`);
    const inserted = await tx.query(
      `INSERT INTO staff (store_id, id, name, role, verifier, created_by)
       VALUES ($1, $2, $3, $4, $5::jsonb, $6) ON CONFLICT DO NOTHING`,
      [storeId, input.id, input.name, input.role, JSON.stringify(verifier), actor],
    );
    if (inserted.affected === 0)
      throw new HttpError(409, 'STAFF_EXISTS', `Staff id ${input.id} exists in ${storeId}`);
    await publishStaff(tx, storeId);
    await recordAdminAudit(tx, {
      storeId,
      actor,
      action: 'staff.created',
      subject: input.id,
      detail: { name: input.name, role: input.role },
    });
  });
}

/** Disables a person: their passcode stops working at once in the cloud, and on lanes once pulled. */
export async function disableStaff(
  db: Database,
  storeId: string,
  staffId: string,
  actor: string,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const r = await tx.query(
      `UPDATE staff SET disabled_at = now(), disabled_by = $3
       WHERE store_id = $1 AND id = $2 AND disabled_at IS NULL`,
      [storeId, staffId, actor],
    );
    if (r.affected === 0) {
      const known = await tx.query('SELECT 1 FROM staff WHERE store_id = $1 AND id = $2', [
        storeId,
        staffId,
      ]);
      if (known.rows.length === 0) throw notFound(`Staff ${staffId} in ${storeId}`);
      return false;
    }
    await publishStaff(tx, storeId);
    // Their dashboard sessions end with them.
    await tx.query('DELETE FROM dashboard_sessions WHERE store_id = $1 AND staff_id = $2', [
      storeId,
      staffId,
    ]);
    await recordAdminAudit(tx, { storeId, actor, action: 'staff.disabled', subject: staffId });
    return true;
  });
}

export async function listStaff(db: Queryable, storeId: string) {
  const r = await db.query<{
    id: string;
    name: string;
    role: StaffRole;
    created_at: Date;
    disabled_at: Date | null;
  }>('SELECT id, name, role, created_at, disabled_at FROM staff WHERE store_id = $1 ORDER BY id', [
    storeId,
  ]);
  return r.rows.map((s) => ({
    id: s.id,
    name: s.name,
    role: s.role,
    createdAt: s.created_at.toISOString(),
    disabledAt: s.disabled_at?.toISOString() ?? null,
  }));
}
