import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { deletionRequestSchema, enrolmentRequestSchema } from '../../common/sync/enrolment';
import { ATTEMPT_WINDOW_MS, failureLimiter } from '../attempt-limits';
import { enrolShopper } from '../enrolment/enrol';
import { refitPolicy } from '../enrolment/policy-refit';
import { requestDeletion, shopperByPalm, shopperByRef } from '../enrolment/deletion';
import { setUnusedDays, unusedDays } from '../enrolment/retention';
import { HttpError } from '../errors';
import { checkStaffCredential } from '../staff';
import { parse, storeParams, type RouteContext } from './context';

/**
 * Enrolment and deletion (cloud/enrolment/; docs/enrolment.md): `POST /v1/enrolments` and
 * `POST /v1/shoppers/deletions`, signed by a lane, for the lane's own store only; the operator's
 * (and the dashboard's) deletion and retention setting under /v1/admin.
 */
export function enrolmentRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const svc = ctx.enrolment;
  app.post('/v1/enrolments', { preHandler: ctx.terminalAuth }, async (req, reply) => {
    const body = parse(enrolmentRequestSchema, req.body);
    const storeId = req.terminal!.storeId;
    const { answer, created, gallery } = await enrolShopper(
      ctx.db,
      svc,
      req.terminal!,
      body,
      ctx.now(),
    );
    // The store's policy, not this shopper's: a failed refit is logged and retried next time.
    if (gallery !== undefined)
      await refitPolicy(ctx.db, storeId, gallery).catch((err: unknown) =>
        req.log.error({ err, storeId }, 'palm policy refit failed'),
      );
    return reply.code(created ? 201 : 200).send(answer);
  });

  // Wrong digits, palms that are not the shopper's and wrong manager passcodes: five per lane.
  const limiter = failureLimiter(app, {
    max: 5,
    windowMs: ATTEMPT_WINDOW_MS,
    what: 'deletion confirmations from this lane',
    key: (req) => `deletion:${req.terminal?.terminalId ?? req.ip}`,
  });
  app.post('/v1/shoppers/deletions', { preHandler: ctx.terminalAuth }, async (req, reply) => {
    const terminal = req.terminal!;
    await limiter.check(req, reply);
    const body = parse(deletionRequestSchema, req.body);
    const storeId = terminal.storeId;
    let target;
    let requestedBy: string;
    try {
      if (body.via === 'palm') {
        target = await shopperByPalm(ctx.db, svc, storeId, body);
        requestedBy = `shopper at lane ${terminal.terminalId}`;
      } else {
        const manager = await checkStaffCredential(ctx.db, storeId, body.staffId, body.passcode);
        if (!manager)
          throw new HttpError(
            403,
            'STAFF_CREDENTIAL_INVALID',
            'The staff id or passcode is wrong, or that person is not a manager of this store',
          );
        target = await shopperByRef(ctx.db, storeId, body.customerRef);
        requestedBy = `${manager.id} (${manager.name}) at lane ${terminal.terminalId}`;
      }
    } catch (e) {
      if (e instanceof HttpError && e.status === 403) await limiter.fail(req);
      throw e;
    }
    const answer = await requestDeletion(ctx.db, svc, {
      storeId,
      target,
      via: body.via === 'palm' ? 'lane-palm' : 'lane-manager',
      requestedBy,
      now: ctx.now(),
    });
    return reply.code(202).send(answer);
  });

  const refParams = storeParams.extend({ customerRef: z.string().regex(/^cus_[a-z0-9]{8,40}$/) });
  app.post(
    '/v1/admin/stores/:storeId/shoppers/:customerRef/delete',
    { preHandler: ctx.adminAuth },
    async (req, reply) => {
      const { storeId, customerRef } = parse(refParams, req.params);
      const by = z.object({ actor: z.string().min(1).max(100).optional() }).parse(req.body ?? {});
      const target = await shopperByRef(ctx.db, storeId, customerRef);
      const answer = await requestDeletion(ctx.db, svc, {
        storeId,
        target,
        via: 'dashboard',
        requestedBy: by.actor ?? 'operator',
        now: ctx.now(),
      });
      return reply.code(202).send(answer);
    },
  );

  app.get('/v1/admin/stores/:storeId/retention', { preHandler: ctx.adminAuth }, async (req) => {
    const { storeId } = parse(storeParams, req.params);
    return { unusedDays: await unusedDays(ctx.db, storeId) };
  });
  app.post('/v1/admin/stores/:storeId/retention', { preHandler: ctx.adminAuth }, async (req) => {
    const { storeId } = parse(storeParams, req.params);
    const body = parse(z.strictObject({ unusedDays: z.number().int().min(1).max(3650) }), req.body);
    await setUnusedDays(ctx.db, storeId, body.unusedDays, 'operator');
    return { unusedDays: body.unusedDays };
  });
}
