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

/** The key pair a code's attempt was made with, kept until the code is settled. */
export const CODE_ATTEMPT_KEY = 'provisioning-attempt';

interface CodeAttempt {
  readonly codeHash: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JsonWebKey;
}

/**
 * The key pair to present a code with: the one an earlier, unanswered attempt with this code
 * used (kept in Dexie, so across a reload too), else a fresh one. The cloud answers the same
 * code with the same key by giving the terminal it made again, so a lost 201 costs nothing; a
 * new key with a spent code would be refused, and counted as a wrong code for the address.
 */
export async function keysForCode(
  db: TerminalDatabase,
  code: string,
  generate: () => Promise<{ privateKey: CryptoKey; publicJwk: JsonWebKey }>,
): Promise<{ privateKey: CryptoKey; publicJwk: JsonWebKey }> {
  const codeHash = await sha256Hex(normaliseCode(code));
  const kept = (await db.settings.get(CODE_ATTEMPT_KEY))?.value as CodeAttempt | undefined;
  if (kept?.codeHash === codeHash && kept.privateKey && kept.publicJwk) return kept;
  const keys = await generate();
  await db.settings.put({ key: CODE_ATTEMPT_KEY, value: { codeHash, ...keys } });
  return keys;
}

/** The code is settled (used or refused): its attempt's keys are no longer needed. */
export async function forgetCodeAttempt(db: TerminalDatabase): Promise<void> {
  await db.settings.delete(CODE_ATTEMPT_KEY);
}
