import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { AUTH_HEADERS } from '../common/sync/protocol';
import { authenticate, pruneNonces, type AuthenticatedTerminal } from './auth';
import type { Database } from './db/types';
import { HttpError } from './errors';
import type { ShardSource } from './pull';
import { adminRoutes } from './routes/admin';
import type { RouteContext } from './routes/context';
import { dashboardRoutes } from './routes/dashboard';
import { PROVISION_BYTES, provisioningRoutes } from './routes/provisioning';
import { pullRoutes } from './routes/pull';
import { pushRoutes } from './routes/push';
import { serverTimeHeader } from './routes/server-time';
import { shardRoutes } from './routes/shard';
import { terminalRoutes } from './routes/terminals';
import { databaseShardSource } from './shard-feed';

export interface CloudAppOptions {
  readonly db: Database;
  /** Bearer token for the store-admin API and the dashboard. */
  readonly adminToken: string;
  /** Origins allowed by CORS: the terminal's page (http://127.0.0.1:PORT, app://terminal). '*' allows any. */
  readonly allowedOrigins: readonly string[];
  /** The template-shard feed; defaults to the parts published in this database. */
  readonly shard?: ShardSource;
  readonly logger?: boolean;
  /**
   * Called after a lane registered its shard key, before the request is answered (the demo
   * cloud publishes the demo shard for it here). A failure is logged; the key stays registered.
   */
  readonly onShardKeyRegistered?: (terminal: AuthenticatedTerminal) => Promise<unknown>;
  /** Clock for request timestamps (tests). */
  readonly now?: () => number;
}

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: Buffer;
    terminal?: AuthenticatedTerminal;
  }
}

const sha = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * The cloud's HTTP API (Fastify). Stateless: everything lives in the database, so any number of
 * instances can serve one PostgreSQL behind a load balancer.
 */
export async function buildCloudApp(options: CloudAppOptions): Promise<FastifyInstance> {
  const { db } = options;
  const now = options.now ?? Date.now;
  const shard = options.shard ?? databaseShardSource(db);
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: PROVISION_BYTES,
    trustProxy: false,
  });

  // Keep the exact bytes: the signature covers them, not a re-serialisation.
  // JSON only: any other media type is a 415 before anything else runs.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    const buf = body as Buffer;
    req.rawBody = buf;
    if (buf.length === 0) return done(null, undefined);
    try {
      done(null, JSON.parse(buf.toString('utf8')) as unknown);
    } catch {
      done(new HttpError(400, 'BAD_JSON', 'The body is not valid JSON'), undefined);
    }
  });

  serverTimeHeader(app, now);
  const allowAny = options.allowedOrigins.includes('*');
  app.addHook('onRequest', async (req, reply) => {
    // The terminal page is cross-origin isolated (COEP require-corp): it may only read responses
    // that opt in to being read cross-origin.
    reply.header('Cross-Origin-Resource-Policy', 'cross-origin');
    const origin = req.headers.origin;
    if (origin && (allowAny || options.allowedOrigins.includes(origin))) {
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

  const terminalAuth = async (req: FastifyRequest): Promise<void> => {
    req.terminal = await authenticate(
      db,
      {
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: req.rawBody ?? Buffer.alloc(0),
      },
      now(),
    );
  };
  const expectedAdmin = sha(options.adminToken);
  const adminAuth = async (req: FastifyRequest): Promise<void> => {
    const q = req.query as { token?: unknown };
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ')
      ? header.slice(7)
      : typeof q.token === 'string'
        ? q.token
        : '';
    if (!token || !timingSafeEqual(sha(token), expectedAdmin)) {
      throw new HttpError(401, 'ADMIN_AUTH', 'A valid admin token is required');
    }
  };

  app.get('/v1/health', async () => ({ ok: true, database: db.kind }));

  const ctx: RouteContext = {
    db,
    now,
    shard,
    terminalAuth,
    adminAuth,
    ...(options.onShardKeyRegistered ? { onShardKeyRegistered: options.onShardKeyRegistered } : {}),
  };
  provisioningRoutes(app, ctx);
  pushRoutes(app, ctx);
  pullRoutes(app, ctx);
  shardRoutes(app, ctx);
  adminRoutes(app, ctx);
  terminalRoutes(app, ctx);
  dashboardRoutes(app, ctx);

  // Nonces older than the replay window are useless; prune them now and then.
  const pruner = setInterval(() => void pruneNonces(db, now()).catch(() => undefined), 60_000);
  pruner.unref();
  app.addHook('onClose', async () => clearInterval(pruner));
  return app;
}
