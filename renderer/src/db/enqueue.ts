import Dexie from 'dexie';
import type { TerminalDatabase } from './database';
import type { OutboxRow } from './schema';
import { COUNTERS_KEY, readCounters } from './settings';

/** A mutation to queue for the cloud, before it has a number (each kind with its payload). */
export type NewMutation = {
  [K in OutboxRow['kind']]: Pick<Extract<OutboxRow, { kind: K }>, 'kind' | 'payload' | 'createdAt'>;
}[OutboxRow['kind']];

/**
 * The one way anything reaches the outbox: numbers the mutation (Replicache-style: contiguous per
 * lane, from the `counters` settings row) and adds it as pending. It must run inside the
 * caller's read-write transaction over `outbox` and `settings`, so the mutation commits, or rolls
 * back, together with what it describes (a sale, an audit row) and the number is never reused.
 * Returns the mutation id.
 */
export async function enqueueMutation(db: TerminalDatabase, m: NewMutation): Promise<number> {
  const tx = Dexie.currentTransaction;
  if (
    !tx ||
    tx.mode !== 'readwrite' ||
    !tx.storeNames.includes(db.outbox.name) ||
    !tx.storeNames.includes(db.settings.name)
  ) {
    throw new Error(
      'enqueueMutation runs inside a read-write transaction over outbox and settings',
    );
  }
  const counters = readCounters((await db.settings.get(COUNTERS_KEY))?.value);
  const mutationId = counters.nextMutationId;
  await db.outbox.add({ ...m, mutationId, status: 'pending', attempts: 0 } as OutboxRow);
  await db.settings.put({
    key: COUNTERS_KEY,
    value: { ...counters, nextMutationId: mutationId + 1 },
  });
  return mutationId;
}
