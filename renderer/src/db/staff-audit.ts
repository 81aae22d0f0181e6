import type { StaffRef } from '../../../common/staff';
import type { TerminalDatabase } from './database';
import type { AuditKind } from './schema';
import { COUNTERS_KEY, readCounters } from './settings';

/**
 * A privileged lane action, named by who approved it: an audit row on the lane and an
 * `audit.event` mutation for the store cloud, numbered in the same transaction (as a declined
 * card is in sales.ts), so the store sees who opened, changed or approved what.
 */
export async function recordStaffAction(
  db: TerminalDatabase,
  kind: AuditKind,
  by: StaffRef | null,
  detail: Readonly<Record<string, string | number | boolean>> = {},
): Promise<void> {
  const at = new Date().toISOString();
  const full = {
    ...detail,
    ...(by ? { by: by.id, byName: by.name, byRole: by.role } : {}),
  };
  await db.transaction('rw', [db.audit, db.outbox, db.settings], async () => {
    const counters = readCounters((await db.settings.get(COUNTERS_KEY))?.value);
    await db.audit.add({ at, kind, detail: full });
    await db.outbox.add({
      mutationId: counters.nextMutationId,
      kind: 'audit.event',
      payload: { kind, at, detail: full },
      createdAt: at,
      status: 'pending',
      attempts: 0,
    });
    await db.settings.put({
      key: COUNTERS_KEY,
      value: { ...counters, nextMutationId: counters.nextMutationId + 1 },
    });
  });
}
