import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskStatusRequest, KioskStatusResponse } from '../common/kiosk/wire';
import {
  DASHBOARD_ORIGIN,
  TEST_ATTENDANT,
  TEST_MANAGER,
  TestTerminal,
  dashboardPost,
  startTestCloud,
  testStore,
  type TestCloud,
} from './testing';

let cloud: TestCloud;
const kioskA = new TestTerminal('kiosk-a');
const kioskB = new TestTerminal('kiosk-b'); // another store's kiosk

const status = (over: Partial<KioskStatusRequest> = {}): KioskStatusRequest => ({
  light: 'red',
  screen: 'shopping',
  basket: { amount: 1433, currency: 'USD' },
  items: 2,
  saleId: 'sale-1',
  interventions: [
    {
      id: 'sale-1:age-l2-21',
      kind: 'age-restricted',
      severity: 'red',
      raisedAt: new Date(Date.now() - 5_000).toISOString(),
      what: 'ID check for IPA 6 pk',
    },
  ],
  applied: [],
  ...over,
});

async function login(storeId: string, who: { id: string; passcode: string }): Promise<string> {
  const res = await dashboardPost(cloud, '/console/login', {
    storeId,
    staffId: who.id,
    passcode: who.passcode,
  });
  if (res.statusCode !== 303) throw new Error(`console login: ${res.statusCode}`);
  const set = [res.headers['set-cookie']].flat().find((c) => c?.startsWith('palm_console='));
  return set!.split(';')[0]!;
}

async function page(storeId: string, cookie?: string) {
  const res = await cloud.app.inject({
    method: 'GET',
    url: `/console/${storeId}`,
    headers: cookie ? { cookie } : {},
  });
  return { res, csrf: /name="csrf" value="([^"]+)"/.exec(res.body)?.[1] ?? '' };
}

const decide = (
  storeId: string,
  terminalId: string,
  interventionId: string,
  fields: Record<string, string>,
  o: { cookie?: string; origin?: string | null } = {},
) =>
  dashboardPost(
    cloud,
    `/console/${storeId}/kiosks/${terminalId}/interventions/${encodeURIComponent(interventionId)}`,
    fields,
    o,
  );

const report = async (k: TestTerminal, body: unknown) => {
  const res = await k.request(cloud, 'POST', '/v1/kiosk/status', body);
  return { status: res.statusCode, body: res.json<KioskStatusResponse>() };
};

beforeAll(async () => {
  cloud = await startTestCloud();
  await testStore(cloud.db, 's1', 'us', { staff: true });
  await testStore(cloud.db, 's2', 'us', { staff: true });
  await kioskA.provision(cloud, 's1');
  await kioskB.provision(cloud, 's2');
}, 60_000);
afterAll(async () => cloud?.close());

describe('the attendant console', () => {
  it('shows an attendant their store’s kiosks, and sends their decision to the kiosk once', async () => {
    expect((await report(kioskA, status())).body.decisions).toEqual([]);
    const cookie = await login('s1', TEST_ATTENDANT);
    const { res, csrf } = await page('s1', cookie);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('ID check for IPA 6 pk');
    expect(res.body).toContain('14.33 USD');
    const r = await decide(
      's1',
      kioskA.terminalId,
      'sale-1:age-l2-21',
      { csrf, decision: 'approve' },
      { cookie },
    );
    expect(r.statusCode).toBe(303);
    expect(r.headers.location).toBe('/console/s1?notice=recorded');
    // A second click (or another attendant) changes nothing.
    const again = await decide(
      's1',
      kioskA.terminalId,
      'sale-1:age-l2-21',
      { csrf, decision: 'deny' },
      { cookie },
    );
    expect(again.headers.location).toBe('/console/s1?notice=already-decided');
    const { body } = await report(kioskA, status());
    expect(body.decisions).toEqual([
      expect.objectContaining({
        interventionId: 'sale-1:age-l2-21',
        decision: 'approve',
        by: { id: TEST_ATTENDANT.id, name: TEST_ATTENDANT.name, role: 'attendant' },
      }),
    ]);
    // Once the kiosk says it applied it, it is not sent again.
    const applied = await report(kioskA, status({ applied: [body.decisions[0]!.decisionId] }));
    expect(applied.body.decisions).toEqual([]);
    const audit = await cloud.db.query<{ actor: string; action: string }>(
      "SELECT actor, action FROM admin_audit WHERE action LIKE 'kiosk.%'",
    );
    expect(audit.rows).toEqual([
      {
        actor: `${TEST_ATTENDANT.name} (${TEST_ATTENDANT.id})`,
        action: 'kiosk.intervention.approved',
      },
    ]);
  });

  it('refuses a page, the live stream and decisions without a session', async () => {
    expect((await page('s1')).res.statusCode).toBe(401);
    const events = await cloud.app.inject({ method: 'GET', url: '/console/s1/events' });
    expect(events.statusCode).toBe(401);
    const r = await decide('s1', kioskA.terminalId, 'sale-1:age-l2-21', {
      csrf: 'x',
      decision: 'approve',
    });
    expect(r.statusCode).toBe(401);
  });

  it('refuses a wrong passcode, and a shopper has no way in', async () => {
    const res = await dashboardPost(cloud, '/console/login', {
      storeId: 's1',
      staffId: TEST_ATTENDANT.id,
      passcode: '00000000',
    });
    expect(res.statusCode).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('keeps another store’s attendant out of this store’s console and kiosks', async () => {
    await report(
      kioskA,
      status({
        saleId: 'sale-2',
        interventions: [
          {
            ...status().interventions[0]!,
            id: 'sale-2:help-1',
            kind: 'help',
            severity: 'yellow',
            what: 'Help requested',
          },
        ],
      }),
    );
    const other = await login('s2', TEST_ATTENDANT); // same ids, the other store's person
    expect((await page('s1', other)).res.statusCode).toBe(403);
    const events = await cloud.app.inject({
      method: 'GET',
      url: '/console/s1/events',
      headers: { cookie: other },
    });
    expect(events.statusCode).toBe(403);
    const { csrf } = await page('s2', other);
    // Their own store's URL with this store's kiosk: no such kiosk there.
    const cross = await decide(
      's2',
      kioskA.terminalId,
      'sale-2:help-1',
      { csrf, decision: 'approve' },
      { cookie: other },
    );
    expect(cross.statusCode).toBe(404);
    const direct = await decide(
      's1',
      kioskA.terminalId,
      'sale-2:help-1',
      { csrf, decision: 'approve' },
      { cookie: other },
    );
    expect(direct.statusCode).toBe(403);
    expect((await report(kioskA, status({ saleId: 'sale-2' }))).body.decisions).toEqual([]);
  });

  it('lists only the store’s own kiosks: another store’s kiosk cannot report into it', async () => {
    await report(kioskB, status({ basket: { amount: 99_999, currency: 'USD' } }));
    const cookie = await login('s1', TEST_MANAGER);
    const { res } = await page('s1', cookie);
    expect(res.body).toContain(kioskA.terminalId);
    expect(res.body).not.toContain(kioskB.terminalId);
    expect(res.body).not.toContain('999.99 USD');
  });

  it('refuses a forged form: no CSRF token, a wrong one, or another origin', async () => {
    const cookie = await login('s1', TEST_ATTENDANT);
    const { csrf } = await page('s1', cookie);
    const id = kioskA.terminalId;
    for (const [fields, origin] of [
      [{ decision: 'approve' }, DASHBOARD_ORIGIN],
      [{ csrf: `${csrf.slice(0, -1)}x`, decision: 'approve' }, DASHBOARD_ORIGIN],
      [{ csrf, decision: 'approve' }, 'http://evil.example'],
      [{ csrf, decision: 'approve' }, null],
    ] as const) {
      const r = await decide('s1', id, 'sale-2:help-1', fields, { cookie, origin });
      expect(r.statusCode).toBe(403);
    }
    expect((await report(kioskA, status({ saleId: 'sale-2' }))).body.decisions).toEqual([]);
  });

  it('decides only what the kiosk last reported as pending', async () => {
    const cookie = await login('s1', TEST_ATTENDANT);
    const { csrf } = await page('s1', cookie);
    const r = await decide(
      's1',
      kioskA.terminalId,
      'sale-9:invented',
      { csrf, decision: 'approve' },
      { cookie },
    );
    expect(r.headers.location).toBe('/console/s1?notice=not-pending');
  });

  it('refuses a kiosk report that is unsigned or malformed', async () => {
    const unsigned = await cloud.app.inject({
      method: 'POST',
      url: '/v1/kiosk/status',
      payload: status(),
    });
    expect(unsigned.statusCode).toBe(401);
    const bad = await kioskA.request(cloud, 'POST', '/v1/kiosk/status', {
      ...status(),
      light: 'purple',
    });
    expect(bad.statusCode).toBe(400);
    const extra = await kioskA.request(cloud, 'POST', '/v1/kiosk/status', {
      ...status(),
      storeId: 's2',
    });
    expect(extra.statusCode).toBe(400);
  });

  it('shows a kiosk that stopped reporting as offline', async () => {
    // Silence: the kiosk's last report is a minute old.
    await cloud.db.query(
      "UPDATE kiosk_status SET reported_at = now() - interval '1 minute' WHERE terminal_id = $1",
      [kioskA.terminalId],
    );
    const cookie = await login('s1', TEST_ATTENDANT);
    const { res } = await page('s1', cookie);
    expect(res.body).toMatch(/data-online="false"/);
    expect(res.body).toContain('offline');
  });

  it('logs out: the session opens nothing afterwards', async () => {
    const cookie = await login('s1', TEST_ATTENDANT);
    const { csrf } = await page('s1', cookie);
    const out = await dashboardPost(cloud, '/console/logout', { csrf }, { cookie });
    expect(out.statusCode).toBe(303);
    expect((await page('s1', cookie)).res.statusCode).toBe(401);
  });
});
