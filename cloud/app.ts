import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  AUTH_HEADERS,
  MAX_PUSH_BYTES,
  describeZodError,
  provisionRequestSchema,
  pushRequestSchema,
  shardKeyRequestSchema,
} from '../common/sync/protocol';
import { authenticate, pruneNonces, type AuthenticatedTerminal } from './auth';
import { renderDashboard, storeOverview } from './dashboard';
import type { Database } from './db/types';
import { HttpError, badRequest } from './errors';
import { issueProvisioningCode, provisionTerminal } from './provision';
import { MAX_PULL_LIMIT, parseCursor, pullChanges, type ShardSource } from './pull';
import { applyPush } from './push';
import { databaseShardSource, registerShardKey, shardChunk } from './shard-feed';
import { changeCatalog, changeSettings, createStore } from './stores';

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

const PROVISION_BYTES = 16 * 1024;
const ADMIN_BYTES = 8 * 1024 * 1024;

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw badRequest(describeZodError(r.error));
  return r.data;
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

  app.post('/v1/provision', { bodyLimit: PROVISION_BYTES }, async (req, reply) => {
    const body = parse(provisionRequestSchema, req.body);
    return reply.code(201).send(await provisionTerminal(db, body));
  });

  app.post('/v1/push', { bodyLimit: MAX_PUSH_BYTES, preHandler: terminalAuth }, async (req) => {
    const body = parse(pushRequestSchema, req.body);
    return applyPush(db, req.terminal!, body);
  });

  app.get('/v1/pull', { preHandler: terminalAuth }, async (req) => {
    const q = req.query as { cursor?: unknown; limit?: unknown };
    const limit = q.limit === undefined ? 500 : Number(q.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PULL_LIMIT) {
      throw badRequest(`limit must be 1–${MAX_PULL_LIMIT}`);
    }
    return pullChanges(db, req.terminal!, parseCursor(q.cursor), limit, shard);
  });

  // The template shard: a lane registers its ECDH key (the shard key is wrapped for it), then
  // fetches the chunk ciphertexts its pulled manifests list.
  app.post('/v1/shard-key', { preHandler: terminalAuth }, async (req, reply) => {
    const body = parse(shardKeyRequestSchema, req.body);
    await registerShardKey(db, req.terminal!.terminalId, body.publicKey);
    await options.onShardKeyRegistered?.(req.terminal!).catch((e: unknown) => {
      req.log.error(e, 'after shard key registration');
    });
    return reply.code(204).send();
  });
  app.get('/v1/shard/:version/chunks/:index', { preHandler: terminalAuth }, async (req, reply) => {
    const p = parse(
      z.strictObject({
        version: z.coerce.number().int().min(1),
        index: z.coerce.number().int().min(0),
      }),
      req.params,
    );
    const bytes = await shardChunk(db, req.terminal!.storeId, p.version, p.index);
    return reply
      .header('Content-Type', 'application/octet-stream')
      .header('Cache-Control', 'private, max-age=31536000, immutable')
      .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });

  app.get('/v1/whoami', { preHandler: terminalAuth }, async (req) => req.terminal);

  // Store admin API (a store's back office; one admin token here, see docs/cloud.md).
  const storeParams = z.strictObject({ storeId: z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/) });
  app.post('/v1/admin/stores', { preHandler: adminAuth }, async (req, reply) => {
    const body = parse(
      z.strictObject({
        id: z.string(),
        name: z.string().min(1).max(200),
        profileId: z.enum(['us', 'de', 'kr']),
        managerPin: z.string().regex(/^\d{4,8}$/),
      }),
      req.body,
    );
    await createStore(db, body);
    return reply.code(201).send({ id: body.id });
  });
  app.post(
    '/v1/admin/stores/:storeId/provisioning-codes',
    { preHandler: adminAuth },
    async (req, reply) => {
      const { storeId } = parse(storeParams, req.params);
      return reply.code(201).send({ code: await issueProvisioningCode(db, storeId) });
    },
  );
  app.put(
    '/v1/admin/stores/:storeId/catalog',
    { preHandler: adminAuth, bodyLimit: ADMIN_BYTES },
    async (req) => {
      const { storeId } = parse(storeParams, req.params);
      const body = parse(
        z.strictObject({
          upserts: z.array(z.unknown()).max(50_000).default([]),
          deletes: z.array(z.string().min(1).max(128)).max(50_000).default([]),
        }),
        req.body,
      );
      return { version: await changeCatalog(db, storeId, body) };
    },
  );
  app.put('/v1/admin/stores/:storeId/settings', { preHandler: adminAuth }, async (req) => {
    const { storeId } = parse(storeParams, req.params);
    const body = parse(
      z.strictObject({
        storeName: z.string().min(1).max(200).optional(),
        offline: z.unknown().optional(),
        matcher: z.unknown().optional(),
        managerPin: z
          .string()
          .regex(/^\d{4,8}$/)
          .optional(),
      }),
      req.body,
    );
    const settings = await changeSettings(db, storeId, body);
    return { ...settings, managerPin: undefined };
  });
  app.post('/v1/admin/terminals/:terminalId/revoke', { preHandler: adminAuth }, async (req) => {
    const { terminalId } = parse(
      z.strictObject({ terminalId: z.string().min(1).max(64) }),
      req.params,
    );
    const r = await db.query(
      'UPDATE terminals SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL',
      [terminalId],
    );
    return { revoked: r.affected === 1 };
  });
  app.get('/v1/admin/stores/:storeId/overview', { preHandler: adminAuth }, async (req) => {
    const { storeId } = parse(storeParams, req.params);
    return storeOverview(db, storeId);
  });

  app.get('/dashboard/:storeId', { preHandler: adminAuth }, async (req, reply: FastifyReply) => {
    const { storeId } = parse(storeParams, req.params);
    const html = renderDashboard(await storeOverview(db, storeId), now());
    return reply
      .header('Content-Type', 'text/html; charset=utf-8')
      .header(
        'Content-Security-Policy',
        "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
      )
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', 'no-referrer')
      .send(html);
  });

  // Nonces older than the replay window are useless; prune them now and then.
  const pruner = setInterval(() => void pruneNonces(db, now()).catch(() => undefined), 60_000);
  pruner.unref();
  app.addHook('onClose', async () => clearInterval(pruner));
  return app;
}
