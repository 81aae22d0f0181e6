import type { FastifyInstance } from 'fastify';
import { ATTEMPT_WINDOW_MS, failureLimiter } from '../attempt-limits';
import { linkPage, loginPage, messagePage, storeListPage } from '../dashboard-pages';
import {
  addFormParser,
  assertCsrf,
  assertSameOrigin,
  clearSessionCookie,
  formField,
  sendPage,
  sessionOf,
  setSessionCookie,
} from '../dashboard-web';
import { HttpError } from '../errors';
import { consumeLoginLink, createSession, endSession } from '../sessions';
import { checkStaffCredential } from '../staff';
import type { RouteContext } from './context';

/**
 * Logging in to the store dashboard: a manager with their staff id and passcode (a form POST,
 * rate-limited per address), or the operator with a one-time login link. Either gives a session
 * cookie; nothing secret is ever in a URL but the link's own single-use token.
 */
export function loginRoutes(app: FastifyInstance, ctx: RouteContext): void {
  void app.register(async (scope) => {
    addFormParser(scope);
    scope.setErrorHandler((err, req, reply) => {
      if (err instanceof HttpError)
        return sendPage(reply, err.status, messagePage('Not done', err.message));
      req.log.error(err);
      return sendPage(reply, 500, messagePage('Not done', 'The cloud failed; try again'));
    });
    // Wrong passcodes and spent or guessed links share one budget per address.
    const limiter = failureLimiter(scope, {
      max: 10,
      windowMs: ATTEMPT_WINDOW_MS,
      what: 'passcodes or login links from this address',
    });

    scope.get('/dashboard', async (req, reply) => {
      const session = await sessionOf(req, ctx);
      if (!session) return sendPage(reply, 200, loginPage());
      if (session.actor.kind === 'manager')
        return reply.redirect(`/dashboard/${session.actor.storeId}`, 303);
      const stores = await ctx.db.query<{ id: string; name: string }>(
        'SELECT id, name FROM stores ORDER BY id',
      );
      return sendPage(reply, 200, storeListPage(stores.rows, session.actor, session.csrf));
    });

    scope.get('/dashboard/login', async (_req, reply) => sendPage(reply, 200, loginPage()));

    scope.post('/dashboard/login', async (req, reply) => {
      assertSameOrigin(req, ctx);
      await limiter.check(req, reply);
      const storeId = formField(req, 'storeId').trim();
      const staffId = formField(req, 'staffId').trim();
      const manager = await checkStaffCredential(
        ctx.db,
        storeId,
        staffId,
        formField(req, 'passcode'),
      );
      if (!manager) {
        await limiter.fail(req);
        return sendPage(
          reply,
          401,
          loginPage({
            storeId,
            message:
              'The staff id or passcode is wrong, or that person is not a manager of this store.',
          }),
        );
      }
      const s = await createSession(
        ctx.db,
        { kind: 'manager', storeId, staffId: manager.id, name: manager.name },
        ctx.now(),
      );
      setSessionCookie(req, reply, ctx, s.id);
      return reply.redirect(`/dashboard/${encodeURIComponent(storeId)}`, 303);
    });

    // The link itself only shows a button: a link preview or prefetch must not spend it.
    scope.get('/dashboard/link/:token', async (req, reply) => {
      const { token } = req.params as { token: string };
      return sendPage(reply, 200, linkPage(token));
    });

    scope.post('/dashboard/link', async (req, reply) => {
      assertSameOrigin(req, ctx);
      await limiter.check(req, reply);
      const link = await consumeLoginLink(ctx.db, formField(req, 'token'), ctx.now());
      if (!link) {
        await limiter.fail(req);
        return sendPage(
          reply,
          401,
          messagePage(
            'Login link not valid',
            'This login link was already used, has expired (10 minutes) or was never issued. Ask the operator for a new one.',
          ),
        );
      }
      const s = await createSession(ctx.db, { kind: 'operator' }, ctx.now());
      setSessionCookie(req, reply, ctx, s.id);
      return reply.redirect(link.storeId ? `/dashboard/${link.storeId}` : '/dashboard', 303);
    });

    scope.post('/dashboard/logout', async (req, reply) => {
      assertSameOrigin(req, ctx);
      const session = await sessionOf(req, ctx);
      if (session) {
        assertCsrf(req, session);
        await endSession(ctx.db, session.id);
      }
      clearSessionCookie(reply);
      return reply.redirect('/dashboard', 303);
    });
  });
}
