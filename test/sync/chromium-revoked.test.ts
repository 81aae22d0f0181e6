import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoCatalog } from '../../common/demo-catalog';
import { storeProfile } from '../../common/store-profile';
import { badge, ringSale, snapshot, unsynced, until } from './chromium/lane-page';
import { ADMIN_TOKEN, CHROMIUM, openLane, startFaultEnv, type FaultEnv } from './chromium/run';

/**
 * A revoked lane in the real page: the status bar and the manager view say why sync stopped and
 * what to do, the sale stays counted, and once the store reinstates the lane it syncs again with
 * no reload (here "Check now"; on its own it looks again every few minutes, engine-retry.test.ts).
 */
const MANAGER = { id: 'm1', name: 'Morgan Lee', role: 'manager', passcode: '12345678' } as const;
let env: FaultEnv | null = null;
afterAll(async () => env?.close());

const ARTIFACTS = resolve(import.meta.dirname, '../artifacts');
const SCANNABLE = demoCatalog(storeProfile('us')).filter((p) => p.minimumAge === 0);

describe.skipIf(!CHROMIUM)('a revoked lane in Chromium', () => {
  it('shows the reason and what to do, keeps the sale, and resumes once reinstated', async () => {
    env = await startFaultEnv();
    const lane = await openLane(env, 9001, { staff: [MANAGER] });
    const { page, app, storeId } = lane;
    try {
      const terminals = await env.db.query<{ id: string }>(
        'SELECT id FROM terminals WHERE store_id = $1',
        [storeId],
      );
      const admin = (what: string) =>
        app.inject({
          method: 'POST',
          url: `/v1/admin/terminals/${terminals.rows[0]!.id}/${what}`,
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        });
      expect((await admin('revoke')).json()).toEqual({ revoked: true });

      await ringSale(page, SCANNABLE.slice(0, 2), { reloadMidSale: false, reloadAfterPayMs: null });
      const shown = await until('the revoked badge', async () => {
        const b = await badge(page);
        return b.phase === 'revoked' ? b : undefined;
      });
      expect(shown.text).toBe('Cloud sync: Stopped: lane revoked by the store · 1 sale waiting');
      expect(shown.title).toContain('reinstate this lane');
      expect(shown.title).toContain('TERMINAL_REVOKED');
      expect(unsynced(await snapshot(page)).map((r) => r.status)).toEqual(['pending']);

      await page.getByRole('button', { name: 'Manager' }).click();
      const dialog = page.getByTestId('credential-dialog');
      await dialog.getByTestId('credential-staff').selectOption(MANAGER.id);
      await dialog.getByTestId('credential-passcode').fill(MANAGER.passcode);
      await dialog.getByTestId('credential-submit').click();
      await page.getByRole('heading', { name: 'Sync is stopped' }).waitFor();
      expect(await page.getByTestId('manager-stop-reason').textContent()).toContain(
        'Stopped: lane revoked by the store',
      );
      expect(await page.getByTestId('manager-stop-help').textContent()).toContain(
        'sync resumes by itself',
      );
      // The sale, and the audit event naming who opened the manager view: both wait, and the
      // view's live count catches up with the audit row it has just written.
      await until('the manager view to count both', async () =>
        (await page.getByTestId('manager-pending').textContent()) === '2' ? true : undefined,
      );
      expect(unsynced(await snapshot(page)).map((r) => (r.saleId ? 'sale' : 'audit'))).toEqual([
        'sale',
        'audit',
      ]);
      await page.screenshot({ path: resolve(ARTIFACTS, 'manager-revoked.png'), fullPage: true });

      expect((await admin('reinstate')).json()).toEqual({ reinstated: true });
      await page.getByRole('button', { name: 'Check now' }).click();
      await until('the lane to sync again', async () => {
        const b = await badge(page);
        return b.phase === 'idle' && unsynced(await snapshot(page)).length === 0 ? true : undefined;
      });
      expect((await badge(page)).text).toBe('Cloud sync: Up to date');
      const sales = await env.db.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM sales WHERE store_id = $1',
        [storeId],
      );
      expect(sales.rows[0]!.n).toBe(1);
      await page.getByRole('heading', { name: 'Sync is stopped' }).waitFor({ state: 'detached' });
    } finally {
      await lane.close();
    }
  }, 120_000);
});
