import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { TerminalDatabase } from './database';
import { enqueueMutation, numberMutations } from './enqueue';
import { COUNTERS_KEY, readCounters } from './settings';

let n = 0;
const opened: TerminalDatabase[] = [];
const open = (): TerminalDatabase => {
  const db = new TerminalDatabase(`enqueue-test-${++n}`);
  opened.push(db);
  return db;
};
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

const event = (at: string) => ({
  kind: 'audit.event' as const,
  payload: { kind: 'card.declined' as const, at, detail: { reason: 'declined' } },
  createdAt: at,
});

describe('enqueueMutation', () => {
  it('numbers mutations contiguously and leaves the receipt counter alone', async () => {
    const db = open();
    await db.settings.put({ key: COUNTERS_KEY, value: { nextMutationId: 7, nextReceiptNo: 42 } });
    const ids: number[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(
        await db.transaction('rw', [db.outbox, db.settings], () =>
          enqueueMutation(db, event(new Date(i).toISOString())),
        ),
      );
    expect(ids).toEqual([7, 8, 9]);
    expect((await db.outbox.toArray()).map((r) => [r.mutationId, r.status, r.attempts])).toEqual([
      [7, 'pending', 0],
      [8, 'pending', 0],
      [9, 'pending', 0],
    ]);
    expect(readCounters((await db.settings.get(COUNTERS_KEY))?.value)).toEqual({
      nextMutationId: 10,
      nextReceiptNo: 42,
    });
  });

  it('a transaction that rolls back takes its number with it', async () => {
    const db = open();
    await expect(
      db.transaction('rw', [db.outbox, db.settings], async () => {
        await enqueueMutation(db, event('2026-01-01T00:00:00.000Z'));
        throw new Error('the sale failed after it was numbered');
      }),
    ).rejects.toThrow('the sale failed');
    const id = await db.transaction('rw', [db.outbox, db.settings], () =>
      enqueueMutation(db, event('2026-01-01T00:00:01.000Z')),
    );
    expect(id).toBe(1); // no gap: the cloud would refuse one (409 MUTATION_GAP)
    expect(await db.outbox.count()).toBe(1);
  });

  it('refuses to run outside a read-write transaction over outbox and settings', async () => {
    const db = open();
    await expect(enqueueMutation(db, event('2026-01-01T00:00:00.000Z'))).rejects.toThrow(
      /inside a read-write transaction/,
    );
    await expect(
      db.transaction('rw', [db.outbox], () =>
        enqueueMutation(db, event('2026-01-01T00:00:00.000Z')),
      ),
    ).rejects.toThrow(/inside a read-write transaction/);
    await expect(
      db.transaction('r', [db.outbox, db.settings], () =>
        enqueueMutation(db, event('2026-01-01T00:00:00.000Z')),
      ),
    ).rejects.toThrow(/inside a read-write transaction/);
    expect(await db.outbox.count()).toBe(0);
  });
});

describe('numberMutations', () => {
  it('numbers a batch from the counters as one call each would, receipt counter untouched', () => {
    const at = '2026-01-01T00:00:00.000Z';
    const { rows, next } = numberMutations({ nextMutationId: 7, nextReceiptNo: 3 }, [
      event(at),
      event(at),
    ]);
    expect(rows.map((r) => [r.mutationId, r.status, r.attempts])).toEqual([
      [7, 'pending', 0],
      [8, 'pending', 0],
    ]);
    expect(next).toEqual({ nextMutationId: 9, nextReceiptNo: 3 });
    expect(numberMutations(next, []).rows).toEqual([]);
  });
});
