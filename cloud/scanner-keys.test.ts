import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScannerKeyApproval } from '../common/sync/protocol';
import { activeScannerKey } from './scanner-keys';
import { createStaff } from './staff';
import {
  TEST_ATTENDANT,
  TEST_MANAGER,
  TestTerminal,
  startTestCloud,
  testStore,
  type TestCloud,
} from './testing';

/** A scanner's attestation key as palm-hid INFO gives it: SEC1 uncompressed, hex. */
function scannerKey(): string {
  const der = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
    format: 'der',
    type: 'spki',
  });
  return der.subarray(der.length - 65).toString('hex');
}

let cloud: TestCloud;
let lane: TestTerminal;
let otherLane: TestTerminal;
const STORE = 'scan-s';

beforeAll(async () => {
  cloud = await startTestCloud();
  await testStore(cloud.db, STORE, 'us', { staff: true });
  await testStore(cloud.db, 'scan-t');
  await createStaff(
    cloud.db,
    'scan-t',
    { id: 'tmgr', name: 'T Manager', role: 'manager', passcode: '31415926' },
    'operator',
  );
  lane = new TestTerminal('lane-scan');
  await lane.provision(cloud, STORE);
  otherLane = new TestTerminal('lane-scan-2');
  await otherLane.provision(cloud, STORE);
}, 60_000);
afterAll(async () => cloud?.close());

const approve = (t: TestTerminal, body: Record<string, unknown>) =>
  t.request(cloud, 'POST', '/v1/scanner-keys', body);

const rows = async () =>
  (await cloud.db.query('SELECT * FROM scanner_keys WHERE store_id = $1', [STORE])).rows.length;

describe('approving a scanner key needs a manager’s own credential, checked by the cloud', () => {
  const key = scannerKey();
  const base = { serial: 'EMU-0001', model: 'PalmSense Emu', publicKey: key };

  it('refuses a wrong passcode, an attendant, another store’s manager and an unknown id', async () => {
    const cases = [
      { staffId: TEST_MANAGER.id, passcode: '11111111' },
      { staffId: TEST_ATTENDANT.id, passcode: TEST_ATTENDANT.passcode },
      { staffId: 'tmgr', passcode: '31415926' }, // a manager, but of another store
      { staffId: 'nobody', passcode: TEST_MANAGER.passcode },
    ];
    for (const c of cases) {
      const res = await approve(lane, { ...base, ...c });
      expect(res.statusCode, c.staffId).toBe(403);
      expect(res.json().error).toBe('STAFF_CREDENTIAL_INVALID');
    }
    expect(await rows()).toBe(0);
    expect(await activeScannerKey(cloud.db, STORE, base.serial)).toBeNull();
  });

  it('an unsigned request, or a key that is not a P-256 point, is refused and writes nothing', async () => {
    const unsigned = await cloud.app.inject({
      method: 'POST',
      url: '/v1/scanner-keys',
      payload: { ...base, staffId: TEST_MANAGER.id, passcode: TEST_MANAGER.passcode },
    });
    expect(unsigned.statusCode).toBe(401);
    const offCurve = `04${'11'.repeat(64)}`;
    for (const publicKey of [offCurve, key.toUpperCase(), key.slice(0, 100)]) {
      const res = await approve(lane, {
        ...base,
        publicKey,
        staffId: TEST_MANAGER.id,
        passcode: TEST_MANAGER.passcode,
      });
      expect(res.statusCode, publicKey.slice(0, 8)).toBe(400);
    }
    expect(await rows()).toBe(0);
  });

  it('records the key for the store with who approved it, and audits it', async () => {
    const res = await approve(lane, {
      ...base,
      staffId: TEST_MANAGER.id,
      passcode: TEST_MANAGER.passcode,
    });
    expect(res.statusCode).toBe(201);
    expect(res.json<ScannerKeyApproval>()).toMatchObject({
      serial: base.serial,
      publicKey: key,
      model: base.model,
      approvedBy: { id: TEST_MANAGER.id, name: TEST_MANAGER.name },
    });
    expect((await activeScannerKey(cloud.db, STORE, base.serial))?.publicKey).toBe(key);
    expect(await activeScannerKey(cloud.db, 'scan-t', base.serial)).toBeNull(); // per store
    const audit = await cloud.db.query<{ actor: string; subject: string }>(
      `SELECT actor, subject FROM admin_audit WHERE store_id = $1 AND action = 'scanner-key.approved'`,
      [STORE],
    );
    expect(audit.rows).toEqual([{ actor: 'Test Manager (mgr)', subject: base.serial }]);
    // Approving the same key again answers the first approval.
    const again = await approve(otherLane, {
      ...base,
      staffId: TEST_MANAGER.id,
      passcode: TEST_MANAGER.passcode,
    });
    expect(again.statusCode).toBe(200);
  });

  it('another key for an approved serial is a conflict until the back office revokes the old one', async () => {
    const swapped = { ...base, publicKey: scannerKey() };
    const cred = { staffId: TEST_MANAGER.id, passcode: TEST_MANAGER.passcode };
    expect((await approve(lane, { ...swapped, ...cred })).statusCode).toBe(409);
    const revoke = await cloud.app.inject({
      method: 'POST',
      url: `/v1/admin/stores/${STORE}/scanner-keys/${base.serial}/revoke`,
      headers: { authorization: `Bearer ${cloud.adminToken}` },
    });
    expect(revoke.json()).toEqual({ revoked: true });
    expect((await approve(lane, { ...swapped, ...cred })).statusCode).toBe(201);
    const list = await cloud.app.inject({
      method: 'GET',
      url: `/v1/admin/stores/${STORE}/scanner-keys`,
      headers: { authorization: `Bearer ${cloud.adminToken}` },
    });
    const keys = list.json<{ scannerKeys: { publicKey: string; revokedAt: string | null }[] }>();
    expect(keys.scannerKeys.filter((k) => k.revokedAt === null).map((k) => k.publicKey)).toEqual([
      swapped.publicKey,
    ]);
  });

  it('five wrong passcodes from one lane, and the sixth try is 429 even if right; other lanes go on', async () => {
    const guesser = new TestTerminal('lane-guess');
    await guesser.provision(cloud, STORE);
    const body = { serial: 'EMU-0002', model: 'PalmSense Emu', publicKey: scannerKey() };
    for (let i = 0; i < 5; i++) {
      const res = await approve(guesser, {
        ...body,
        staffId: TEST_MANAGER.id,
        passcode: `9999000${i}`,
      });
      expect(res.statusCode, `guess ${i + 1}`).toBe(403);
    }
    const sixth = await approve(guesser, {
      ...body,
      staffId: TEST_MANAGER.id,
      passcode: TEST_MANAGER.passcode,
    });
    expect(sixth.statusCode).toBe(429);
    const fine = await approve(otherLane, {
      ...body,
      staffId: TEST_MANAGER.id,
      passcode: TEST_MANAGER.passcode,
    });
    expect(fine.statusCode).toBe(201);
  });
});
