/**
 * What the sync engine does with each answer of the cloud: a small pure function, so every
 * class is unit-tested and the engine loop only carries decisions out. docs/sync.md has the same
 * table in prose. The rule: retry whatever a fresh attempt (new nonce, new timestamp, after a
 * pause) could fix, and stop only for what no retry fixes — a revoked lane, a lane the cloud does
 * not know, a cloud that lost sales this lane no longer holds — and even then look again slowly.
 */

/** Which request an answer belongs to (some answers mean different things per request). */
export type Operation = 'provision' | 'push' | 'pull' | 'shard';

/** An answer, sorted by what can be done about it. */
export type AnswerClass =
  | 'ok'
  /** No usable answer: offline, refused, reset, timed out, or the body cut off mid-way. */
  | 'network'
  /** An answer that is not the cloud's JSON: a gateway's HTML page, an empty 200. */
  | 'unreadable'
  /** 401 AUTH_REPLAYED: a copy of a request the cloud already took (a browser re-sends one). */
  | 'replayed'
  /** 401 AUTH_EXPIRED: the lane's clock is off; the answer carried the cloud's time. */
  | 'clock'
  /** 401 AUTH_BAD_SIGNATURE: the cloud does not know this lane's key (forgotten, restored). */
  | 'unknown-terminal'
  /** Any other 401 (missing or mangled auth headers: a middlebox, a bug): may clear up. */
  | 'auth-other'
  /** 403 TERMINAL_REVOKED: the store revoked this lane. */
  | 'revoked'
  /** 403 CODE_INVALID: the provisioning code is unknown, used or expired. */
  | 'code-refused'
  /** 408, 429, 503: the cloud (or its gateway) is busy; Retry-After says for how long. */
  | 'busy'
  /** Other 5xx: the cloud failed and rolled back; the same request can succeed. */
  | 'server'
  /** 409 MUTATION_GAP: the cloud has fewer mutations than this lane thinks. */
  | 'gap'
  /** Any other 4xx: this request as sent can never be taken (too large, malformed). */
  | 'refused'
  /** An answer a lane does not expect (404, another 403, a redirect): a misrouted gateway. */
  | 'unexpected';

export function classify(status: number, code: string): AnswerClass {
  if (status === 0) return code === 'BAD_RESPONSE' ? 'unreadable' : 'network';
  if (status >= 200 && status < 300) return code === 'BAD_RESPONSE' ? 'unreadable' : 'ok';
  if (status === 401) {
    if (code === 'AUTH_REPLAYED') return 'replayed';
    if (code === 'AUTH_EXPIRED') return 'clock';
    if (code === 'AUTH_BAD_SIGNATURE') return 'unknown-terminal';
    return 'auth-other';
  }
  if (status === 403 && code === 'TERMINAL_REVOKED') return 'revoked';
  if (status === 403 && code === 'CODE_INVALID') return 'code-refused';
  if (status === 409 && code === 'MUTATION_GAP') return 'gap';
  if (status === 408 || status === 429 || status === 503) return 'busy';
  if (status >= 500) return 'server';
  // Nothing proves the request itself is wrong: a gateway routing it elsewhere may recover.
  if (status === 404 || status === 403 || status < 400) return 'unexpected';
  return 'refused';
}

export type HaltReason = 'revoked' | 'unknown-terminal' | 'stalled';

export type Decision =
  /** Apply the answer (push: mark the rows synced or rejected; pull: store the page). */
  | { readonly action: 'confirm' }
  /** Try again: at once (a fresh signature is all it needs) or after the backoff delay. */
  | { readonly action: 'retry'; readonly after: 'now' | 'backoff' }
  /** Stop pushing; say why; look again on the slow re-check interval (or on "Sync now"). */
  | { readonly action: 'halt'; readonly reason: HaltReason }
  /** Send again from the cloud's last mutation id (when the rows are still here). */
  | { readonly action: 'rewind' }
  /** The batch as a whole is refused: narrow it down to the one mutation at fault. */
  | { readonly action: 'isolate' }
  /** The cloud refused the pull cursor: start the pull over from the beginning. */
  | { readonly action: 'restart-pull' }
  /** The provisioning code is spent or wrong: forget it and wait for a manager's code. */
  | { readonly action: 'drop-code' };

export interface DecisionContext {
  readonly operation: Operation;
  /** Failed attempts in a row before this one. */
  readonly failures: number;
  /** A pull that sent a cursor (a refused cursor can be dropped). */
  readonly hasCursor?: boolean;
}

export function decide(answer: AnswerClass, ctx: DecisionContext): Decision {
  if (answer === 'ok') return { action: 'confirm' };
  const backoff: Decision = { action: 'retry', after: 'backoff' };
  if (ctx.operation === 'provision') {
    // Unsigned and consumed in one transaction: a spent or wrong code (or a request refused as
    // malformed) never works again, anything else may not have reached the cloud at all (a retry
    // of a code it did consume gets CODE_INVALID, and the code is dropped then).
    return answer === 'code-refused' || answer === 'refused' ? { action: 'drop-code' } : backoff;
  }
  switch (answer) {
    case 'replayed':
    case 'clock':
      // A fresh signature (new nonce; the clock offset learned from this very answer) fixes it
      // at once; if it did not (a cloud whose clock jumps, a bug), back off rather than spin.
      return ctx.failures === 0 ? { action: 'retry', after: 'now' } : backoff;
    case 'revoked':
      return { action: 'halt', reason: 'revoked' };
    case 'unknown-terminal':
      return { action: 'halt', reason: 'unknown-terminal' };
    case 'gap':
      return ctx.operation === 'push' ? { action: 'rewind' } : backoff;
    case 'refused':
      if (ctx.operation === 'push') return { action: 'isolate' };
      if (ctx.operation === 'pull' && ctx.hasCursor) return { action: 'restart-pull' };
      return backoff;
    case 'network':
    case 'unreadable':
    case 'busy':
    case 'server':
    case 'auth-other':
    case 'code-refused':
    case 'unexpected':
      return backoff;
  }
}

export interface Backoff {
  readonly baseMs: number;
  readonly maxMs: number;
}

/**
 * Exponential backoff with "equal jitter" (half fixed, half random: spread out, never zero),
 * from `baseMs` up to `maxMs`; a Retry-After the cloud asked for is honoured up to 5 minutes.
 */
export function backoffDelay(
  failures: number,
  backoff: Backoff,
  random: () => number,
  retryAfterMs: number | null = null,
): number {
  const ceiling = Math.min(
    backoff.maxMs,
    backoff.baseMs * 2 ** Math.min(Math.max(failures, 1) - 1, 30),
  );
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  return retryAfterMs === null ? jittered : Math.max(jittered, Math.min(retryAfterMs, 5 * 60_000));
}

/** Retry-After as milliseconds (delta-seconds or an HTTP date); null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | null {
  if (!value) return null;
  const s = value.trim();
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const at = Date.parse(s);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}
