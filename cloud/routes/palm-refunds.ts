import type { FastifyInstance } from 'fastify';
import { palmRefundRequestSchema } from '../../common/sync/palm-refunds';
import { refundPalm } from '../payments/palm-refund';
import { parse, type RouteContext } from './context';

/** `POST /v1/palm-refunds` (signed by the lane): a refund back to a palm payment's card. */
export function palmRefundRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const refunds = { db: ctx.db, svc: ctx.payments, now: ctx.now };
  app.post(
    '/v1/palm-refunds',
    { bodyLimit: 256 * 1024, preHandler: ctx.terminalAuth },
    async (req) => refundPalm(refunds, req.terminal!, parse(palmRefundRequestSchema, req.body)),
  );
}
