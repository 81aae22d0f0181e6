import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eReceiptToken } from '../common/e-receipt';
import type { Sale } from '../common/sale';
import {
  TEST_MANAGER,
  TestTerminal,
  laneSale,
  startTestCloud,
  testStore,
  type TestCloud,
} from './testing';

/**
 * The e-receipt behind the printed QR code, from the attacker's side: someone holding a receipt
 * (its number, its time) or none at all, trying to read another shopper's purchase.
 */
let cloud: TestCloud;
let lane: TestTerminal;
let sale: Sale;

beforeAll(async () => {
  cloud = await startTestCloud();
  await testStore(cloud.db, 'er-kr', 'kr', { staff: true });
  await testStore(cloud.db, 'er-other', 'kr');
  lane = new TestTerminal('lane-e-receipt');
  await lane.provision(cloud, 'er-kr');
  sale = laneSale(
    lane.deviceId,
    'kr',
    [{ price: 3500, quantity: 2, taxClass: 'standard' }],
    (t) => [
      {
        kind: 'card',
        amount: t,
        paymentId: 'pay-secret-9f31',
        authCode: 'A12345',
        brand: 'visa',
        last4: '4242',
      },
    ],
  );
  const outcome = await lane.pushOne(cloud, 'sale.completed', sale);
  expect(outcome).toMatchObject({ status: 'applied' });
}, 60_000);
afterAll(async () => cloud?.close());

const get = (url: string, ip = '203.0.113.5') =>
  cloud.app.inject({ method: 'GET', url, remoteAddress: ip });

describe('e-receipts', () => {
  it('shows the sale by its token, in the sale’s language, with no personal data', async () => {
    const token = await eReceiptToken('er-kr', sale.id);
    const res = await get(`/r/${token}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<html lang="ko">');
    expect(res.body).toContain(sale.receiptNo);
    expect(res.body).toContain('합계');
    expect(res.body).toContain('₩7,000');
    expect(res.body).toContain('visa •••• 4242');
    expect(res.body).not.toContain('pay-secret-9f31');
    expect(res.body).not.toContain(sale.id);
    expect(res.body).not.toContain(lane.terminalId);
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-robots-tag']).toBe('noindex');
  });

  it('cannot be reached by the receipt number, the sale id, another store’s token or junk', async () => {
    const wrong = [
      `/r/${sale.receiptNo}`,
      `/r/${sale.id}`,
      `/r/${sale.id.replace(/-/g, '')}`,
      `/r/${await eReceiptToken('er-other', sale.id)}`, // same sale id, another store
      `/r/${(await eReceiptToken('er-kr', sale.id)).toUpperCase()}`,
      `/r/${(await eReceiptToken('er-kr', sale.id)).slice(0, 31)}`,
      `/r/${encodeURIComponent("' OR 1=1 --")}`,
      '/r/00000000000000000000000000000000',
    ];
    const bodies = new Set<string>();
    for (const url of wrong) {
      const res = await get(url, '198.51.100.7');
      expect(res.statusCode, url).toBe(404);
      expect(res.body).not.toContain(sale.receiptNo);
      bodies.add(res.body);
    }
    // A malformed token and a well-formed unknown one look the same.
    expect(bodies.size).toBe(1);
  });

  it('limits lookups per address, so the token space cannot be walked', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++)
      statuses.push((await get(`/r/${i.toString(16).padStart(32, '0')}`, '192.0.2.99')).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    // Another address is not affected.
    expect(
      (await get(`/r/${await eReceiptToken('er-kr', sale.id)}`, '192.0.2.100')).statusCode,
    ).toBe(200);
  });

  it('says when the sale was voided', async () => {
    const outcome = await lane.pushOne(cloud, 'sale.voided', {
      saleId: sale.id,
      reason: 'customer changed their mind',
      voidedAt: new Date().toISOString(),
      approvedBy: TEST_MANAGER.id,
    });
    expect(outcome).toMatchObject({ status: 'applied' });
    const res = await get(`/r/${await eReceiptToken('er-kr', sale.id)}`, '192.0.2.101');
    expect(res.body).toContain('이 판매는 취소되었습니다.');
  });
});
