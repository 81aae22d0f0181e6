import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { ScannerStatus } from '../../../common/host/contract';
import type { StaffMember } from '../../../common/staff';
import { AUTH_HEADERS } from '../../../common/sync/protocol';
import { TerminalDatabase } from '../db/database';
import { provisionTestLane } from '../sync/testing';
import { CloudNeeded, approveScannerOnCloud } from './scanner-approval';

const STATUS: ScannerStatus = {
  state: 'ready',
  kind: 'hardware',
  model: 'PalmScan R1',
  serial: 'PS-0042',
  firmware: '1.0.0',
  keyState: 'pending',
  keyFingerprint: '0123456789abcdef',
  publicKey: `04${'ab'.repeat(64)}`,
  rejectedCaptures: 0,
  lastError: null,
};
const MANAGER = { id: 'm1', name: 'Morgan Lee', role: 'manager' } as StaffMember;

async function laneDb(provisioned: boolean): Promise<TerminalDatabase> {
  const db = new TerminalDatabase(`approval-${Math.random()}`, { indexedDB, IDBKeyRange });
  if (provisioned) await provisionTestLane(db);
  return db;
}

const answer = (status: number, body: unknown) =>
  Promise.resolve(new Response(JSON.stringify(body), { status }));

describe('approving a scanner needs the store cloud', () => {
  it('an unprovisioned lane approves nothing and says it must connect first', async () => {
    const db = await laneDb(false);
    let called = false;
    await expect(
      approveScannerOnCloud({
        db,
        cloudUrl: 'http://cloud.test',
        status: STATUS,
        manager: MANAGER,
        passcode: '12345678',
        fetch: () => ((called = true), answer(201, {})),
      }),
    ).rejects.toSatisfy((e) => e instanceof CloudNeeded && e.reason === 'not-connected');
    expect(called).toBe(false);
  });

  it('offline it says the cloud is unreachable; a wrong passcode is null; a right one is signed and sent', async () => {
    const db = await laneDb(true);
    const base = { db, cloudUrl: null, status: STATUS, manager: MANAGER, passcode: '12345678' };
    await expect(
      approveScannerOnCloud({ ...base, fetch: () => Promise.reject(new TypeError('offline')) }),
    ).rejects.toSatisfy((e) => e instanceof CloudNeeded && e.reason === 'unreachable');
    expect(
      await approveScannerOnCloud({
        ...base,
        fetch: () => answer(403, { error: 'STAFF_CREDENTIAL_INVALID', message: 'wrong' }),
      }),
    ).toBeNull();
    let sent: { url: string; headers: Record<string, string>; body: unknown } | null = null;
    const approval = await approveScannerOnCloud({
      ...base,
      fetch: (url, init) => {
        sent = {
          url,
          headers: init.headers as Record<string, string>,
          body: JSON.parse(String(init.body)),
        };
        return answer(201, { serial: STATUS.serial, approvedBy: { id: 'm1', name: 'Morgan Lee' } });
      },
    });
    expect(approval?.approvedBy.name).toBe('Morgan Lee');
    expect(sent!.url).toBe('http://cloud.test/v1/scanner-keys');
    expect(sent!.headers[AUTH_HEADERS.terminal]).toBe('term-1');
    expect(sent!.headers[AUTH_HEADERS.signature]).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(sent!.body).toEqual({
      serial: STATUS.serial,
      model: STATUS.model,
      publicKey: STATUS.publicKey,
      staffId: 'm1',
      passcode: '12345678',
    });
    // Too many wrong passcodes at the cloud: refused, with the cloud's reason.
    await expect(
      approveScannerOnCloud({
        ...base,
        fetch: () =>
          answer(429, { error: 'TOO_MANY_ATTEMPTS', message: 'Too many wrong passcodes' }),
      }),
    ).rejects.toThrow(/Too many wrong passcodes/);
  });
});
