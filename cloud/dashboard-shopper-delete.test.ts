import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrolmentAnswer } from '../common/sync/enrolment';
import { EnrolScanner, enrolmentRequest } from './enrolment/testing';
import { giveDemoPolicy } from './payments/testing';
import {
  TestTerminal,
  dashboardPage,
  dashboardPost,
  managerLogin,
  startTestCloud,
  testStore,
  type TestCloud,
} from './testing';

/**
 * The dashboard's "Delete shopper" form, from an attacker's side: a page on another origin, a
 * post without the session's CSRF token, a manager of another store, a phone number enrolled
 * only in another store. Each refusal leaves the shopper enrolled; the store's own manager,
 * by ref or by the phone typed as people write it, gets the cloud's one deletion.
 */
let cloud: TestCloud;
let scanner: EnrolScanner;
let otherScanner: EnrolScanner;
const STORE = 'dsd-s';
const OTHER = 'dsd-t';
const clock = Date.parse('2026-12-01T12:00:00Z');
const laneOf: Record<string, TestTerminal> = {};

beforeAll(async () => {
  cloud = await startTestCloud({ now: () => clock });
  for (const s of [STORE, OTHER]) {
    await testStore(cloud.db, s, 'us', { staff: true });
    await giveDemoPolicy(cloud.db, s);
    laneOf[s] = new TestTerminal(`lane-${s}`);
    await laneOf[s].provision(cloud, s);
  }
  scanner = await EnrolScanner.create('EMU-DSD-1');
  await scanner.approveIn(cloud.db, STORE);
  otherScanner = await EnrolScanner.create('EMU-DSD-2');
  await otherScanner.approveIn(cloud.db, OTHER);
}, 60_000);
afterAll(async () => cloud?.close());

let subject = 810_000;
async function enrol(storeId: string, phone: string): Promise<EnrolmentAnswer> {
  const s = storeId === STORE ? scanner : otherScanner;
  const req = await enrolmentRequest(s, [subject++], { phone });
  const res = await laneOf[storeId]!.request(cloud, 'POST', '/v1/enrolments', req);
  if (res.statusCode !== 201) throw new Error(`enrolment failed: ${res.body}`);
  return res.json<EnrolmentAnswer>();
}
const deleting = async (storeId: string, ref: string) =>
  (
    await cloud.db.query(
      'SELECT 1 FROM shopper_deletions WHERE store_id = $1 AND customer_ref = $2',
      [storeId, ref],
    )
  ).rows.length > 0;

async function session(storeId: string) {
  const cookie = await managerLogin(cloud, storeId);
  const { csrf, html } = await dashboardPage(cloud, storeId, cookie);
  return { cookie, csrf, html };
}
const del = (
  storeId: string,
  fields: Record<string, string>,
  o: { cookie?: string; origin?: string },
) => dashboardPost(cloud, `/dashboard/${storeId}/shoppers/delete`, fields, o);

describe('dashboard: delete a shopper', () => {
  it('the page has the form, with the session’s CSRF token', async () => {
    const { html, csrf } = await session(STORE);
    expect(html).toContain(`action="/dashboard/${STORE}/shoppers/delete"`);
    expect(csrf).not.toBe('');
  });

  it('refuses another origin, a missing CSRF token and another store’s manager; deletes nothing', async () => {
    const shopper = await enrol(STORE, '+12015550111');
    const own = await session(STORE);
    const other = await session(OTHER);
    const fields = { shopper: shopper.customerRef };
    expect(
      (
        await del(
          STORE,
          { ...fields, csrf: own.csrf },
          { cookie: own.cookie, origin: 'https://evil.example' },
        )
      ).statusCode,
    ).toBe(403);
    expect((await del(STORE, fields, { cookie: own.cookie })).statusCode).toBe(403);
    expect(
      (await del(STORE, { ...fields, csrf: other.csrf }, { cookie: other.cookie })).statusCode,
    ).toBe(403);
    expect((await del(STORE, { ...fields, csrf: 'x' }, {})).statusCode).toBe(401);
    expect(await deleting(STORE, shopper.customerRef)).toBe(false);
  });

  it('by ref: the deletion is requested, with who asked', async () => {
    const shopper = await enrol(STORE, '+12015550112');
    const own = await session(STORE);
    const res = await del(
      STORE,
      { shopper: shopper.customerRef, csrf: own.csrf },
      { cookie: own.cookie },
    );
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toMatch(/notice=shopper-deletion-pending|notice=shopper-deleted/);
    const row = (
      await cloud.db.query<{ via: string; requested_by: string }>(
        'SELECT via, requested_by FROM shopper_deletions WHERE store_id = $1 AND customer_ref = $2',
        [STORE, shopper.customerRef],
      )
    ).rows[0];
    expect(row?.via).toBe('dashboard');
    expect(row?.requested_by).toMatch(/mgr|Manager/i);
  });

  it('by phone, typed as people write it; a number enrolled only in another store is not found', async () => {
    const shopper = await enrol(STORE, '+12015550113');
    const elsewhere = await enrol(OTHER, '+12015550114');
    const own = await session(STORE);
    const miss = await del(
      STORE,
      { shopper: '(201) 555-0114', csrf: own.csrf },
      { cookie: own.cookie },
    );
    expect(miss.statusCode).toBe(404);
    expect(await deleting(OTHER, elsewhere.customerRef)).toBe(false);
    const bad = await del(
      STORE,
      { shopper: 'robert; drop table', csrf: own.csrf },
      { cookie: own.cookie },
    );
    expect(bad.statusCode).toBe(400);
    const hit = await del(
      STORE,
      { shopper: '(201) 555-0113', csrf: own.csrf },
      { cookie: own.cookie },
    );
    expect(hit.statusCode).toBe(303);
    expect(await deleting(STORE, shopper.customerRef)).toBe(true);
    // Asked again: that shopper is already being deleted, so no one is found.
    const again = await del(
      STORE,
      { shopper: '(201) 555-0113', csrf: own.csrf },
      { cookie: own.cookie },
    );
    expect(again.statusCode).toBe(404);
  });
});
