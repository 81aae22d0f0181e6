import type { TerminalDatabase } from '../db/database';
import { sha256Hex } from './encoding';

/**
 * One-time provisioning codes this lane has used up: the cloud took one (a terminal was made) or
 * refused it (unknown, used or expired). Kept as SHA-256 in the lane's settings, so a code the
 * host hands over again after a reload, or a manager types twice, is never sent again. A code
 * whose attempt got no answer is not here: it may never have reached the cloud, and one more
 * try either works or gets the refusal that puts it here.
 */
export const SPENT_CODES_KEY = 'spent-provisioning-codes';
const KEEP = 50;

export const normaliseCode = (code: string): string => code.trim().toUpperCase();

async function spentHashes(db: TerminalDatabase): Promise<string[]> {
  const v = (await db.settings.get(SPENT_CODES_KEY))?.value;
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export async function isSpent(db: TerminalDatabase, code: string): Promise<boolean> {
  return (await spentHashes(db)).includes(await sha256Hex(normaliseCode(code)));
}

export async function markSpent(db: TerminalDatabase, code: string): Promise<void> {
  const hash = await sha256Hex(normaliseCode(code));
  await db.transaction('rw', db.settings, async () => {
    const kept = (await spentHashes(db)).filter((h) => h !== hash);
    await db.settings.put({ key: SPENT_CODES_KEY, value: [...kept, hash].slice(-KEEP) });
  });
}
