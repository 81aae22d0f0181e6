import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { paymentIdSchema, paymentRequestSchema } from '../../common/sync/payments';
import { authorizePayment, cancelPayment } from '../payments/authorize';
import { parse, type RouteContext } from './context';

/** A payment names at most 1000 lines (~300 bytes each) and one signed capture. */
export const PAYMENT_BYTES = 512 * 1024;

/**
 * Palm payments (cloud/payments/, docs/payments.md), signed by the lane like push and pull:
 * `POST /v1/payments` decides one (200 for every decided outcome) and
 * `POST /v1/payments/:paymentId/cancel` gives one up.
 */
export function paymentRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const auth = { db: ctx.db, svc: ctx.payments, now: ctx.now };
  app.post(
    '/v1/payments',
    { bodyLimit: PAYMENT_BYTES, preHandler: ctx.terminalAuth },
    async (req) => authorizePayment(auth, req.terminal!, parse(paymentRequestSchema, req.body)),
  );
  app.post('/v1/payments/:paymentId/cancel', { preHandler: ctx.terminalAuth }, async (req) => {
    const { paymentId } = parse(z.strictObject({ paymentId: paymentIdSchema }), req.params);
    return cancelPayment(auth, req.terminal!, paymentId);
  });
}
