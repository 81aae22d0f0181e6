import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { TerminalDatabase } from '../db/database';
import {
  BASE_LOCK_MS,
  MAX_FAILURES,
  MAX_LOCK_MS,
  OPEN,
  afterAttempt,
  loadThrottle,
  lockedFor,
  recordAttempt,
  triesLeft,
  type ThrottleState,
} from './credential-throttle';

describe('credential throttle', () => {
  it('locks after five failures for 30 s, doubling with each lockout, capped at an hour', () => {
    let s: ThrottleState = OPEN;
    let now = 1_000_000;
    const fail = () => (s = afterAttempt(s, false, now));
    for (let i = 0; i < MAX_FAILURES - 1; i++) fail();
    expect(lockedFor(s, now)).toBe(0);
    expect(triesLeft(s)).toBe(1);
    fail();
    expect(lockedFor(s, now)).toBe(BASE_LOCK_MS);
    now += BASE_LOCK_MS;
    expect(lockedFor(s, now)).toBe(0);
    expect(triesLeft(s)).toBe(MAX_FAILURES);
    for (let i = 0; i < MAX_FAILURES; i++) fail();
    expect(lockedFor(s, now)).toBe(2 * BASE_LOCK_MS);
    for (let round = 0; round < 20; round++) {
      now += lockedFor(s, now);
      for (let i = 0; i < MAX_FAILURES; i++) fail();
    }
    expect(lockedFor(s, now)).toBe(MAX_LOCK_MS);
    // A clock set back cannot make the lock longer than the longest delay.
    expect(lockedFor(s, now - 10 * MAX_LOCK_MS)).toBe(MAX_LOCK_MS);
  });

  it('a right passcode resets failures and the escalation', () => {
    let s = afterAttempt(OPEN, false, 0);
    s = afterAttempt(s, false, 0);
    s = afterAttempt(s, true, 0);
    expect(s).toEqual(OPEN);
  });

  it('survives a reload: the state lives in the lane database', async () => {
    const name = `throttle-${Math.random()}`;
    const db = new TerminalDatabase(name, { indexedDB, IDBKeyRange });
    const now = Date.now();
    for (let i = 0; i < MAX_FAILURES; i++) await recordAttempt(db, false, now);
    db.close();
    const reopened = new TerminalDatabase(name, { indexedDB, IDBKeyRange });
    expect(lockedFor(await loadThrottle(reopened), now)).toBe(BASE_LOCK_MS);
    reopened.close();
  });
});
