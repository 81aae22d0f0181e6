import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAYS_CSV_HEADER, dayIn, plainAmount } from './daily-figures';
import type { StoreOverview } from './dashboard';
import { createStore } from './stores';
import {
  TEST_MANAGER,
  TestTerminal,
  dashboardPage,
  laneSale,
  managerLogin,
  startTestCloud,
  type TestCloud,
} from './testing';

/**
 * A store's day is its own: a Seoul store's sale at 00:30 local time (15:30 UTC the day before)
 * is on the Seoul day, in the dashboard, the overview and the bookkeeper's CSV. The export opens
 * in a spreadsheet as it is and runs nothing, whatever the store is called.
 */
const NOW = Date.parse('2026-03-02T16:30:00Z'); // 01:30 on 3 March in Seoul
let cloud: TestCloud;
let lane: TestTerminal;

beforeAll(async () => {
  cloud = await startTestCloud({ now: () => NOW });
  await createStore(cloud.db, {
    id: 'seoul',
    name: '=HYPERLINK("http://evil.example","서울")',
    profileId: 'kr',
    staff: [TEST_MANAGER],
  });
  lane = new TestTerminal('lane-seoul');
  await lane.provision(cloud, 'seoul');
  const sold = async (at: string, price: number) => {
    const sale = {
      ...laneSale(lane.deviceId, 'kr', [{ price, quantity: 1, taxClass: 'standard' }]),
      startedAt: at,
      completedAt: at,
    };
    expect(await lane.pushOne(cloud, 'sale.completed', sale)).toMatchObject({
      status: 'applied',
    });
  };
  await sold('2026-03-02T14:30:00Z', 5000); // 23:30 on 2 March in Seoul
  await sold('2026-03-02T15:30:00Z', 12000); // 00:30 on 3 March in Seoul
}, 60_000);
afterAll(async () => cloud?.close());

describe('the store’s day in its own time zone', () => {
  it('the overview counts today as Seoul sees it', async () => {
    const o = (
      await cloud.app.inject({
        method: 'GET',
        url: '/v1/admin/stores/seoul/overview',
        headers: { authorization: `Bearer ${cloud.adminToken}` },
      })
    ).json<StoreOverview>();
    expect(o).toMatchObject({ timeZone: 'Asia/Seoul', locale: 'ko-KR', day: '2026-03-03' });
    expect(o.today).toEqual([
      expect.objectContaining({ currency: 'KRW', salesCount: 1, gross: 12000, net: 12000 }),
    ]);
    expect(o.week.map((d) => [d.day, d.salesCount, d.gross, d.cash])).toEqual([
      ['2026-03-02', 1, 5000, 5000],
      ['2026-03-03', 1, 12000, 12000],
    ]);
  });

  it('the dashboard names the day in the store’s language and zone', async () => {
    const cookie = await managerLogin(cloud, 'seoul');
    const { html } = await dashboardPage(cloud, 'seoul', cookie);
    expect(html).toContain('Today: 2026년 3월 3일 화요일 (Asia/Seoul)');
    expect(html).toContain('₩12,000');
  });

  it('exports the days as CSV a bookkeeper opens: BOM, header, plain amounts, no formulas', async () => {
    const cookie = await managerLogin(cloud, 'seoul');
    const res = await cloud.app.inject({
      method: 'GET',
      url: '/dashboard/seoul/days.csv?from=2026-03-01&to=2026-03-03',
      headers: { cookie },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain('attachment;');
    const rows = res.body.split('\r\n');
    expect(rows[0]).toBe(`\uFEFF${DAYS_CSV_HEADER.join(',')}`);
    expect(rows[1]).toBe(
      `2026-03-02,"'=HYPERLINK(""http://evil.example"",""서울"")",Asia/Seoul,KRW,1,5000,0,0,0,0,5000,5000,0,0`,
    );
    expect(rows[2]).toMatch(/^2026-03-03,.*,KRW,1,12000,/);
    expect(rows.at(-1)).toBe('');
  });

  it('refuses the export without a session and bad ranges with a reason', async () => {
    const cookie = await managerLogin(cloud, 'seoul');
    const get = (q: string, headers: Record<string, string> = { cookie }) =>
      cloud.app.inject({ method: 'GET', url: `/dashboard/seoul/days.csv${q}`, headers });
    expect((await get('?from=2026-03-01&to=2026-03-03', {})).statusCode).toBe(401);
    expect((await get('?from=2026-03-04&to=2026-03-03')).body).toContain(
      'from must not be after to',
    );
    expect((await get('?from=2025-01-01&to=2026-03-03')).body).toContain('at most a year');
    expect((await get('?from=2026-3-1&to=2026-03-03')).body).toContain('a day is YYYY-MM-DD');
  });
});

describe('amounts and days', () => {
  it('writes minor units as plain decimals with integer math', () => {
    expect(plainAmount(1234, 'USD')).toBe('12.34');
    expect(plainAmount(-5, 'EUR')).toBe('-0.05');
    expect(plainAmount(0, 'USD')).toBe('0.00');
    expect(plainAmount(12000, 'KRW')).toBe('12000');
  });

  it('finds the calendar day of an instant in a zone', () => {
    expect(dayIn('Asia/Seoul', NOW)).toBe('2026-03-03');
    expect(dayIn('America/Chicago', NOW)).toBe('2026-03-02');
    expect(dayIn('UTC', Date.parse('2026-03-02T23:59:59Z'))).toBe('2026-03-02');
  });
});
