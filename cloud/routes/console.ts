import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { recordAdminAudit } from '../admin-audit';
import { ATTEMPT_WINDOW_MS, failureLimiter } from '../attempt-limits';
import {
  CONSOLE_CSP,
  CONSOLE_SCRIPT,
  consoleLoginPage,
  consolePage,
  kioskCards,
} from '../console-page';
import {
  CONSOLE_COOKIE,
  consoleActor,
  consoleActorName,
  createConsoleSession,
  mayAttend,
  type ConsoleActor,
} from '../console-sessions';
import { addFormParser, assertSameOrigin, formField } from '../dashboard-web';
import { HttpError } from '../errors';
import { decideIntervention, storeKiosks } from '../kiosks';
import { csrfToken, endSession, SESSION_TTL_MS } from '../sessions';
import { checkStaffCredential } from '../staff';
import { parse, storeParams, type RouteContext } from './context';

const decisionParams = z.strictObject({
  storeId: storeParams.shape.storeId,
  terminalId: z.string().min(1).max(64),
  interventionId: z.string().regex(/^[A-Za-z0-9_.:-]{1,120}$/),
});

const NOTICES: Record<string, string> = {
  recorded: 'Sent to the kiosk: it applies the decision on its next report (about a second).',
  'already-decided': 'That intervention was already decided.',
  'not-pending': 'That intervention is no longer pending at the kiosk.',
};

function send(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .code(status)
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Content-Security-Policy', CONSOLE_CSP)
    .header('Cache-Control', 'no-store')
    .header('Referrer-Policy', 'same-origin')
    .header('X-Content-Type-Options', 'nosniff')
    .send(html);
}

function checkCsrf(req: FastifyRequest, session: { csrf: string }): void {
  const sent = Buffer.from(formField(req, 'csrf'));
  const want = Buffer.from(session.csrf);
  if (sent.length !== want.length || !timingSafeEqual(sent, want))
    throw new HttpError(403, 'BAD_CSRF', 'This form has expired; reload the console');
}

interface ConsoleSession {
  readonly id: string;
  readonly actor: ConsoleActor;
  readonly csrf: string;
}

/**
 * The attendant console, served by the store cloud: it is where the kiosks' reports already
 * arrive, it reaches every kiosk of the store (any instance, one database), and an attendant on
 * the floor opens it on a phone or tablet with no lane software. Attendants and managers log in
 * with their own staff id and passcode (rate-limited per address); every POST passes the Origin
 * check and the session's CSRF token, and names the person in the audit.
 */
export function consoleRoutes(app: FastifyInstance, ctx: RouteContext): void {
  void app.register(async (scope) => {
    addFormParser(scope);
    scope.setErrorHandler((err, req, reply) => {
      if (err instanceof HttpError)
        return send(reply, err.status, consoleLoginPage({ message: err.message }));
      req.log.error(err);
      return send(reply, 500, consoleLoginPage({ message: 'The cloud failed; try again' }));
    });
    const limiter = failureLimiter(scope, {
      max: 10,
      windowMs: ATTEMPT_WINDOW_MS,
      what: 'console passcodes from this address',
    });

    async function sessionOf(req: FastifyRequest): Promise<ConsoleSession | null> {
      const id = req.cookies[CONSOLE_COOKIE];
      if (!id) return null;
      const actor = await consoleActor(ctx.db, id, ctx.now());
      return actor ? { id, actor, csrf: csrfToken(id) } : null;
    }

    async function viewer(req: FastifyRequest, storeId: string): Promise<ConsoleSession> {
      const session = await sessionOf(req);
      if (!session) throw new HttpError(401, 'LOGIN_REQUIRED', 'Log in to the console first');
      if (!mayAttend(session.actor, storeId))
        throw new HttpError(403, 'NOT_YOUR_STORE', `You cannot attend ${storeId}`);
      return session;
    }

    scope.get('/console/console.js', async (_req, reply) =>
      reply
        .header('Content-Type', 'text/javascript; charset=utf-8')
        .header('Cache-Control', 'no-cache')
        .header('X-Content-Type-Options', 'nosniff')
        .send(CONSOLE_SCRIPT),
    );

    scope.get('/console', async (req, reply) => {
      const session = await sessionOf(req);
      if (session?.actor.kind === 'staff')
        return reply.redirect(`/console/${session.actor.storeId}`, 303);
      return send(reply, 200, consoleLoginPage());
    });

    scope.post('/console/login', async (req, reply) => {
      assertSameOrigin(req, ctx);
      await limiter.check(req, reply);
      const storeId = formField(req, 'storeId').trim();
      const staffId = formField(req, 'staffId').trim();
      const passcode = formField(req, 'passcode');
      const person =
        (await checkStaffCredential(ctx.db, storeId, staffId, passcode, 'attendant')) ??
        (await checkStaffCredential(ctx.db, storeId, staffId, passcode, 'manager'));
      if (!person) {
        await limiter.fail(req);
        return send(
          reply,
          401,
          consoleLoginPage({
            storeId,
            message:
              'The staff id or passcode is wrong, or that person does not work at this store.',
          }),
        );
      }
      const id = randomBytes(32).toString('base64url');
      await createConsoleSession(
        ctx.db,
        { storeId, staffId: person.id, name: person.name },
        id,
        new Date(ctx.now() + SESSION_TTL_MS),
      );
      reply.setCookie(CONSOLE_COOKIE, id, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/console',
        maxAge: SESSION_TTL_MS / 1000,
        secure: req.protocol === 'https' || ctx.publicOrigin?.startsWith('https://') === true,
      });
      return reply.redirect(`/console/${encodeURIComponent(storeId)}`, 303);
    });

    scope.post('/console/logout', async (req, reply) => {
      assertSameOrigin(req, ctx);
      const session = await sessionOf(req);
      if (session) {
        checkCsrf(req, session);
        await endSession(ctx.db, session.id);
      }
      reply.clearCookie(CONSOLE_COOKIE, { path: '/console', httpOnly: true, sameSite: 'strict' });
      return reply.redirect('/console', 303);
    });

    scope.get('/console/:storeId', async (req, reply) => {
      const { storeId } = parse(storeParams, req.params);
      const session = await sessionOf(req);
      if (!session) return send(reply, 401, consoleLoginPage({ storeId }));
      if (!mayAttend(session.actor, storeId))
        return send(reply, 403, consoleLoginPage({ message: `You cannot attend ${storeId}.` }));
      const store = await ctx.db.query<{ name: string }>('SELECT name FROM stores WHERE id = $1', [
        storeId,
      ]);
      const notice = NOTICES[String((req.query as { notice?: unknown }).notice)] ?? null;
      return send(
        reply,
        200,
        consolePage(
          {
            storeId,
            storeName: store.rows[0]?.name ?? storeId,
            who: consoleActorName(session.actor),
            csrf: session.csrf,
            kiosks: await storeKiosks(ctx.db, storeId, ctx.now()),
            notice,
          },
          ctx.now(),
        ),
      );
    });

    // Server-sent events: the store's kiosks whenever they change (and whenever one goes
    // offline). Read from the database each second, so it works across cloud instances.
    scope.get('/console/:storeId/events', async (req, reply) => {
      const { storeId } = parse(storeParams, req.params);
      const session = await viewer(req, storeId);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Content-Type-Options': 'nosniff',
      });
      let last = '';
      let ticks = 0;
      let stopped = false;
      const stop = () => {
        stopped = true;
        clearInterval(timer);
      };
      const tick = async () => {
        if (stopped) return;
        ticks += 1;
        try {
          // The session is checked again now and then: a logout or a disabled person stops it.
          if (ticks % 15 === 0 && !(await consoleActor(ctx.db, session.id, ctx.now()))) {
            res.end();
            return stop();
          }
          const kiosks = await storeKiosks(ctx.db, storeId, ctx.now());
          const html = kioskCards(kiosks, storeId, session.csrf, ctx.now());
          const key = JSON.stringify(kiosks);
          if (key !== last) {
            last = key;
            res.write(`event: kiosks\ndata: ${JSON.stringify(html)}\n\n`);
          } else if (ticks % 15 === 0) res.write(': keep-alive\n\n');
        } catch (e) {
          req.log.error(e, 'console events');
        }
      };
      const timer = setInterval(() => void tick(), 1_000);
      req.raw.on('close', stop);
      void tick();
    });

    scope.post(
      '/console/:storeId/kiosks/:terminalId/interventions/:interventionId',
      async (req, reply) => {
        const { storeId, terminalId, interventionId } = parse(decisionParams, req.params);
        assertSameOrigin(req, ctx);
        const session = await viewer(req, storeId);
        checkCsrf(req, session);
        const decision = formField(req, 'decision');
        if (decision !== 'approve' && decision !== 'deny')
          throw new HttpError(400, 'BAD_DECISION', 'A decision is approve or deny');
        const a = session.actor;
        const by =
          a.kind === 'operator'
            ? { id: 'operator', name: 'Operator', role: 'manager' }
            : { id: a.staffId, name: a.name, role: a.role };
        const outcome = await decideIntervention(
          ctx.db,
          { storeId, terminalId, interventionId, decision, by },
          ctx.now(),
        );
        if (outcome === 'no-such-kiosk')
          throw new HttpError(404, 'NOT_FOUND', 'No such kiosk in this store');
        if (outcome === 'recorded')
          await recordAdminAudit(ctx.db, {
            storeId,
            actor: consoleActorName(a),
            action: `kiosk.intervention.${decision === 'approve' ? 'approved' : 'denied'}`,
            subject: `${terminalId} ${interventionId}`,
          });
        return reply.redirect(`/console/${storeId}?notice=${outcome}`, 303);
      },
    );
  });
}
