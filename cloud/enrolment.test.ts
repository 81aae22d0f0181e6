import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeletionAnswer, EnrolmentAnswer } from '../common/sync/enrolment';
import type { PaymentOutcome } from '../common/sync/payments';
import type { CardSetup } from './enrolment/card-setup';
import { EmulatedCardSetup } from './enrolment/card-setup';
import { completeDeletions, isDeleting } from './enrolment/deletion';
import { runRetention, setUnusedDays } from './enrolment/retention';
import type { ShopperChange } from './enrolment/services';
import { EnrolScanner, enrolmentRequest } from './enrolment/testing';
import { giveDemoPolicy } from './payments/testing';
import {
  TEST_ATTENDANT,
  TEST_MANAGER,
  TestTerminal,
  startTestCloud,
  testStore,
  type TestCloud,
} from './testing';

/**
 * Enrolment and deletion from the attacker's side: a lane whose key is in someone else's hands
 * may send anything a signed request can carry, for its own store or another's. Every refusal
 * writes nothing.
 */
const STORE = 'enr-s';
const OTHER = 'enr-t';
const HOUR = 3_600_000;
const clock = Date.parse('2026-12-01T12:00:00Z');
const published: { storeId: string; change: ShopperChange }[] = [];
const card = new EmulatedCardSetup();
let cardCalls = 0;
const countingCard: CardSetup = {
  name: 'counting',
  saveCard: (o) => {
    cardCalls++;
    return card.saveCard(o);
  },
};
let cloud: TestCloud;
let lane: TestTerminal;
let otherLane: TestTerminal;
let scanner: EnrolScanner;
let otherScanner: EnrolScanner;

beforeAll(async () => {
  cloud = await startTestCloud({
    now: () => clock,
    enrolment: {
      cardSetup: countingCard,
      publish: async (storeId, change) => {
        published.push({ storeId, change });
        return published.length;
      },
    },
  });
  await testStore(cloud.db, STORE, 'us', { staff: true });
  await testStore(cloud.db, OTHER);
  await giveDemoPolicy(cloud.db, STORE);
  await giveDemoPolicy(cloud.db, OTHER);
  lane = new TestTerminal('lane-enr');
  await lane.provision(cloud, STORE);
  otherLane = new TestTerminal('lane-enr-other');
  await otherLane.provision(cloud, OTHER);
  scanner = await EnrolScanner.create('EMU-ENR-1');
  await scanner.approveIn(cloud.db, STORE);
  otherScanner = await EnrolScanner.create('EMU-ENR-2');
  await otherScanner.approveIn(cloud.db, OTHER);
}, 60_000);
afterAll(async () => cloud?.close());

const post = async (url: string, body: unknown, t: TestTerminal = lane) => {
  const res = await t.request(cloud, 'POST', url, body);
  return { status: res.statusCode, body: res.json<Record<string, unknown>>() };
};
const enrol = (body: unknown, t?: TestTerminal) => post('/v1/enrolments', body, t);

/** Everything enrolment writes, to show a refusal wrote none of it. */
async function written() {
  const q = async (sql: string) => (await cloud.db.query<{ n: number }>(sql)).rows[0]!.n;
  return {
    shoppers: await q('SELECT count(*)::int AS n FROM shoppers'),
    captures: await q(
      "SELECT count(*)::int AS n FROM spent_captures WHERE payment_id LIKE 'enrolment:%'",
    ),
    enrolments: await q('SELECT count(*)::int AS n FROM enrolments'),
    nonMated: await q('SELECT count(*)::int AS n FROM nonmated_scores'),
    published: published.length,
  };
}

let nextSubject = 700_000;
const subject = () => nextSubject++;

describe('POST /v1/enrolments', () => {
  it('enrols a shopper: card token from the processor, sealed templates, the phone keyed, a delta', async () => {
    const who = subject();
    const req = await enrolmentRequest(scanner, [who, subject()]);
    const r = await enrol(req);
    expect(r.status, JSON.stringify(r.body)).toBe(201);
    const answer = r.body as unknown as EnrolmentAnswer;
    expect(answer).toMatchObject({
      updated: false,
      palms: 2,
      card: { brand: 'Visa', last4: '4242' },
    });
    const row = (
      await cloud.db.query<Record<string, unknown>>(
        'SELECT * FROM shoppers WHERE store_id = $1 AND template_id = $2',
        [STORE, answer.templateId],
      )
    ).rows[0]!;
    expect(row.customer_ref).toBe(answer.customerRef);
    expect(String(row.card_token)).toMatch(/^tok_emu_approve_/);
    // No phone number, no card number, no plaintext template in the row.
    const text = JSON.stringify(row);
    expect(text).not.toContain('2015550123');
    expect(text).not.toContain('4242424242424242');
    expect(row.phone_key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((row.templates as { count: number }).count).toBe(2);
    const last = published.at(-1)!;
    expect(last.storeId).toBe(STORE);
    expect(last.change.adds.map((a) => a.templateId)).toEqual([answer.templateId]);
    expect(last.change.adds[0]!.templates).toHaveLength(2);
    // A retry after a lost answer: the same answer, nothing written twice.
    const before = await written();
    const again = await enrol(req);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({
      customerRef: answer.customerRef,
      templateId: answer.templateId,
    });
    expect(await written()).toEqual(before);
  });

  it('a new shopper leaves one non-mated score per capture, against the gallery as it was', async () => {
    const templates = async () =>
      (
        await cloud.db.query<{ n: number }>(
          "SELECT coalesce(sum((templates->>'count')::int), 0)::int AS n FROM shoppers WHERE store_id = $1",
          [STORE],
        )
      ).rows[0]!.n;
    const galleryBefore = await templates();
    const req = await enrolmentRequest(scanner, [subject(), subject()]);
    const r = await enrol(req);
    expect(r.status).toBe(201);
    const mine = (
      await cloud.db.query<{ score: number; gallery: number; enrolment_id: string }>(
        'SELECT score, gallery, enrolment_id FROM nonmated_scores WHERE store_id = $1 AND enrolment_id = $2',
        [STORE, req.enrolmentId],
      )
    ).rows;
    expect(mine).toHaveLength(6); // two palms, three captures each
    for (const x of mine) expect(x.gallery).toBe(galleryBefore);
    // Strangers: every score below the step-up threshold the duplicate check used.
    const { thresholds } = await import('../common/shard/policy');
    const { storeSettings } = await import('./stores');
    const policy = (await storeSettings(cloud.db, STORE)).matcher.policy!;
    const stepUp = thresholds(policy, galleryBefore).stepUp;
    for (const x of mine) expect(x.score).toBeLessThan(stepUp);
    expect(await templates()).toBe(galleryBefore + 2);
  });

  it('a palm already enrolled is caught 1:N with fresh captures; nothing is written or charged', async () => {
    const who = subject();
    const first = await enrol(await enrolmentRequest(scanner, [who]));
    expect(first.status).toBe(201);
    const before = await written();
    const calls = cardCalls;
    const dup = await enrol(await enrolmentRequest(scanner, [who], { phone: '+12015550199' }));
    expect(dup.status).toBe(409);
    expect(dup.body).toMatchObject({
      error: 'ALREADY_ENROLLED',
      customerRef: first.body.customerRef,
    });
    expect(await written()).toEqual(before);
    expect(cardCalls).toBe(calls);
  });

  it('updating the matched shopper needs the last four digits of the phone they enrolled with', async () => {
    const who = subject();
    const first = await enrol(await enrolmentRequest(scanner, [who]));
    const wrong = await enrol(
      await enrolmentRequest(scanner, [who], {
        onDuplicate: { kind: 'update', confirmLast4: '9999' },
      }),
    );
    expect(wrong.status).toBe(403);
    expect(wrong.body.error).toBe('CONFIRMATION_FAILED');
    const scores = (await written()).nonMated;
    const right = await enrol(
      await enrolmentRequest(scanner, [who], {
        phone: '+12015550177',
        cardSetupRef: 'seti_emu_mastercard_5454_ok_abcdef',
        onDuplicate: { kind: 'update', confirmLast4: '0123' },
      }),
    );
    expect(right.status).toBe(201);
    expect(right.body).toMatchObject({
      updated: true,
      customerRef: first.body.customerRef,
      templateId: first.body.templateId,
      card: { brand: 'Mastercard', last4: '5454' },
    });
    // The same palm again is no stranger to the gallery: its captures measure nothing.
    expect((await written()).nonMated).toBe(scores);
  });

  it('bad captures are refused by the cloud itself, each with its reason, writing nothing', async () => {
    const before = await written();
    const who = subject();
    const cases: [Promise<unknown>, string][] = [
      [
        enrolmentRequest(scanner, [who]).then(async (r) => ({
          ...r,
          palms: [{ hand: 'right', captures: await scanner.palm(who, { quality: 40 }) }],
        })),
        'CAPTURE_QUALITY',
      ],
      [
        enrolmentRequest(scanner, [who]).then(async (r) => ({
          ...r,
          palms: [{ hand: 'right', captures: await scanner.palm(who, { liveness: 10 }) }],
        })),
        'CAPTURE_LIVENESS',
      ],
      [
        enrolmentRequest(scanner, [who]).then(async (r) => ({
          ...r,
          palms: [
            {
              hand: 'right',
              captures: [
                await scanner.capture(who),
                await scanner.capture(who + 1),
                await scanner.capture(who),
              ],
            },
          ],
        })),
        'CAPTURE_INCONSISTENT',
      ],
      [
        enrolmentRequest(scanner, [who]).then((r) => ({
          ...r,
          palms: [
            {
              hand: 'right',
              captures: r.palms[0]!.captures.map((c, i) =>
                i === 0 ? { ...c, signed: c.signed.slice(0, -4) + 'AAAA' } : c,
              ),
            },
          ],
        })),
        'CAPTURE_INVALID',
      ],
      // Another store's scanner: its key is not approved here.
      [enrolmentRequest(otherScanner, [who]), 'CAPTURE_INVALID'],
    ];
    for (const [req, code] of cases) {
      const r = await enrol(await req);
      expect(r.status, code).toBe(422);
      expect(r.body.error).toBe(code);
    }
    expect(await written()).toEqual(before);
  });

  it('a capture enrols once: the same signed capture again is refused', async () => {
    const req = await enrolmentRequest(scanner, [subject()]);
    expect((await enrol(req)).status).toBe(201);
    const reuse = await enrol({
      ...req,
      enrolmentId: `${req.enrolmentId}-2`,
      onDuplicate: { kind: 'update', confirmLast4: '0123' },
    });
    expect(reuse.status).toBe(422);
    expect(reuse.body.error).toBe('CAPTURE_REUSED');
  });

  it('a declined card or a processor that is down is said so, and nothing is written', async () => {
    const before = await written();
    const declined = await enrol(
      await enrolmentRequest(scanner, [subject()], {
        cardSetupRef: 'seti_emu_visa_0002_decline_abcdef',
      }),
    );
    expect(declined.status).toBe(402);
    expect(declined.body.error).toBe('CARD_DECLINED');
    const down = await enrol(
      await enrolmentRequest(scanner, [subject()], {
        cardSetupRef: 'seti_emu_visa_4242_down_abcdef',
      }),
    );
    expect(down.status).toBe(503);
    expect(down.body.error).toBe('CARD_UNAVAILABLE');
    expect(await written()).toEqual(before);
  });

  it('the age check is the attendant’s own credential; only the minimum age, who and when are kept', async () => {
    const at = new Date(clock).toISOString();
    const bad = await enrol(
      await enrolmentRequest(scanner, [subject()], {
        age: { minimumAge: 21, staffId: TEST_ATTENDANT.id, passcode: '00000000', verifiedAt: at },
      }),
    );
    expect(bad.status).toBe(403);
    const ok = await enrol(
      await enrolmentRequest(scanner, [subject()], {
        age: {
          minimumAge: 21,
          staffId: TEST_ATTENDANT.id,
          passcode: TEST_ATTENDANT.passcode,
          verifiedAt: at,
        },
      }),
    );
    expect(ok.status).toBe(201);
    const row = (
      await cloud.db.query<{ age_minimum: number; age_verified_by: string; age_verified: boolean }>(
        'SELECT age_minimum, age_verified_by, age_verified FROM shoppers WHERE template_id = $1',
        [ok.body.templateId],
      )
    ).rows[0]!;
    expect(row).toEqual({
      age_minimum: 21,
      age_verified_by: TEST_ATTENDANT.id,
      age_verified: true,
    });
    expect(published.at(-1)!.change.adds[0]!.ageVerified).toBe(true);
  });

  it('a lane of another store enrols into its own store only, and cannot see this one’s shoppers', async () => {
    const who = subject();
    const mine = await enrol(await enrolmentRequest(scanner, [who]));
    // The same palm at the other store is a new shopper there (stores share nothing).
    const theirs = await enrol(await enrolmentRequest(otherScanner, [who]), otherLane);
    expect(theirs.status).toBe(201);
    expect(theirs.body.customerRef).not.toBe(mine.body.customerRef);
    const stores = await cloud.db.query<{ store_id: string }>(
      'SELECT store_id FROM shoppers WHERE template_id = $1',
      [theirs.body.templateId],
    );
    expect(stores.rows).toEqual([{ store_id: OTHER }]);
    // Its manager-less deletion of this store's shopper by ref finds no one.
    const del = await post(
      '/v1/shoppers/deletions',
      {
        via: 'manager',
        customerRef: mine.body.customerRef,
        staffId: TEST_MANAGER.id,
        passcode: TEST_MANAGER.passcode,
      },
      otherLane,
    );
    expect(del.status).toBe(403);
    expect(await isDeleting(cloud.db, STORE, String(mine.body.templateId))).toBe(false);
  });
});

describe('deletion', () => {
  it('at the lane needs the palm and the last four digits; then a tombstone, online pay refused, shredded later', async () => {
    const who = subject();
    const enrolment = await enrolmentRequest(scanner, [who]);
    const e = await enrol(enrolment);
    const templateId = String(e.body.templateId);
    const theirScores = async () =>
      (
        await cloud.db.query('SELECT 1 FROM nonmated_scores WHERE enrolment_id = $1', [
          enrolment.enrolmentId,
        ])
      ).rows.length;
    expect(await theirScores()).toBe(3);
    const wrongDigits = await post('/v1/shoppers/deletions', {
      via: 'palm',
      templateId,
      capture: await scanner.capture(who, { hand: 'right' }),
      last4: '1111',
    });
    expect(wrongDigits.status).toBe(403);
    const notTheirPalm = await post('/v1/shoppers/deletions', {
      via: 'palm',
      templateId,
      capture: await scanner.capture(who + 50_000),
      last4: '0123',
    });
    expect(notTheirPalm.status).toBe(403);
    expect(await isDeleting(cloud.db, STORE, templateId)).toBe(false);

    const ok = await post('/v1/shoppers/deletions', {
      via: 'palm',
      templateId,
      capture: await scanner.capture(who),
      last4: '0123',
    });
    expect(ok.status).toBe(202);
    const answer = ok.body as unknown as DeletionAnswer;
    expect(answer.status).toBe('pending');
    expect(published.at(-1)!.change.tombstones).toEqual([templateId]);

    // A stale lane that has not pulled the tombstone still matches them: the cloud says no.
    const pay = await post('/v1/payments', {
      paymentId: `pay-del-${who}`,
      saleId: `sale-del-${who}`,
      amount: { amount: 500, currency: 'USD' },
      lines: [
        {
          lineId: 'l1',
          productId: 'p1',
          barcode: '4006381333931',
          name: 'Groceries',
          unitPrice: { amount: 500, currency: 'USD' },
          quantity: 1,
          taxClass: 'exempt',
          minimumAge: 0,
          voided: false,
        },
      ],
      templateId,
      capture: await scanner.capture(who),
      match: { score: 700_000, runnerUpScore: 100_000, galleryTemplates: 10 },
    });
    expect(pay.status).toBe(200);
    expect((pay.body as unknown as PaymentOutcome).status).toBe('declined');

    // The data stays until a stored payment taken offline before the request can have arrived.
    expect(await completeDeletions(cloud.db, clock + 23 * HOUR)).toEqual([]);
    expect(await completeDeletions(cloud.db, clock + 25 * HOUR)).toContain(e.body.customerRef);
    expect(await theirScores()).toBe(0); // derived from their palm: shredded with it
    const left = await cloud.db.query('SELECT 1 FROM shoppers WHERE template_id = $1', [
      templateId,
    ]);
    expect(left.rows).toEqual([]);
    const anyKey = await cloud.db.query(
      "SELECT 1 FROM shoppers WHERE templates::text LIKE '%' || $1 || '%'",
      [templateId],
    );
    expect(anyKey.rows).toEqual([]);
  });

  it('waits for a payment of theirs still being charged', async () => {
    const e = await enrol(await enrolmentRequest(scanner, [subject()]));
    const templateId = String(e.body.templateId);
    await cloud.db.query(
      `INSERT INTO payments (store_id, payment_id, terminal_id, kind, fingerprint, status, template_id, customer_ref)
       VALUES ($1, $2, $3, 'stored', 'f', 'charging', $4, $5)`,
      [STORE, `stored-${templateId}`, lane.terminalId, templateId, e.body.customerRef],
    );
    const del = await post('/v1/shoppers/deletions', {
      via: 'manager',
      customerRef: e.body.customerRef,
      staffId: TEST_MANAGER.id,
      passcode: TEST_MANAGER.passcode,
    });
    expect(del.status).toBe(202);
    expect(await completeDeletions(cloud.db, clock + 100 * HOUR)).toEqual([]);
    await cloud.db.query("UPDATE payments SET status = 'approved' WHERE payment_id = $1", [
      `stored-${templateId}`,
    ]);
    expect(await completeDeletions(cloud.db, clock + 100 * HOUR)).toEqual([e.body.customerRef]);
  });

  it('by a manager at the lane needs a manager: an attendant or a wrong passcode is refused', async () => {
    const e = await enrol(await enrolmentRequest(scanner, [subject()]));
    for (const [staffId, passcode] of [
      [TEST_ATTENDANT.id, TEST_ATTENDANT.passcode],
      [TEST_MANAGER.id, '11112222'],
    ]) {
      const r = await post('/v1/shoppers/deletions', {
        via: 'manager',
        customerRef: e.body.customerRef,
        staffId,
        passcode,
      });
      expect(r.status).toBe(403);
    }
    expect(await isDeleting(cloud.db, STORE, String(e.body.templateId))).toBe(false);
  });
});

describe('retention', () => {
  it('deletes shoppers with no palm use for the store’s period, with the clock jumped', async () => {
    const e = await enrol(await enrolmentRequest(scanner, [subject()]));
    await setUnusedDays(cloud.db, STORE, 30, 'test');
    const early = await runRetention(cloud.db, cloudServices(), clock + 29 * 24 * HOUR);
    expect(early.requested).not.toContain(e.body.customerRef);
    const late = await runRetention(cloud.db, cloudServices(), clock + 31 * 24 * HOUR);
    expect(late.requested).toContain(e.body.customerRef);
    // Like any deletion, the data goes once stored payments from before can have settled.
    expect(late.completed).not.toContain(e.body.customerRef);
    const after = await runRetention(cloud.db, cloudServices(), clock + 34 * 24 * HOUR);
    expect(after.completed).toContain(e.body.customerRef);
    await setUnusedDays(cloud.db, STORE, 730, 'test');
  });
});

describe("the store's gallery size", () => {
  it('the trigger keeps it equal to the sum over the shoppers, through enrolments, updates, deletions and retention', async () => {
    // Runs after the tests above, which enrolled, updated and deleted shoppers in both stores.
    const kept = await cloud.db.query<{ store_id: string; n: number }>(
      'SELECT store_id, templates::int AS n FROM store_galleries ORDER BY store_id',
    );
    const summed = await cloud.db.query<{ store_id: string; n: number }>(
      "SELECT store_id, sum((templates->>'count')::int)::int AS n FROM shoppers GROUP BY store_id ORDER BY store_id",
    );
    const nonZero = kept.rows.filter((r) => r.n > 0);
    expect(nonZero).toEqual(summed.rows);
    expect(nonZero.length).toBeGreaterThan(0);
    // One more shopper of two palms moves it by two.
    const before = kept.rows.find((r) => r.store_id === STORE)?.n ?? 0;
    expect((await enrol(await enrolmentRequest(scanner, [subject(), subject()]))).status).toBe(201);
    const after = await cloud.db.query<{ n: number }>(
      'SELECT templates::int AS n FROM store_galleries WHERE store_id = $1',
      [STORE],
    );
    expect(after.rows[0]!.n).toBe(before + 2);
  });
});

function cloudServices() {
  return {
    cardSetup: countingCard,
    shoppers: null as never,
    publish: async (storeId: string, change: ShopperChange) => {
      published.push({ storeId, change });
      return null;
    },
  };
}
