import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { describeZodError } from '../../common/sync/protocol';
import type { AuthenticatedTerminal } from '../auth';
import type { Database } from '../db/types';
import { badRequest } from '../errors';
import type { PaymentServices } from '../payments/services';
import type { ShardSource } from '../pull';

/** What every route module gets from buildCloudApp: the database, the clock and the guards. */
export interface RouteContext {
  readonly db: Database;
  readonly now: () => number;
  readonly shard: ShardSource;
  /** Palm payments: the card processor and the shopper store. */
  readonly payments: PaymentServices;
  /** preHandler: a signed request from a known, unrevoked terminal (sets req.terminal). */
  readonly terminalAuth: (req: FastifyRequest) => Promise<void>;
  /** preHandler: the store-admin credential. */
  readonly adminAuth: (req: FastifyRequest) => Promise<void>;
  /** See CloudAppOptions.onShardKeyRegistered. */
  readonly onShardKeyRegistered?: (terminal: AuthenticatedTerminal) => Promise<unknown>;
  /**
   * Call after a lane's shard-recipient standing changed (approved, revoked, reinstated): the
   * store's shard publisher re-keys before the answer. Never throws (failures are logged).
   */
  readonly laneTrustChanged: (terminalId: string, log: FastifyBaseLogger) => Promise<void>;
  /** See CloudAppOptions.publicOrigin. */
  readonly publicOrigin?: string;
  /**
   * Calls this cloud's own admin API with the operator's credential (the dashboard's actions,
   * once it has checked the person's session and CSRF token, reuse the API's routes).
   */
  readonly adminApi: (
    method: 'GET' | 'POST',
    url: string,
  ) => Promise<{ status: number; body: unknown }>;
}

/** Parses a request part with a zod schema; a mismatch is a 400 naming the first problem. */
export function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw badRequest(describeZodError(r.error));
  return r.data;
}

export const storeParams = z.strictObject({
  storeId: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/),
});
