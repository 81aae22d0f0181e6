import { createHash, createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { AUTH_HEADERS, MAX_CLOCK_SKEW_MS, canonicalRequest } from '../common/sync/protocol';
import type { Database } from './db/types';
import { HttpError } from './errors';

export interface AuthenticatedTerminal {
  readonly terminalId: string;
  readonly storeId: string;
  readonly deviceId: string;
  readonly laneCode: string;
}

export interface SignedRequest {
  readonly method: string;
  readonly url: string; // path and query, exactly as sent
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Uint8Array;
}

const unauthorized = (code: string, message: string, extra = {}): HttpError =>
  new HttpError(401, code, message, extra);

function header(req: Pick<SignedRequest, 'headers'>, name: string): string {
  const v = req.headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  if (!s) throw unauthorized('AUTH_MISSING', `Missing ${name} header`);
  return s;
}

/** Public keys are immutable per terminal id, so caching the parsed key is safe across requests. */
const keyCache = new Map<string, KeyObject>();

function publicKey(terminalId: string, jwk: JsonWebKey): KeyObject {
  let key = keyCache.get(terminalId);
  if (!key) {
    key = createPublicKey({ key: jwk, format: 'jwk' });
    if (keyCache.size > 10_000) keyCache.clear();
    keyCache.set(terminalId, key);
  }
  return key;
}

/** A request whose auth headers and terminal passed, before its body (and signature) is read. */
export interface PendingTerminal {
  readonly terminalId: string;
  readonly timestamp: string;
  readonly nonce: string;
  readonly signature: string;
  readonly storeId: string;
  readonly deviceId: string;
  readonly laneCode: string;
  readonly publicKey: JsonWebKey;
}

/**
 * What can be checked from the headers alone, before a byte of the body is read: every auth
 * header present and well formed, a timestamp within MAX_CLOCK_SKEW_MS, and a known terminal
 * that is not revoked. So a stranger's megabytes are refused unread. (A revoked terminal is told
 * so here, without a signature: its id alone grants nothing, and the lane must learn to stop.)
 */
export async function checkAuthHeaders(
  db: Database,
  headers: SignedRequest['headers'],
  now = Date.now(),
): Promise<PendingTerminal> {
  const req = { headers };
  const terminalId = header(req, AUTH_HEADERS.terminal);
  const timestamp = header(req, AUTH_HEADERS.timestamp);
  const nonce = header(req, AUTH_HEADERS.nonce);
  const signature = header(req, AUTH_HEADERS.signature);
  if (!/^\d{13}$/.test(timestamp))
    throw unauthorized('AUTH_MALFORMED', 'The timestamp is milliseconds since 1970');
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(nonce))
    throw unauthorized('AUTH_MALFORMED', 'The nonce is 16–64 URL-safe characters');
  if (terminalId.length > 64) throw unauthorized('AUTH_MALFORMED', 'Bad terminal id');
  if (!/^[A-Za-z0-9_-]{86}$/.test(signature))
    throw unauthorized('AUTH_BAD_SIGNATURE', 'The request signature does not verify');
  const skew = Number(timestamp) - now;
  if (Math.abs(skew) > MAX_CLOCK_SKEW_MS) {
    throw unauthorized('AUTH_EXPIRED', 'The request timestamp is too far from the cloud clock', {
      serverTime: new Date(now).toISOString(),
    });
  }
  const r = await db.query<{
    store_id: string;
    device_id: string;
    lane_code: string;
    public_key: JsonWebKey;
    revoked_at: Date | null;
  }>('SELECT store_id, device_id, lane_code, public_key, revoked_at FROM terminals WHERE id = $1', [
    terminalId,
  ]);
  const row = r.rows[0];
  // Same answer for unknown and badly signed, so ids cannot be probed.
  if (!row) throw unauthorized('AUTH_BAD_SIGNATURE', 'The request signature does not verify');
  if (row.revoked_at)
    throw new HttpError(403, 'TERMINAL_REVOKED', 'This terminal has been revoked by the store');
  return {
    terminalId,
    timestamp,
    nonce,
    signature,
    storeId: row.store_id,
    deviceId: row.device_id,
    laneCode: row.lane_code,
    publicKey: row.public_key,
  };
}

/**
 * The rest, once the body is in: an ECDSA P-256 signature over method, path, timestamp, nonce
 * and the body's SHA-256, and a nonce never seen before from this terminal (kept for twice the
 * skew window, after which the timestamp check alone refuses a replay).
 */
export async function verifySignedRequest(
  db: Database,
  pending: PendingTerminal,
  req: Pick<SignedRequest, 'method' | 'url' | 'body'>,
  now = Date.now(),
): Promise<AuthenticatedTerminal> {
  const { terminalId, timestamp, nonce } = pending;
  const bodySha256Hex = createHash('sha256').update(req.body).digest('hex');
  const data = canonicalRequest({
    method: req.method,
    pathAndQuery: req.url,
    timestamp,
    nonce,
    bodySha256Hex,
  });
  const sig = Buffer.from(pending.signature, 'base64url');
  const ok =
    sig.length === 64 &&
    verify(
      'sha256',
      Buffer.from(data),
      { key: publicKey(terminalId, pending.publicKey), dsaEncoding: 'ieee-p1363' },
      sig,
    );
  if (!ok) throw unauthorized('AUTH_BAD_SIGNATURE', 'The request signature does not verify');
  const fresh = await db.query(
    `INSERT INTO request_nonces (terminal_id, nonce, expires_at) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING`,
    [terminalId, nonce, new Date(now + 2 * MAX_CLOCK_SKEW_MS)],
  );
  if (fresh.affected === 0)
    throw unauthorized('AUTH_REPLAYED', 'This request was already received');
  return {
    terminalId,
    storeId: pending.storeId,
    deviceId: pending.deviceId,
    laneCode: pending.laneCode,
  };
}

/** Checks a signed request whole (docs/cloud.md, "Authentication"): headers, then signature. */
export async function authenticate(
  db: Database,
  req: SignedRequest,
  now = Date.now(),
): Promise<AuthenticatedTerminal> {
  return verifySignedRequest(db, await checkAuthHeaders(db, req.headers, now), req, now);
}

/** Forgets nonces whose requests the timestamp check already refuses. */
export async function pruneNonces(db: Database, now = Date.now()): Promise<number> {
  const r = await db.query('DELETE FROM request_nonces WHERE expires_at < $1', [new Date(now)]);
  return r.affected;
}
