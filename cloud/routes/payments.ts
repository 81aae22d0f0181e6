import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { paymentIdSchema, paymentRequestSchema } from '../../common/sync/payments';
import { authorizePayment, cancelPayment } from '../payments/authorize';
import { parse, storeParams, type RouteContext } from './context';

/** A payment names at most 1000 lines (~300 bytes each) and one signed capture. */
export const PAYMENT_BYTES = 512 * 1024;

/**
 * Palm payments (cloud/payments/, docs/payments.md), signed by the lane like push and pull:
 * `POST /v1/payments` decides one (200 for every decided outcome) and
 * `POST /v1/payments/:paymentId/cancel` gives one up; `GET /v1/admin/stores/:storeId/payments`
 * lists them for the operator.
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
  // The operator's view of a store's palm payments, newest first (what an e2e test counts to
  // prove one charge, and what a support desk reads): no templates, no card tokens.
  app.get('/v1/admin/stores/:storeId/payments', { preHandler: ctx.adminAuth }, async (req) => {
    const { storeId } = parse(storeParams, req.params);
    const r = await ctx.db.query<Record<string, unknown>>(
      `SELECT p.payment_id AS "paymentId", p.kind, p.status, p.sale_id AS "saleId", p.amount, p.currency,
              p.customer_ref AS "customerRef", p.reason, t.lane_code AS "laneCode", p.created_at AS "createdAt"
       FROM payments p JOIN terminals t ON t.id = p.terminal_id
       WHERE p.store_id = $1 ORDER BY p.created_at DESC LIMIT 500`,
      [storeId],
    );
    return { payments: r.rows };
  });
}
