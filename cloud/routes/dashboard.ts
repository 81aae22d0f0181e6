import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { recordAdminAudit } from '../admin-audit';
import { keyFingerprint, laneTrust, renderDashboard, storeOverview } from '../dashboard';
import { codePage, loginPage, messagePage, whoBar } from '../dashboard-pages';
import {
  addFormParser,
  assertCsrf,
  assertSameOrigin,
  formField,
  sendPage,
  sessionOf,
  type Session,
} from '../dashboard-web';
import { dailyFigures, daysCsv, storeCalendar } from '../daily-figures';
import { requestDeletion } from '../enrolment/deletion';
import { shopperByRefOrPhone } from '../enrolment/lookup';
import { HttpError } from '../errors';
import { issueCode } from '../provision';
import { listScannerKeys } from '../scanner-keys';
import { actorName, mayManage } from '../sessions';
import { approveShardRecipient } from '../shard-approval';
import { storeSettings } from '../stores';
import { parse, storeParams, type RouteContext } from './context';

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a day is YYYY-MM-DD')
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'is not a calendar day');
const daysQuery = z
  .strictObject({ from: isoDay, to: isoDay })
  .refine((q) => q.from <= q.to, { message: 'from must not be after to', path: ['from'] })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, {
    message: 'at most a year at a time',
    path: ['to'],
  });

const laneParams = z.strictObject({
  storeId: storeParams.shape.storeId,
  terminalId: z.string().min(1).max(64),
});

/** What `?notice=` may say after an action (a fixed list: nothing from the URL is echoed). */
const NOTICES: Record<string, string> = {
  approved: 'Lane approved for palm pay: it receives the palm shard on its next sync.',
  'already-approved': 'That lane was already approved.',
  revoked: 'Lane revoked: it can no longer sync, and the palm shard was re-keyed without it.',
  reinstated: 'Lane reinstated.',
  'shopper-deleted':
    'Shopper deleted: their palm is no longer recognised at any lane after its next sync, and their data is erased.',
  'shopper-deletion-pending':
    'Deletion requested: the palm is no longer recognised at any lane after its next sync; the rest of their data is erased once their stored payments can have settled.',
  'not-reinstated':
    'The lane could not be reinstated (not revoked, or reinstating is not available on this cloud).',
};

/**
 * The store dashboard (a server-rendered page, no script): lanes with heartbeats, queue depth
 * and palm-pay approval, rejected mutations, today's totals; and a signed-in manager's (or the
 * operator's) actions as POST forms: approve a lane for palm pay, revoke or reinstate a lane,
 * issue a provisioning code. Every POST passes the Origin check and the session's CSRF token.
 */
export function dashboardRoutes(app: FastifyInstance, ctx: RouteContext): void {
  void app.register(async (scope) => {
    addFormParser(scope);
    scope.setErrorHandler((err, req, reply) => {
      if (err instanceof HttpError)
        return sendPage(reply, err.status, messagePage('Not done', err.message));
      req.log.error(err);
      return sendPage(reply, 500, messagePage('Not done', 'The cloud failed; try again'));
    });

    scope.get('/dashboard/:storeId', async (req, reply) => {
      const { storeId } = parse(storeParams, req.params);
      const session = await sessionOf(req, ctx);
      if (!session) return sendPage(reply, 401, loginPage({ storeId }));
      if (!mayManage(session.actor, storeId))
        return sendPage(reply, 403, messagePage('Not your store', `You cannot manage ${storeId}.`));
      const notice = NOTICES[String((req.query as { notice?: unknown }).notice)] ?? null;
      const scanners = (await listScannerKeys(ctx.db, storeId))
        .filter((k) => k.revokedAt === null)
        .map((k) => ({
          serial: k.serial,
          model: k.model,
          fingerprint: keyFingerprint(k.publicKey),
          approvedBy: `${k.approvedBy.name} (${k.approvedBy.id})`,
          approvedAt: k.approvedAt,
        }));
      const html = renderDashboard(await storeOverview(ctx.db, storeId, ctx.now()), ctx.now(), {
        trust: await laneTrust(ctx.db, storeId),
        scanners,
        who: whoBar(session.actor, session.csrf),
        csrf: session.csrf,
        notice,
      });
      return sendPage(reply, 200, html);
    });

    // The bookkeeper's export: the store's days in its own zone (reading only, so a GET; the
    // session cookie is SameSite=Strict and no other origin can read the answer).
    scope.get('/dashboard/:storeId/days.csv', async (req, reply) => {
      const { storeId } = parse(storeParams, req.params);
      const session = await sessionOf(req, ctx);
      if (!session) return sendPage(reply, 401, loginPage({ storeId }));
      if (!mayManage(session.actor, storeId))
        return sendPage(reply, 403, messagePage('Not your store', `You cannot manage ${storeId}.`));
      const { from, to } = parse(daysQuery, req.query);
      const { timeZone } = await storeCalendar(ctx.db, storeId);
      const rows = await dailyFigures(ctx.db, storeId, timeZone, from, to);
      const store = await storeSettings(ctx.db, storeId);
      return reply
        .header('Content-Type', 'text/csv; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="${storeId}-days-${from}-${to}.csv"`)
        .header('Cache-Control', 'no-store')
        .header('X-Content-Type-Options', 'nosniff')
        .send(daysCsv(store.storeName, timeZone, rows));
    });

    /** Session, same origin, CSRF token and the right store, or a refusal. */
    async function authorised(req: FastifyRequest, storeId: string): Promise<Session> {
      assertSameOrigin(req, ctx);
      const session = await sessionOf(req, ctx);
      if (!session) throw new HttpError(401, 'LOGIN_REQUIRED', 'Log in to the dashboard first');
      assertCsrf(req, session);
      if (!mayManage(session.actor, storeId))
        throw new HttpError(403, 'NOT_YOUR_STORE', `You cannot manage ${storeId}`);
      return session;
    }

    async function laneOf(storeId: string, terminalId: string): Promise<void> {
      const r = await ctx.db.query('SELECT 1 FROM terminals WHERE id = $1 AND store_id = $2', [
        terminalId,
        storeId,
      ]);
      if (r.rows.length === 0) throw new HttpError(404, 'NOT_FOUND', 'No such lane in this store');
    }

    scope.post('/dashboard/:storeId/lanes/:terminalId/approve', async (req, reply) => {
      const { storeId, terminalId } = parse(laneParams, req.params);
      const session = await authorised(req, storeId);
      const outcome = await approveShardRecipient(
        ctx.db,
        storeId,
        terminalId,
        actorName(session.actor),
      );
      if (outcome === 'approved') await ctx.laneTrustChanged(terminalId, req.log);
      return reply.redirect(`/dashboard/${storeId}?notice=${outcome}`, 303);
    });

    // Revoke and reinstate are the admin API's (routes/terminals.ts); the dashboard calls them
    // for the signed-in person and records who.
    for (const action of ['revoke', 'reinstate'] as const) {
      scope.post(`/dashboard/:storeId/lanes/:terminalId/${action}`, async (req, reply) => {
        const { storeId, terminalId } = parse(laneParams, req.params);
        const session = await authorised(req, storeId);
        await laneOf(storeId, terminalId);
        const res = await ctx.adminApi(
          'POST',
          `/v1/admin/terminals/${encodeURIComponent(terminalId)}/${action}`,
        );
        const body = (res.body ?? {}) as { revoked?: boolean; reinstated?: boolean };
        const done =
          res.status === 200 && (action === 'revoke' ? body.revoked : body.reinstated) !== false;
        if (done) {
          await recordAdminAudit(ctx.db, {
            storeId,
            actor: actorName(session.actor),
            action: `lane.${action === 'revoke' ? 'revoked' : 'reinstated'}`,
            subject: terminalId,
          });
          if (action === 'reinstate') await ctx.laneTrustChanged(terminalId, req.log);
        }
        const notice = action === 'revoke' ? 'revoked' : done ? 'reinstated' : 'not-reinstated';
        return reply.redirect(`/dashboard/${storeId}?notice=${notice}`, 303);
      });
    }

    // A shopper's request to delete their palm pay data, by their ref or the phone they enrolled
    // with: the cloud's one deletion (tombstone now, crypto-shredding once payments settle).
    scope.post('/dashboard/:storeId/shoppers/delete', async (req, reply) => {
      const { storeId } = parse(storeParams, req.params);
      const session = await authorised(req, storeId);
      const target = await shopperByRefOrPhone(
        ctx.db,
        ctx.enrolment.shoppers.vault,
        storeId,
        formField(req, 'shopper').slice(0, 64),
      );
      const answer = await requestDeletion(ctx.db, ctx.enrolment, {
        storeId,
        target,
        via: 'dashboard',
        requestedBy: actorName(session.actor),
        now: ctx.now(),
      });
      const notice = answer.status === 'completed' ? 'shopper-deleted' : 'shopper-deletion-pending';
      return reply.redirect(`/dashboard/${storeId}?notice=${notice}`, 303);
    });

    scope.post('/dashboard/:storeId/provisioning-codes', async (req, reply) => {
      const { storeId } = parse(storeParams, req.params);
      const session = await authorised(req, storeId);
      const issuedBy = actorName(session.actor);
      const { code, expiresAt } = await issueCode(ctx.db, storeId, issuedBy);
      const store = await ctx.db.query<{ name: string }>('SELECT name FROM stores WHERE id = $1', [
        storeId,
      ]);
      const storeName = store.rows[0]?.name ?? storeId;
      return sendPage(reply, 200, codePage({ storeId, storeName, code, expiresAt, issuedBy }));
    });
  });
}
