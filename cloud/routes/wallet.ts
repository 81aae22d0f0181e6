import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { paymentIdSchema } from '../../common/sync/payments';
import { walletRequestSchema } from '../../common/sync/wallet';
import { authorizeWallet, cancelWallet } from '../wallet/authorize';
import { parse, type RouteContext } from './context';
import { PAYMENT_BYTES } from './payments';

/**
 * Wallet payments (cloud/wallet/), signed by the lane like every lane request:
 * `POST /v1/wallet-payments` decides one (200 for every decided outcome) and
 * `POST /v1/wallet-payments/:paymentId/cancel` gives one up.
 */
export function walletRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const wallet = { db: ctx.db, wallet: ctx.payments.wallet, now: ctx.now };
  app.post(
    '/v1/wallet-payments',
    { bodyLimit: PAYMENT_BYTES, preHandler: ctx.terminalAuth },
    async (req) => authorizeWallet(wallet, req.terminal!, parse(walletRequestSchema, req.body)),
  );
  app.post(
    '/v1/wallet-payments/:paymentId/cancel',
    { preHandler: ctx.terminalAuth },
    async (req) => {
      const { paymentId } = parse(z.strictObject({ paymentId: paymentIdSchema }), req.params);
      return cancelWallet(wallet, req.terminal!, paymentId);
    },
  );
}
