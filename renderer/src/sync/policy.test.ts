import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  classify,
  decide,
  parseRetryAfter,
  type AnswerClass,
  type Decision,
  type Operation,
} from './policy';

describe('classify: each answer of the cloud (or of the network) gets one class', () => {
  it.each<[number, string, AnswerClass]>([
    [200, '', 'ok'],
    [204, '', 'ok'],
    [0, 'NETWORK', 'network'],
    [0, 'ABORTED', 'network'],
    [0, 'BAD_RESPONSE', 'unreadable'],
    [401, 'AUTH_REPLAYED', 'replayed'],
    [401, 'AUTH_EXPIRED', 'clock'],
    [401, 'AUTH_BAD_SIGNATURE', 'unknown-terminal'],
    [401, 'AUTH_MISSING', 'auth-other'],
    [401, 'AUTH_MALFORMED', 'auth-other'],
    [401, 'HTTP_401', 'auth-other'],
    [403, 'TERMINAL_REVOKED', 'revoked'],
    [403, 'CODE_INVALID', 'code-refused'],
    [403, 'ORIGIN_NOT_ALLOWED', 'unexpected'],
    [404, 'NOT_FOUND', 'unexpected'],
    [408, 'HTTP_408', 'busy'],
    [429, 'RATE_LIMITED', 'busy'],
    [503, 'HTTP_503', 'busy'],
    [500, 'INTERNAL', 'server'],
    [502, 'HTTP_502', 'server'],
    [504, 'HTTP_504', 'server'],
    [409, 'MUTATION_GAP', 'gap'],
    [409, 'STORE_EXISTS', 'refused'],
    [400, 'BAD_REQUEST', 'refused'],
    [413, 'FST_ERR_CTP_BODY_TOO_LARGE', 'refused'],
    [415, 'HTTP_415', 'refused'],
  ])('%i %s → %s', (status, code, cls) => {
    expect(classify(status, code)).toBe(cls);
  });
});

const retryLater: Decision = { action: 'retry', after: 'backoff' };
const retryNow: Decision = { action: 'retry', after: 'now' };

describe('decide: retry, stop or confirm', () => {
  const syncOps: Operation[] = ['push', 'pull', 'shard'];

  it('an answer is confirmed, whatever the request', () => {
    for (const operation of [...syncOps, 'provision' as const])
      expect(decide('ok', { operation, failures: 3 })).toEqual({ action: 'confirm' });
  });

  it('a replayed request or a clock offset is retried at once with a fresh signature, then backs off', () => {
    for (const operation of syncOps)
      for (const cls of ['replayed', 'clock'] as const) {
        expect(decide(cls, { operation, failures: 0 })).toEqual(retryNow);
        expect(decide(cls, { operation, failures: 1 })).toEqual(retryLater);
      }
  });

  it('no answer, an unreadable one, a busy or failing cloud, a mangled header: back off, never stop', () => {
    for (const operation of syncOps)
      for (const cls of [
        'network',
        'unreadable',
        'busy',
        'server',
        'auth-other',
        'unexpected',
        'code-refused',
      ] as const)
        for (const failures of [0, 1, 50])
          expect(decide(cls, { operation, failures })).toEqual(retryLater);
  });

  it('stops only for a revoked lane or one the cloud does not know', () => {
    for (const operation of syncOps) {
      expect(decide('revoked', { operation, failures: 0 })).toEqual({
        action: 'halt',
        reason: 'revoked',
      });
      expect(decide('unknown-terminal', { operation, failures: 7 })).toEqual({
        action: 'halt',
        reason: 'unknown-terminal',
      });
    }
  });

  it('a gap rewinds a push; a refused push is narrowed down; a refused cursor restarts the pull', () => {
    expect(decide('gap', { operation: 'push', failures: 0 })).toEqual({ action: 'rewind' });
    expect(decide('gap', { operation: 'pull', failures: 0 })).toEqual(retryLater);
    expect(decide('refused', { operation: 'push', failures: 0 })).toEqual({ action: 'isolate' });
    expect(decide('refused', { operation: 'pull', failures: 0, hasCursor: true })).toEqual({
      action: 'restart-pull',
    });
    expect(decide('refused', { operation: 'pull', failures: 0, hasCursor: false })).toEqual(
      retryLater,
    );
    expect(decide('refused', { operation: 'shard', failures: 0 })).toEqual(retryLater);
  });

  it('provisioning: a spent, wrong or refused code is dropped; no answer may be retried', () => {
    expect(decide('code-refused', { operation: 'provision', failures: 0 })).toEqual({
      action: 'drop-code',
    });
    expect(decide('refused', { operation: 'provision', failures: 0 })).toEqual({
      action: 'drop-code',
    });
    for (const cls of ['network', 'unreadable', 'busy', 'server', 'replayed'] as const)
      expect(decide(cls, { operation: 'provision', failures: 0 })).toEqual(retryLater);
  });
});

describe('backoff', () => {
  const b = { baseMs: 1_000, maxMs: 10_000 };
  it('grows exponentially with equal jitter, capped, never zero', () => {
    expect(backoffDelay(1, b, () => 0)).toBe(500);
    expect(backoffDelay(1, b, () => 1)).toBe(1_000);
    expect(backoffDelay(3, b, () => 0)).toBe(2_000);
    expect(backoffDelay(3, b, () => 1)).toBe(4_000);
    expect(backoffDelay(40, b, () => 0.5)).toBe(7_500);
    for (let f = 1; f < 60; f++) {
      const d = backoffDelay(f, b, Math.random);
      expect(d).toBeGreaterThan(0);
      expect(d).toBeLessThanOrEqual(b.maxMs);
    }
  });

  it('honours a Retry-After, up to five minutes', () => {
    expect(backoffDelay(1, b, () => 0, 3_000)).toBe(3_000);
    expect(backoffDelay(1, b, () => 1, 100)).toBe(1_000);
    expect(backoffDelay(1, b, () => 0, 3_600_000)).toBe(300_000);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-03-01T10:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });
});
