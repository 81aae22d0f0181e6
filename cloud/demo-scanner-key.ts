import type { z } from 'zod';
import { scannerKeyRequestSchema, type ScannerKeyApproval } from '../common/sync/protocol';
import { recordAdminAudit } from './admin-audit';
import type { Database } from './db/types';
import { assertP256Point, view, type Row } from './scanner-keys';

/**
 * The demo's scanner approval: `npm run start:browser` runs an emulated scanner whose host trusts
 * it (PALM_EMULATOR_KEY=approved, the default) and starts this cloud beside it, handing it the
 * emulator's public key in DEMO_SCANNER_KEY. The embedded demo cloud then records that key as the
 * demo store's approved key for the emulator's serial, in the audit as the demo launcher's
 * approval — so the demo pays by palm out of the box. Trust comes from the launcher, which
 * started both processes; no lane can ask for it, and only the demo store gets it. A store's
 * real scanners still need a manager (scanner-keys.ts), and a key nobody approved never pays.
 */
export const demoScannerKeySchema = scannerKeyRequestSchema.pick({
  serial: true,
  model: true,
  publicKey: true,
});
export type DemoScannerKey = z.infer<typeof demoScannerKeySchema>;

/** Who approved it, as the audit and the scanner list show it. */
export const DEMO_SCANNER_APPROVER = {
  id: 'demo-launcher',
  name: 'Demo launcher (its emulated scanner)',
} as const;

/**
 * DEMO_SCANNER_KEY from the environment: unset → null; otherwise `{"serial","model","publicKey"}`
 * JSON, refused with a message naming the variable when malformed, or in production.
 */
export function demoScannerKeyFromEnv(
  env: Record<string, string | undefined>,
): DemoScannerKey | null {
  const raw = env.DEMO_SCANNER_KEY?.trim();
  if (!raw) return null;
  if (env.NODE_ENV === 'production')
    throw new Error(
      'DEMO_SCANNER_KEY is a demo setting: a production cloud approves scanners only through a manager (unset it).',
    );
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new Error('DEMO_SCANNER_KEY must be JSON: {"serial","model","publicKey"}');
  }
  const r = demoScannerKeySchema.safeParse(json);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`DEMO_SCANNER_KEY: ${issue.path.join('.') || 'value'}: ${issue.message}`);
  }
  return r.data;
}

/**
 * Records `key` as the demo store's approved key for its serial. The emulator makes a new key on
 * every start, so an earlier active key for the serial is revoked first (its private half died
 * with the last run); both steps are in the store's audit.
 */
export async function approveDemoScannerKey(
  db: Database,
  demoStoreId: string,
  key: DemoScannerKey,
): Promise<{
  approval: ScannerKeyApproval;
  created: boolean;
  replaced: string | null;
  /** The lowest capture counter not yet spent from this serial in the store (see below). */
  nextCounter: number;
}> {
  await assertP256Point(key.publicKey);
  const actor = `${DEMO_SCANNER_APPROVER.name} (${DEMO_SCANNER_APPROVER.id})`;
  return db.transaction(async (tx) => {
    const current = await tx.query<Row>(
      `SELECT serial, public_key, model, approved_by, approved_by_name, approved_at FROM scanner_keys
       WHERE store_id = $1 AND serial = $2 AND revoked_at IS NULL FOR UPDATE`,
      [demoStoreId, key.serial],
    );
    const active = current.rows[0];
    // Spent captures are unique per store, serial and counter (capture.ts), and the emulator's
    // counter starts again at each run: the launcher resumes it above the last one spent.
    const spent = await tx.query<{ next: number }>(
      `SELECT coalesce(max(counter) + 1, 0)::bigint AS next FROM spent_captures
       WHERE store_id = $1 AND scanner_serial = $2`,
      [demoStoreId, key.serial],
    );
    const nextCounter = Number(spent.rows[0]?.next ?? 0);
    if (active && active.public_key === key.publicKey)
      return { approval: view(active), created: false, replaced: null, nextCounter };
    if (active) {
      await tx.query(
        `UPDATE scanner_keys SET revoked_at = now(), revoked_by = $3
         WHERE store_id = $1 AND serial = $2 AND revoked_at IS NULL`,
        [demoStoreId, key.serial, actor],
      );
      await recordAdminAudit(tx, {
        storeId: demoStoreId,
        actor,
        action: 'scanner-key.revoked',
        subject: key.serial,
        detail: {
          publicKey: active.public_key,
          demo: true,
          why: 'the emulator started with a new key',
        },
      });
    }
    const inserted = await tx.query<Row>(
      `INSERT INTO scanner_keys (store_id, serial, public_key, model, approved_by, approved_by_name, approved_via)
       VALUES ($1, $2, $3, $4, $5, $6, 'demo-launcher')
       ON CONFLICT (store_id, serial, public_key) DO UPDATE SET
         revoked_at = NULL, revoked_by = NULL, model = EXCLUDED.model, approved_by = EXCLUDED.approved_by,
         approved_by_name = EXCLUDED.approved_by_name, approved_at = now(), approved_via = EXCLUDED.approved_via
       RETURNING serial, public_key, model, approved_by, approved_by_name, approved_at`,
      [
        demoStoreId,
        key.serial,
        key.publicKey,
        key.model,
        DEMO_SCANNER_APPROVER.id,
        DEMO_SCANNER_APPROVER.name,
      ],
    );
    await recordAdminAudit(tx, {
      storeId: demoStoreId,
      actor,
      action: 'scanner-key.approved',
      subject: key.serial,
      detail: { model: key.model, publicKey: key.publicKey, demo: true },
    });
    return {
      approval: view(inserted.rows[0]!),
      created: true,
      replaced: active?.public_key ?? null,
      nextCounter,
    };
  });
}
