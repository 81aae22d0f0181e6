import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PullResponse, PushResponse } from '../common/sync/protocol';
import { migrate } from './db/migrations';
import { issueProvisioningCode } from './provision';
import { changeCatalog, changeSettings } from './stores';
import {
  TestTerminal,
  dashboardPage,
  managerLogin,
  mutation,
  startTestCloud,
  testSale,
  testStore,
  type TestCloud,
} from './testing';

let cloud: TestCloud;

beforeAll(async () => {
  cloud = await startTestCloud();
  await testStore(cloud.db, 'store-a', 'us', { staff: true });
  await testStore(cloud.db, 'store-b');
}, 60_000);
afterAll(async () => cloud?.close());

async function count(sql: string, params: unknown[]): Promise<number> {
  const r = await cloud.db.query<{ n: number }>(sql, params);
  return Number(r.rows[0]?.n ?? 0);
}

describe('migrations', () => {
  it('are recorded and a second run applies nothing', async () => {
    expect(await migrate(cloud.db)).toEqual([]);
    expect(
      await count('SELECT count(*)::int AS n FROM schema_migrations', []),
    ).toBeGreaterThanOrEqual(1);
  });
});

describe('provisioning', () => {
  it('registers a terminal once per code, and answers the identical request again the same', async () => {
    const code = await issueProvisioningCode(cloud.db, 'store-a');
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const t = new TestTerminal('lane-prov');
    const payload = {
      code,
      deviceId: 'lane-prov',
      laneCode: 'L09',
      appVersion: '1',
      publicKey: t.publicJwk,
    };
    const first = await cloud.app.inject({ method: 'POST', url: '/v1/provision', payload });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ storeId: 'store-a', storeName: 'Store store-a' });
    // The identical request again (a lost answer retried) gets the same terminal back…
    const again = await cloud.app.inject({ method: 'POST', url: '/v1/provision', payload });
    expect(again.statusCode).toBe(201);
    expect(again.json().terminalId).toBe(first.json().terminalId);
    // …but the spent code registers no other key, nor the same key under another device id.
    const other = new TestTerminal('lane-prov');
    for (const p of [
      { ...payload, publicKey: other.publicJwk },
      { ...payload, deviceId: 'lane-other' },
    ]) {
      const res = await cloud.app.inject({ method: 'POST', url: '/v1/provision', payload: p });
      expect(res.statusCode).toBe(403);
      expect(res.json().error).toBe('CODE_INVALID');
    }
  });

  it('refuses an expired code and an unknown one', async () => {
    const code = await issueProvisioningCode(cloud.db, 'store-a', -1000);
    const t = new TestTerminal('lane-exp');
    const base = { deviceId: 'lane-exp', laneCode: 'L01', appVersion: '1', publicKey: t.publicJwk };
    for (const c of [code, 'AAAA-BBBB-CCCC']) {
      const res = await cloud.app.inject({
        method: 'POST',
        url: '/v1/provision',
        payload: { ...base, code: c },
      });
      expect(res.statusCode).toBe(403);
    }
  });
});

describe('push', () => {
  it('applies each mutation exactly once, answers repeats with their first outcome', async () => {
    const t = new TestTerminal('lane-push-1');
    await t.provision(cloud, 'store-a');
    const s1 = testSale(t.deviceId, 500);
    const s2 = testSale(t.deviceId, 700);
    const batch = [mutation(1, 'sale.completed', s1), mutation(2, 'sale.completed', s2)];
    const first = await t.request(cloud, 'POST', '/v1/push', { protocol: 1, mutations: batch });
    expect(first.statusCode).toBe(200);
    expect(first.json<PushResponse>()).toEqual({
      lastMutationId: 2,
      results: [
        { mutationId: 1, status: 'applied' },
        { mutationId: 2, status: 'applied' },
      ],
    });
    // The answer was lost; the lane sends the same batch plus one more.
    const s3 = testSale(t.deviceId, 300);
    const again = await t.request(cloud, 'POST', '/v1/push', {
      protocol: 1,
      mutations: [...batch, mutation(3, 'sale.completed', s3)],
    });
    expect(again.json<PushResponse>().lastMutationId).toBe(3);
    expect(again.json<PushResponse>().results.map((r) => r.status)).toEqual([
      'applied',
      'applied',
      'applied',
    ]);
    expect(
      await count('SELECT count(*)::int AS n FROM sales WHERE terminal_id = $1', [t.terminalId]),
    ).toBe(3);
    expect(
      await count(
        'SELECT count(*)::int AS n FROM sale_tenders WHERE store_id = $1 AND sale_id = $2',
        ['store-a', s1.id],
      ),
    ).toBe(1);
    const totals = await cloud.db.query<{ gross: number; sales_count: number }>(
      `SELECT gross, sales_count FROM store_daily_totals WHERE store_id = 'store-a'`,
    );
    expect(totals.rows.reduce((n, r) => n + r.gross, 0)).toBeGreaterThanOrEqual(1500);
  });

  it('refuses a gap with 409 and writes nothing', async () => {
    const t = new TestTerminal('lane-gap');
    await t.provision(cloud, 'store-a');
    const res = await t.request(cloud, 'POST', '/v1/push', {
      protocol: 1,
      mutations: [mutation(2, 'sale.completed', testSale(t.deviceId))],
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: 'MUTATION_GAP', lastMutationId: 0 });
    expect(
      await count('SELECT count(*)::int AS n FROM mutations WHERE terminal_id = $1', [
        t.terminalId,
      ]),
    ).toBe(0);
  });

  it('records a mutation rejected for good with its reason, and the queue moves on', async () => {
    const t = new TestTerminal('lane-reject');
    await t.provision(cloud, 'store-a');
    const bad = {
      ...testSale(t.deviceId, 1000),
      tenders: [
        {
          kind: 'cash',
          amount: { amount: 900, currency: 'USD' },
          given: { amount: 900, currency: 'USD' },
          change: { amount: 0, currency: 'USD' },
        },
      ],
    };
    const foreign = testSale('some-other-lane');
    const res = await t.request(cloud, 'POST', '/v1/push', {
      protocol: 1,
      mutations: [
        mutation(1, 'sale.completed', bad),
        mutation(2, 'sale.completed', { nonsense: true }),
        mutation(3, 'teleport', {}),
        mutation(4, 'sale.completed', foreign),
        mutation(5, 'sale.completed', testSale(t.deviceId)),
      ],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<PushResponse>();
    expect(body.lastMutationId).toBe(5);
    expect(body.results.map((r) => r.status)).toEqual([
      'rejected',
      'rejected',
      'rejected',
      'rejected',
      'applied',
    ]);
    expect(body.results[0]).toMatchObject({
      reason: expect.stringContaining('tenders add up to 900'),
    });
    expect(body.results[2]).toMatchObject({ reason: 'unknown mutation kind "teleport"' });
    expect(body.results[3]).toMatchObject({ reason: expect.stringContaining('not this lane') });
    const kept = await cloud.db.query<{ payload: { id?: string } }>(
      `SELECT payload FROM mutations WHERE terminal_id = $1 AND mutation_id = 1`,
      [t.terminalId],
    );
    expect(kept.rows[0]?.payload.id).toBe(bad.id); // nothing a lane sent is lost
    expect(
      await count('SELECT count(*)::int AS n FROM sales WHERE terminal_id = $1', [t.terminalId]),
    ).toBe(1);
  });

  it('never counts one sale twice, even under a new mutation id', async () => {
    const t = new TestTerminal('lane-dup');
    await t.provision(cloud, 'store-a');
    const sale = testSale(t.deviceId, 4200);
    const res = await t.request(cloud, 'POST', '/v1/push', {
      protocol: 1,
      mutations: [mutation(1, 'sale.completed', sale), mutation(2, 'sale.completed', sale)],
    });
    expect(res.json<PushResponse>().results[1]).toMatchObject({
      status: 'rejected',
      reason: expect.stringContaining('already recorded'),
    });
  });

  it('serialises concurrent pushes from one terminal', async () => {
    const t = new TestTerminal('lane-conc');
    await t.provision(cloud, 'store-a');
    const batch = [1, 2, 3].map((i) =>
      mutation(i, 'sale.completed', testSale(t.deviceId, 100 * i)),
    );
    const answers = await Promise.all(
      [1, 2, 3, 4].map(() =>
        t.request(cloud, 'POST', '/v1/push', { protocol: 1, mutations: batch }),
      ),
    );
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    expect(
      await count('SELECT count(*)::int AS n FROM sales WHERE terminal_id = $1', [t.terminalId]),
    ).toBe(3);
  });

  it('applies voids, stored payments, audit events and heartbeats', async () => {
    const t = new TestTerminal('lane-kinds');
    await t.provision(cloud, 'store-a');
    const usd = (amount: number) => ({ amount, currency: 'USD' as const });
    // A card payment taken while the card network was down, stored to be settled later.
    const sale = {
      ...testSale(t.deviceId, 800),
      tenders: [
        {
          kind: 'card' as const,
          amount: usd(800),
          paymentId: 'pay-1',
          authCode: 'OFFLINE',
          brand: 'visa',
          last4: '4242',
        },
      ],
    };
    const now = new Date().toISOString();
    const res = await t.request(cloud, 'POST', '/v1/push', {
      protocol: 1,
      mutations: [
        mutation(1, 'sale.completed', sale),
        mutation(2, 'payment.stored', {
          paymentId: 'pay-1',
          saleId: sale.id,
          method: 'card',
          amount: { amount: 800, currency: 'USD' },
          storedAt: now,
        }),
        mutation(3, 'sale.voided', {
          saleId: sale.id,
          reason: 'customer changed mind',
          voidedAt: now,
          approvedBy: 'mgr',
        }),
        mutation(4, 'sale.voided', {
          saleId: sale.id,
          reason: 'twice',
          voidedAt: now,
          approvedBy: 'mgr',
        }),
        mutation(5, 'audit.event', {
          kind: 'drawer.opened',
          at: now,
          detail: { reason: 'no sale' },
        }),
        mutation(6, 'heartbeat', {
          at: now,
          queueDepth: 3,
          oldestPendingAt: now,
          appVersion: '1.2.3',
          scannerState: 'ready',
        }),
      ],
    });
    expect(res.json<PushResponse>().results.map((r) => r.status)).toEqual([
      'applied',
      'applied',
      'applied',
      'rejected',
      'applied',
      'applied',
    ]);
    const status = await cloud.db.query<{ queue_depth: number; app_version: string }>(
      'SELECT queue_depth, app_version FROM lane_status WHERE terminal_id = $1',
      [t.terminalId],
    );
    expect(status.rows[0]).toEqual({ queue_depth: 3, app_version: '1.2.3' });
    expect(
      await count('SELECT count(*)::int AS n FROM sales WHERE voided_at IS NOT NULL AND id = $1', [
        sale.id,
      ]),
    ).toBe(1);
  });

  it('carries on the numbering of a lane provisioned again', async () => {
    const t = new TestTerminal('lane-again');
    await t.provision(cloud, 'store-a', 41);
    const res = await t.request(cloud, 'POST', '/v1/push', {
      protocol: 1,
      mutations: [mutation(41, 'sale.completed', testSale(t.deviceId))],
    });
    expect(res.json<PushResponse>().lastMutationId).toBe(41);
  });
});

describe('pull', () => {
  it('returns catalog and settings changes after the cursor, in order, for the own store only', async () => {
    const t = new TestTerminal('lane-pull');
    await t.provision(cloud, 'store-b');
    const all = (await t.request(cloud, 'GET', '/v1/pull?cursor=')).json<PullResponse>();
    expect(all.catalog.upserts.map((p) => p.id).sort()).toEqual(['store-b-p1', 'store-b-p2']);
    expect(all.settings?.storeName).toBe('Store store-b');
    expect(all.more).toBe(false);

    const nothing = (
      await t.request(cloud, 'GET', `/v1/pull?cursor=${all.cursor}`)
    ).json<PullResponse>();
    expect(nothing).toMatchObject({
      cursor: all.cursor,
      catalog: { upserts: [], deletes: [] },
      settings: null,
    });

    await changeCatalog(cloud.db, 'store-b', {
      upserts: [
        {
          id: 'store-b-p1',
          barcode: '4006381333931',
          name: 'Apple Juice',
          price: 249,
          taxClass: 'reduced',
          minimumAge: 0,
          category: 'Drinks',
        },
      ],
      deletes: ['store-b-p2'],
    });
    await changeSettings(cloud.db, 'store-b', {
      offline: { perPaymentLimit: 2500, totalStoredCap: 10000, maxAgeHours: 24 },
    });
    await changeCatalog(cloud.db, 'store-a', { upserts: [], deletes: ['store-a-p1'] }); // not b's business
    const changed = (
      await t.request(cloud, 'GET', `/v1/pull?cursor=${all.cursor}`)
    ).json<PullResponse>();
    expect(changed.catalog.upserts).toEqual([
      expect.objectContaining({ id: 'store-b-p1', price: 249 }),
    ]);
    expect(changed.catalog.deletes).toEqual(['store-b-p2']);
    expect(changed.settings?.offline.perPaymentLimit).toBe(2500);
    expect(Number(changed.cursor)).toBeGreaterThan(Number(all.cursor));
  });

  it('pages by limit without splitting one change', async () => {
    const t = new TestTerminal('lane-page');
    await t.provision(cloud, 'store-b');
    const first = (await t.request(cloud, 'GET', '/v1/pull?cursor=0&limit=1')).json<PullResponse>();
    expect(first.more).toBe(true);
    // The seed is one change of two products: it comes whole even past the limit.
    expect(first.catalog.upserts.length + first.catalog.deletes.length).toBeGreaterThanOrEqual(1);
    let cursor = first.cursor;
    let pages = 1;
    for (let more = first.more; more; pages++) {
      const page = (
        await t.request(cloud, 'GET', `/v1/pull?cursor=${cursor}&limit=1`)
      ).json<PullResponse>();
      cursor = page.cursor;
      more = page.more;
      expect(pages).toBeLessThan(10);
    }
    const full = (
      await t.request(cloud, 'GET', '/v1/pull?cursor=0&limit=1000')
    ).json<PullResponse>();
    expect(cursor).toBe(full.cursor);
  });

  it('refuses bad cursors and limits with 400', async () => {
    const t = new TestTerminal('lane-badpull');
    await t.provision(cloud, 'store-b');
    for (const url of ['/v1/pull?cursor=abc', '/v1/pull?limit=0', '/v1/pull?limit=100000']) {
      const res = await t.request(cloud, 'GET', url);
      expect(res.statusCode, url).toBe(400);
    }
  });
});

describe('dashboard', () => {
  it('shows lanes, heartbeats and rejected mutations, escaped, behind a manager login', async () => {
    const t = new TestTerminal('<script>lane</script>');
    await t.provision(cloud, 'store-a');
    await t.request(cloud, 'POST', '/v1/push', {
      protocol: 1,
      mutations: [mutation(1, 'sale.completed', { broken: '<b>' })],
      heartbeat: {
        at: new Date().toISOString(),
        queueDepth: 7,
        oldestPendingAt: null,
        appVersion: '9.9',
        scannerState: 'ready',
      },
    });
    const denied = await cloud.app.inject({ method: 'GET', url: '/dashboard/store-a' });
    expect(denied.statusCode).toBe(401);
    expect(denied.body).not.toContain('7</td>'); // the login form, nothing of the store
    const cookie = await managerLogin(cloud, 'store-a');
    const { res: page } = await dashboardPage(cloud, 'store-a', cookie);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.body).toContain('&#60;script&#62;lane&#60;/script&#62;');
    expect(page.body).not.toContain('<script>lane');
    expect(page.body).toContain('invalid sale.completed payload');
    expect(page.body).toMatch(/<td>7<\/td>/);
  });
});
