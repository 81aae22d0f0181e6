import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from './errors';
import type { RouteContext } from './routes/context';
import {
  SESSION_COOKIE,
  SESSION_TTL_MS,
  csrfToken,
  sessionActor,
  type DashboardActor,
} from './sessions';

/**
 * What the dashboard's pages share: the form body parser (its scope only; the API stays
 * JSON-only), the session from its cookie, the checks every form POST passes (same origin, the
 * session's CSRF token) and the headers every page is sent with.
 */
export const FORM_BYTES = 4 * 1024;

/** HTML forms post application/x-www-form-urlencoded; one value per field. */
export function addFormParser(scope: FastifyInstance): void {
  scope.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_BYTES },
    (_req, body, done) => {
      const out: Record<string, string> = {};
      for (const [k, v] of new URLSearchParams(body as string)) out[k] = v;
      done(null, out);
    },
  );
}

export function formField(req: FastifyRequest, name: string): string {
  const body = (req.body ?? {}) as Record<string, unknown>;
  const v = body[name];
  return typeof v === 'string' ? v : '';
}

export interface Session {
  readonly id: string;
  readonly actor: DashboardActor;
  readonly csrf: string;
}

export async function sessionOf(req: FastifyRequest, ctx: RouteContext): Promise<Session | null> {
  const id = req.cookies[SESSION_COOKIE];
  if (!id) return null;
  const actor = await sessionActor(ctx.db, id, ctx.now());
  return actor ? { id, actor, csrf: csrfToken(id) } : null;
}

export function setSessionCookie(
  req: FastifyRequest,
  reply: FastifyReply,
  ctx: RouteContext,
  id: string,
): void {
  reply.setCookie(SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    maxAge: SESSION_TTL_MS / 1000,
    // Over HTTPS (directly, or behind a TLS proxy named by CLOUD_PUBLIC_ORIGIN) only over HTTPS.
    secure: req.protocol === 'https' || ctx.publicOrigin?.startsWith('https://') === true,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict' });
}

/**
 * A form POST must come from the dashboard's own pages: the Origin header equals this cloud's
 * origin (a page elsewhere cannot forge it). Browsers send Origin on every POST; none is refused.
 */
export function assertSameOrigin(req: FastifyRequest, ctx: RouteContext): void {
  const expected = ctx.publicOrigin ?? `${req.protocol}://${req.host}`;
  if (req.headers.origin !== expected)
    throw new HttpError(403, 'BAD_ORIGIN', 'This form was not sent from the dashboard');
}

/** …and carries the session's CSRF token (SameSite=Strict is the third layer). */
export function assertCsrf(req: FastifyRequest, session: Session): void {
  const sent = Buffer.from(formField(req, 'csrf'));
  const want = Buffer.from(session.csrf);
  if (sent.length !== want.length || !timingSafeEqual(sent, want))
    throw new HttpError(
      403,
      'BAD_CSRF',
      'This form has expired; reload the dashboard and try again',
    );
}

export const DASHBOARD_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'";

export function sendPage(reply: FastifyReply, status: number, html: string): FastifyReply {
  return (
    reply
      .code(status)
      .header('Content-Type', 'text/html; charset=utf-8')
      .header('Content-Security-Policy', DASHBOARD_CSP)
      .header('Cache-Control', 'no-store')
      // Not no-referrer: with it, browsers send `Origin: null` on the page's own form POSTs and the
      // Origin check could not tell them from a foreign page's. same-origin sends nothing elsewhere.
      .header('Referrer-Policy', 'same-origin')
      .header('X-Content-Type-Options', 'nosniff')
      .send(html)
  );
}
