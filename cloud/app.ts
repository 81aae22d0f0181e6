import fastifyCookie from '@fastify/cookie';
import fastifyRateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { AUTH_HEADERS } from '../common/sync/protocol';
import { bearerAdminAuth } from './admin-auth';
import {
  checkAuthHeaders,
  pruneNonces,
  verifySignedRequest,
  type AuthenticatedTerminal,
  type PendingTerminal,
} from './auth';
import type { Database } from './db/types';
import { HttpError } from './errors';
import { MAX_JSON_DEPTH, exceedsJsonDepth } from './json-body';
import { loggerOptions, type CloudLogOptions } from './logging';
import { enrolmentServices, type EnrolmentOptions } from './enrolment/services';
import { scheduleRetention } from './enrolment/retention';
import { paymentServices, type PaymentOptions } from './payments/services';
import { settleStoredCharges } from './payments/settle';
import type { ShardSource } from './pull';
import { adminRoutes } from './routes/admin';
import type { RouteContext } from './routes/context';
import { consoleRoutes } from './routes/console';
import { dashboardRoutes } from './routes/dashboard';
import { enrolmentRoutes } from './routes/enrolments';
import { kioskRoutes } from './routes/kiosks';
import { paymentRoutes } from './routes/payments';
import { walletRoutes } from './routes/wallet';
import { palmRefundRoutes } from './routes/palm-refunds';
import { eReceiptRoutes } from './routes/e-receipt';
import { loginRoutes } from './routes/login';
import { PROVISION_BYTES, provisioningRoutes } from './routes/provisioning';
import { pullRoutes } from './routes/pull';
import { pushRoutes } from './routes/push';
import { scannerKeyRoutes } from './routes/scanner-keys';
import { serverTimeHeader } from './routes/server-time';
import { shardRoutes } from './routes/shard';
import { staffRoutes } from './routes/staff';
import { terminalRoutes } from './routes/terminals';
import { pruneSessions } from './sessions';
import { approvedLanesOnly } from './shard-approval';
import { databaseShardSource } from './shard-feed';

export interface CloudAppOptions {
  readonly db: Database;
  /** The operator's token for the admin API (`Authorization: Bearer` only; never printed). */
  readonly adminToken: string;
  /**
   * Origins allowed by CORS: the terminal's page (http://127.0.0.1:PORT, app://terminal). None
   * by default; there is no wildcard.
   */
  readonly allowedOrigins: readonly string[];
  /**
   * The origin browsers see the cloud at, for the dashboard's Origin check behind a TLS proxy
   * (default: http:// and the request's Host).
   */
  readonly publicOrigin?: string;
  /** The template-shard feed; defaults to the parts published in this database. */
  readonly shard?: ShardSource;
  /** The request log (pino, redacted; logging.ts). On (stdout) unless false. */
  readonly logger?: CloudLogOptions | false;
  /**
   * Called after a lane registered its shard key, before the request is answered (the demo
   * cloud publishes the demo shard for it here). A failure is logged; the key stays registered.
   */
  readonly onShardKeyRegistered?: (terminal: AuthenticatedTerminal) => Promise<unknown>;
  /**
   * Called when a store's shard recipients changed (a lane approved, revoked or reinstated),
   * before the answer: the shard's publisher re-keys so a revoked lane's key opens nothing new.
   */
  readonly onShardRecipientsChanged?: (storeId: string) => Promise<unknown>;
  /** Clock for request timestamps (tests). */
  readonly now?: () => number;
  /** Palm payments: the processor, the master key's vault, the demo shoppers. */
  readonly payments?: PaymentOptions;
  /** Enrolment: the card setup and where shopper changes go (the store's shard publisher). */
  readonly enrolment?: EnrolmentOptions;
}

/** An origin as CORS compares it: scheme://host[:port] (or app://terminal), nothing more. */
export function checkAllowedOrigins(origins: readonly string[]): readonly string[] {
  for (const o of origins) {
    let ok = false;
    try {
      ok = new URL(o).origin === o || /^app:\/\/[a-z0-9-]+$/.test(o);
    } catch {
      ok = false;
    }
    if (!ok)
      throw new Error(
        `allowed origin “${o}” is not an origin like http://127.0.0.1:5174 or app://terminal (no wildcards)`,
      );
  }
  return origins;
}

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer;
    pendingTerminal?: PendingTerminal;
    terminal?: AuthenticatedTerminal;
  }
}

/**
 * The cloud's HTTP API (Fastify). Stateless: everything lives in the database, so any number of
 * instances can serve one PostgreSQL behind a load balancer.
 */
export async function buildCloudApp(options: CloudAppOptions): Promise<FastifyInstance> {
  const { db } = options;
  const now = options.now ?? Date.now;
  const shard = approvedLanesOnly(db, options.shard ?? databaseShardSource(db));
  const allowedOrigins = checkAllowedOrigins(options.allowedOrigins);
  const app = Fastify({
    logger: loggerOptions(options.logger ?? {}),
    bodyLimit: PROVISION_BYTES,
    trustProxy: false,
  });
  // Cookies for dashboard sessions; rate limits only where a route asks (attempt-limits.ts).
  await app.register(fastifyCookie);
  await app.register(fastifyRateLimit, { global: false });

  // Keep the exact bytes: the signature covers them, not a re-serialisation.
  // JSON only: any other media type is a 415 before anything else runs. Nesting is bounded
  // before parsing, so a pathological body is a 400, never a stack overflow later (a 500).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const buf = body as Buffer;
    req.rawBody = buf;
    if (buf.length === 0) return done(null, undefined);
    if (exceedsJsonDepth(buf)) {
      return done(
        new HttpError(400, 'BAD_JSON', `The body nests deeper than ${MAX_JSON_DEPTH} levels`),
        undefined,
      );
    }
    try {
      done(null, JSON.parse(buf.toString('utf8')) as unknown);
    } catch {
      done(new HttpError(400, 'BAD_JSON', 'The body is not valid JSON'), undefined);
    }
  });

  serverTimeHeader(app, now);
  app.addHook('onRequest', async (req, reply) => {
    // The terminal page is cross-origin isolated (COEP require-corp): it may only read responses
    // that opt in to being read cross-origin.
    reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
    const origin = req.headers.origin;
    if (origin && allowedOrigins.includes(origin)) {
      reply.header('Access-Control-Allow-Origin', origin);
      reply.header('Vary', 'Origin');
      if (req.method === 'OPTIONS') {
        reply.header('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE');
        reply.header(
          'Access-Control-Allow-Headers',
          ['content-type', 'authorization', ...Object.values(AUTH_HEADERS)].join(', '),
        );
        reply.header('Access-Control-Max-Age', '600');
        return reply.code(204).send();
      }
    } else if (req.method === 'OPTIONS') {
      return reply
        .code(403)
        .send({ error: 'ORIGIN_NOT_ALLOWED', message: 'This origin may not call the cloud' });
    }
    return undefined;
  });

  app.setErrorHandler((err: unknown, req, reply) => {
    if (err instanceof HttpError) return reply.code(err.status).send(err.body());
    const e = err as { statusCode?: number; code?: string; message?: string };
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      return reply
        .code(e.statusCode)
        .send({ error: e.code ?? 'BAD_REQUEST', message: e.message ?? 'Bad request' });
    }
    req.log.error(err);
    return reply.code(500).send({ error: 'INTERNAL', message: 'The cloud failed; try again' });
  });
  app.setNotFoundHandler((_req, reply) =>
    reply.code(404).send({ error: 'NOT_FOUND', message: 'No such endpoint' }),
  );

  // Signed routes are checked twice: the headers and the terminal before the body is read
  // (onRequest, so a stranger's megabytes are never read or parsed), the signature over the
  // body after (preHandler, since it covers the body).
  const terminalPreAuth = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    try {
      req.pendingTerminal = await checkAuthHeaders(db, req.headers, now());
    } catch (e) {
      // Close the connection after the refusal, so the unread body is not drained either.
      reply.header('Connection', 'close');
      throw e;
    }
  };
  const terminalAuth = async (req: FastifyRequest): Promise<void> => {
    const pending = req.pendingTerminal ?? (await checkAuthHeaders(db, req.headers, now()));
    req.terminal = await verifySignedRequest(
      db,
      pending,
      { method: req.method, url: req.url, body: req.rawBody ?? Buffer.alloc(0) },
      now(),
    );
  };
  // Every route that takes a terminal signature gets the pre-body check, whichever module
  // registers it: a route author cannot forget it.
  app.addHook('onRoute', (route) => {
    if (![route.preHandler].flat().includes(terminalAuth)) return;
    route.onRequest = [...[route.onRequest ?? []].flat(), terminalPreAuth];
  });
  const adminAuth = bearerAdminAuth(options.adminToken);

  app.get('/v1/health', async () => ({ ok: true, database: db.kind }));

  const recipientsChanged = options.onShardRecipientsChanged;
  const payments = paymentServices(options.payments);
  const ctx: RouteContext = {
    db,
    now,
    shard,
    payments,
    enrolment: enrolmentServices(payments.shoppers, options.enrolment),
    terminalAuth,
    adminAuth,
    ...(options.publicOrigin ? { publicOrigin: options.publicOrigin } : {}),
    ...(options.onShardKeyRegistered ? { onShardKeyRegistered: options.onShardKeyRegistered } : {}),
    async laneTrustChanged(terminalId, log) {
      if (!recipientsChanged) return;
      try {
        const r = await db.query<{ store_id: string }>(
          'SELECT store_id FROM terminals WHERE id = $1',
          [terminalId],
        );
        if (r.rows[0]) await recipientsChanged(r.rows[0].store_id);
      } catch (e) {
        log.error(e, 'after a change of shard recipients');
      }
    },
    adminApi: async (method, url) => {
      const res = await app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${options.adminToken}` },
      });
      return { status: res.statusCode, body: res.json<unknown>() };
    },
  };
  provisioningRoutes(app, ctx);
  pushRoutes(app, ctx);
  paymentRoutes(app, ctx);
  walletRoutes(app, ctx);
  palmRefundRoutes(app, ctx);
  enrolmentRoutes(app, ctx);
  pullRoutes(app, ctx);
  shardRoutes(app, ctx);
  scannerKeyRoutes(app, ctx);
  adminRoutes(app, ctx);
  staffRoutes(app, ctx);
  terminalRoutes(app, ctx);
  loginRoutes(app, ctx);
  dashboardRoutes(app, ctx);
  eReceiptRoutes(app, ctx);
  kioskRoutes(app, ctx);
  consoleRoutes(app, ctx);

  // Nonces older than the replay window are useless; prune them now and then.
  const pruner = setInterval(() => {
    void pruneNonces(db, now()).catch(() => undefined);
    void pruneSessions(db, now()).catch(() => undefined);
    void settleStoredCharges(db, ctx.payments, now()).catch((e: unknown) => {
      app.log.error(e, 'settling stored palm payments');
    });
  }, 60_000);
  pruner.unref();
  const stopRetention = scheduleRetention(db, ctx.enrolment, {
    now,
    log: (e) => app.log.error(e, 'retention run'),
  });
  app.addHook('onClose', async () => {
    clearInterval(pruner);
    stopRetention();
  });
  return app;
}
