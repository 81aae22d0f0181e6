import type { FastifyInstance } from 'fastify';
import { badRequest } from '../errors';
import { MAX_PULL_LIMIT, parseCursor, pullChanges } from '../pull';
import type { RouteContext } from './context';

/** `GET /v1/pull`: the lane's store changes after a cursor; `GET /v1/whoami`. */
export function pullRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get('/v1/pull', { preHandler: ctx.terminalAuth }, async (req) => {
    const q = req.query as { cursor?: unknown; limit?: unknown };
    const limit = q.limit === undefined ? 500 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PULL_LIMIT) {
      throw badRequest(`limit must be 1–${MAX_PULL_LIMIT}`);
    }
    return pullChanges(ctx.db, req.terminal!, parseCursor(q.cursor), limit, ctx.shard);
  });

  app.get('/v1/whoami', { preHandler: ctx.terminalAuth }, async (req) => req.terminal);
}
