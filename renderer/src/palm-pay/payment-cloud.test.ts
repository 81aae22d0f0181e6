import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AUTH_HEADERS } from '../../../common/sync/protocol';
import type { PaymentRequest } from '../../../common/sync/payments';
import { TerminalDatabase } from '../db/database';
import { forgetIdentity } from '../sync/identity';
import { provisionTestLane } from '../sync/testing';
import { CloudUnreachable } from './palm-ports';
import { paymentCloud } from './payment-cloud';

async function lane(terminalId: string) {
  const db = new TerminalDatabase(`pc-${Math.random()}`, { indexedDB, IDBKeyRange });
  await provisionTestLane(db, terminalId);
  return db;
}

const REQ = { paymentId: 'pay-1' } as PaymentRequest;
const APPROVED = { status: 'declined', paymentId: 'pay-1', reason: 'X', message: 'm' };

/** A cloud that answers every payment and remembers which terminal signed each. */
function cloud() {
  const signedBy: string[] = [];
  const fetch = (_url: string, init?: RequestInit) => {
    signedBy.push(new Headers(init?.headers).get(AUTH_HEADERS.terminal) ?? '');
    return Promise.resolve(new Response(JSON.stringify(APPROVED), { status: 200 }));
  };
  return { signedBy, fetch };
}

afterEach(() => vi.restoreAllMocks());

describe('paymentCloud', () => {
  it('signs with the identity read when the scanner was armed, read once', async () => {
    const db = await lane('term-1');
    const c = cloud();
    const pc = paymentCloud(db, { fetch: c.fetch });
    pc.prepare!();
    const reads = vi.spyOn(db.settings, 'get');
    expect(await pc.pay(REQ)).toMatchObject({ paymentId: 'pay-1' });
    expect(c.signedBy).toEqual(['term-1']);
    expect(reads).not.toHaveBeenCalled();
    // The next payment, not prepared, reads it again.
    await pc.pay(REQ);
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('reads again when the armed read is old: a lane disconnected since pays nothing', async () => {
    const db = await lane('term-1');
    const c = cloud();
    const pc = paymentCloud(db, { fetch: c.fetch });
    const t0 = Date.now();
    pc.prepare!();
    await forgetIdentity(db);
    vi.spyOn(Date, 'now').mockReturnValue(t0 + 31_000);
    await expect(pc.pay(REQ)).rejects.toThrow(CloudUnreachable);
    expect(c.signedBy).toEqual([]);
  });

  it('reads again when the armed read failed', async () => {
    const db = await lane('term-2');
    const c = cloud();
    const pc = paymentCloud(db, { fetch: c.fetch });
    vi.spyOn(db.settings, 'get').mockRejectedValueOnce(new Error('IndexedDB hiccup'));
    pc.prepare!();
    await pc.pay(REQ);
    expect(c.signedBy).toEqual(['term-2']);
  });
});
