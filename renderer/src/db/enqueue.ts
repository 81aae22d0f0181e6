import Dexie from 'dexie';
import type { TerminalDatabase } from './database';
import type { OutboxRow } from './schema';
import { COUNTERS_KEY, readCounters, type Counters } from './settings';

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
  const { rows, next } = numberMutations(counters, [m]);
  await db.outbox.add(rows[0]!);
  await db.settings.put({ key: COUNTERS_KEY, value: next });
  return rows[0]!.mutationId;
}

/**
 * The numbering itself, for a caller that read the counters in its own transaction and writes
 * the rows and `next` there (a sale commit: one read and one write for all its mutations rather
 * than a round trip to IndexedDB for each step).
 */
export function numberMutations(
  counters: Counters,
  ms: readonly NewMutation[],
): { rows: OutboxRow[]; next: Counters } {
  const first = counters.nextMutationId;
  return {
    rows: ms.map(
      (m, i) => ({ ...m, mutationId: first + i, status: 'pending', attempts: 0 }) as OutboxRow,
    ),
    next: { ...counters, nextMutationId: first + ms.length },
  };
}
