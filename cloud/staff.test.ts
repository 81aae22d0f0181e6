import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PBKDF2_ITERATIONS,
  checkPasscode,
  derivePasscodeHash,
  fromBase64Url,
} from '../common/staff';
import { storeSettingsSchema, type PullResponse } from '../common/sync/protocol';
import { checkStaffCredential, makeVerifier, verifyPasscode } from './staff';
import { storeSettings } from './stores';
import { TestTerminal, managerLogin, startTestCloud, testStore, type TestCloud } from './testing';

let cloud: TestCloud;
const STORE = 'staff-s';
const admin = () => ({ authorization: `Bearer ${cloud.adminToken}` });

beforeAll(async () => {
  cloud = await startTestCloud();
  await testStore(cloud.db, STORE);
}, 60_000);
afterAll(async () => cloud?.close());

describe('passcode verifiers', () => {
  it('are PBKDF2-HMAC-SHA256, 600 000 iterations, a 16-byte salt; node:crypto and Web Crypto agree', async () => {
    const v = await makeVerifier('24681357');
    expect(v.alg).toBe('PBKDF2-SHA256');
    expect(v.iterations).toBe(600_000);
    expect(PBKDF2_ITERATIONS).toBe(600_000);
    expect(fromBase64Url(v.salt)).toHaveLength(16);
    expect(fromBase64Url(v.hash)).toHaveLength(32);
    // The lane checks with Web Crypto what the cloud made with node:crypto.
    expect(await checkPasscode(v, '24681357')).toBe(true);
    expect(await checkPasscode(v, '24681358')).toBe(false);
    expect(await verifyPasscode(v, '24681357')).toBe(true);
    expect(await verifyPasscode(v, '2468135')).toBe(false);
    const web = await derivePasscodeHash('24681357', fromBase64Url(v.salt), v.iterations);
    expect(Buffer.from(web).toString('base64url')).toBe(v.hash);
    // Two verifiers of one passcode share nothing (fresh salt each time).
    const again = await makeVerifier('24681357');
    expect(again.salt).not.toBe(v.salt);
    expect(again.hash).not.toBe(v.hash);
  });

  it('a verifier weaker than the minimum never matches, even with the right passcode', async () => {
    const salt = crypto.getRandomValues(new Uint8Array(16));
    const weak = {
      alg: 'PBKDF2-SHA256' as const,
      iterations: 1000,
      salt: Buffer.from(salt).toString('base64url'),
      hash: Buffer.from(await derivePasscodeHash('24681357', salt, 1000)).toString('base64url'),
    };
    expect(await checkPasscode(weak, '24681357')).toBe(false);
    expect(await verifyPasscode(weak, '24681357')).toBe(false);
    expect(
      storeSettingsSchema.shape.staff.safeParse([
        { id: 'x', name: 'X', role: 'manager', verifier: weak },
      ]).success,
    ).toBe(false);
  });
});

describe('staff through the admin API', () => {
  it('refuses passcodes that are not 8–12 digits, and ids that are not ids', async () => {
    for (const passcode of ['1234567', '1234567890123', '1234abcd', '']) {
      const res = await cloud.app.inject({
        method: 'POST',
        url: `/v1/admin/stores/${STORE}/staff`,
        headers: admin(),
        payload: { id: 'm9', name: 'M', role: 'manager', passcode },
      });
      expect(res.statusCode, passcode).toBe(400);
      expect(res.json().message).toMatch(/8–12 digits/);
    }
    const badId = await cloud.app.inject({
      method: 'POST',
      url: `/v1/admin/stores/${STORE}/staff`,
      headers: admin(),
      payload: { id: 'Robert"); DROP', name: 'M', role: 'manager', passcode: '12345678' },
    });
    expect(badId.statusCode).toBe(400);
    const anon = await cloud.app.inject({
      method: 'POST',
      url: `/v1/admin/stores/${STORE}/staff`,
      payload: { id: 'm9', name: 'M', role: 'manager', passcode: '12345678' },
    });
    expect(anon.statusCode).toBe(401);
  });

  it('creates a person; lanes pull their verifier (never the passcode); disabling removes it', async () => {
    const t = new TestTerminal('lane-staff');
    await t.provision(cloud, STORE);
    const first = (await t.request(cloud, 'GET', '/v1/pull')).json<PullResponse>();
    expect(first.settings?.staff).toEqual([]);
    const created = await cloud.app.inject({
      method: 'POST',
      url: `/v1/admin/stores/${STORE}/staff`,
      headers: admin(),
      payload: { id: 'jo', name: 'Jo Park', role: 'manager', passcode: '555123456789' },
    });
    expect(created.statusCode).toBe(201);
    const dup = await cloud.app.inject({
      method: 'POST',
      url: `/v1/admin/stores/${STORE}/staff`,
      headers: admin(),
      payload: { id: 'jo', name: 'Jo Again', role: 'attendant', passcode: '55512345' },
    });
    expect(dup.statusCode).toBe(409);
    const page = await t.request(cloud, 'GET', `/v1/pull?cursor=${first.cursor}`);
    expect(page.body).not.toContain('555123456789');
    const staff = page.json<PullResponse>().settings?.staff ?? [];
    expect(staff.map((s) => [s.id, s.name, s.role])).toEqual([['jo', 'Jo Park', 'manager']]);
    expect(await checkPasscode(staff[0]!.verifier, '555123456789')).toBe(true);

    const cookie = await managerLogin(cloud, STORE, { id: 'jo', passcode: '555123456789' });
    const disabled = await cloud.app.inject({
      method: 'POST',
      url: `/v1/admin/stores/${STORE}/staff/jo/disable`,
      headers: admin(),
    });
    expect(disabled.json()).toEqual({ disabled: true });
    const later = (
      await t.request(cloud, 'GET', `/v1/pull?cursor=${page.json<PullResponse>().cursor}`)
    ).json<PullResponse>();
    expect(later.settings?.staff).toEqual([]);
    // Their passcode stops working in the cloud at once, and so does their dashboard session.
    expect(await checkStaffCredential(cloud.db, STORE, 'jo', '555123456789')).toBeNull();
    const dash = await cloud.app.inject({
      method: 'GET',
      url: `/dashboard/${STORE}`,
      headers: { cookie },
    });
    expect(dash.statusCode).toBe(401);
    const list = await cloud.app.inject({
      method: 'GET',
      url: `/v1/admin/stores/${STORE}/staff`,
      headers: admin(),
    });
    expect(list.json().staff).toEqual([
      expect.objectContaining({ id: 'jo', role: 'manager', disabledAt: expect.any(String) }),
    ]);
    expect(list.body).not.toContain('verifier');
  });

  it('the store settings carry no manager PIN any more', async () => {
    const s = await storeSettings(cloud.db, STORE);
    expect(s).not.toHaveProperty('managerPin');
    expect(
      storeSettingsSchema.safeParse({
        ...s,
        managerPin: { salt: 'abcdefgh', sha256: '0'.repeat(64) },
      }).success,
    ).toBe(false);
  });
});
