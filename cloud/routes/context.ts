import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { describeZodError } from '../../common/sync/protocol';
import type { AuthenticatedTerminal } from '../auth';
import type { Database } from '../db/types';
import { badRequest } from '../errors';
import type { ShardSource } from '../pull';

/** What every route module gets from buildCloudApp: the database, the clock and the guards. */
export interface RouteContext {
  readonly db: Database;
  readonly now: () => number;
  readonly shard: ShardSource;
  /** preHandler: a signed request from a known, unrevoked terminal (sets req.terminal). */
  readonly terminalAuth: (req: FastifyRequest) => Promise<void>;
  /** preHandler: the store-admin credential. */
  readonly adminAuth: (req: FastifyRequest) => Promise<void>;
  /** See CloudAppOptions.onShardKeyRegistered. */
  readonly onShardKeyRegistered?: (terminal: AuthenticatedTerminal) => Promise<unknown>;
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
