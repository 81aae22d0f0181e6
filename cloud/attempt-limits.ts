import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './errors';

/**
 * Counts failed attempts (wrong provisioning codes, wrong passcodes, spent login links) per key
 * (by default the client address) with @fastify/rate-limit's store, and refuses a key that used
 * up its failures in the window with 429. Successes are free, so a busy store's lanes are never
 * locked out by their own provisioning. Counters live in each instance's memory: with n instances
 * behind a balancer an address gets up to n × max tries per window (docs/cloud.md).
 */
export interface FailureLimiter {
  /** Throws 429 (with Retry-After) when `req`'s key has no failures left in the window. */
  check(req: FastifyRequest, reply: FastifyReply): Promise<void>;
  /** Counts one failure for `req`'s key. */
  fail(req: FastifyRequest): Promise<void>;
}

export interface FailureLimit {
  readonly max: number;
  readonly windowMs: number;
  /** What failed, for the message: "provisioning codes", "passcodes". */
  readonly what: string;
  readonly key?: (req: FastifyRequest) => string;
}

export function failureLimiter(app: FastifyInstance, o: FailureLimit): FailureLimiter {
  const limit = app.createRateLimit({
    max: o.max,
    timeWindow: o.windowMs,
    ...(o.key ? { keyGenerator: o.key } : {}),
  });
  return {
    async check(req, reply) {
      const r = await limit(req, { increment: false });
      if (r.isAllowed || r.remaining > 0) return;
      const minutes = Math.max(1, Math.ceil(r.ttl / 60_000));
      reply.header('Retry-After', String(Math.ceil(r.ttl / 1000)));
      throw new HttpError(
        429,
        'TOO_MANY_ATTEMPTS',
        `Too many wrong ${o.what}; try again in ${minutes} min`,
      );
    },
    async fail(req) {
      await limit(req);
    },
  };
}

/** 15 minutes: the window every limit here counts in. */
export const ATTEMPT_WINDOW_MS = 15 * 60_000;
