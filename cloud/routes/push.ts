import type { FastifyInstance } from 'fastify';
import { MAX_PUSH_BYTES, pushRequestSchema } from '../../common/sync/protocol';
import { applyPush } from '../push/apply';
import { parse, type RouteContext } from './context';

/** `POST /v1/push`: a lane's numbered mutations, applied exactly once (cloud/push/). */
export function pushRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/v1/push', { bodyLimit: MAX_PUSH_BYTES, preHandler: ctx.terminalAuth }, async (req) => {
    const body = parse(pushRequestSchema, req.body);
    return applyPush(ctx.db, req.terminal!, body, { now: ctx.now, payments: ctx.payments });
  });
}
