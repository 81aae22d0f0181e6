import type { PalmAuditEvent } from '../../../common/checkout/palm-audit';
import type { TerminalDatabase } from './database';
import { enqueueMutation } from './enqueue';

/**
 * Palm pay's decisions (common/checkout/palm-audit.ts): each an audit row on the lane and an
 * `audit.event` for the store, numbered in the same transaction. Details never hold template
 * data, scores or digits: the pure function that builds them is tested for that.
 */
export async function recordPalmAudit(
  db: TerminalDatabase,
  events: readonly PalmAuditEvent[],
  at: string = new Date().toISOString(),
): Promise<void> {
  if (events.length === 0) return;
  await db.transaction('rw', [db.audit, db.outbox, db.settings], async () => {
    for (const e of events) {
      await db.audit.add({ at, kind: e.kind, detail: e.detail });
      await enqueueMutation(db, {
        kind: 'audit.event',
        payload: { kind: e.kind, at, detail: e.detail },
        createdAt: at,
      });
    }
  });
}
