import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { PASSCODE_PATTERN, PASSCODE_RULE, STAFF_ID_PATTERN, STAFF_ROLES } from '../../common/staff';
import { adminAudit } from '../admin-audit';
import { storeOverview } from '../dashboard';
import { notFound } from '../errors';
import { issueCode } from '../provision';
import { issueLoginLink } from '../sessions';
import { approveShardRecipient } from '../shard-approval';
import { changeCatalog, changeSettings, createStore } from '../stores';
import { parse, storeParams, type RouteContext } from './context';

const ADMIN_BYTES = 8 * 1024 * 1024;
/** Everything the admin API does is done by the cloud's operator (the token's holder). */
const OPERATOR = 'operator';

export const newStaffSchema = z.strictObject({
  id: z.string().regex(STAFF_ID_PATTERN, 'a staff id is 1–32 lower-case letters, digits, - or _'),
  name: z.string().min(1).max(100),
  role: z.enum(STAFF_ROLES),
  passcode: z.string().regex(PASSCODE_PATTERN, PASSCODE_RULE),
});

/** The store-admin API (a store's back office; docs/cloud.md). Bearer token only. */
export function adminRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db } = ctx;
  app.post('/v1/admin/stores', { preHandler: ctx.adminAuth }, async (req, reply) => {
    const body = parse(
      z.strictObject({
        id: z.string(),
        name: z.string().min(1).max(200),
        profileId: z.enum(['us', 'de', 'kr']),
        staff: z.array(newStaffSchema).max(50).default([]),
      }),
      req.body,
    );
    await createStore(db, body, OPERATOR);
    return reply.code(201).send({ id: body.id });
  });

  app.post(
    '/v1/admin/stores/:storeId/provisioning-codes',
    { preHandler: ctx.adminAuth },
    async (req, reply) => {
      const { storeId } = parse(storeParams, req.params);
      return reply.code(201).send(await issueCode(db, storeId, OPERATOR));
    },
  );

  app.put(
    '/v1/admin/stores/:storeId/catalog',
    { preHandler: ctx.adminAuth, bodyLimit: ADMIN_BYTES },
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

  app.put('/v1/admin/stores/:storeId/settings', { preHandler: ctx.adminAuth }, async (req) => {
    const { storeId } = parse(storeParams, req.params);
    const body = parse(
      z.strictObject({
        storeName: z.string().min(1).max(200).optional(),
        offline: z.unknown().optional(),
        matcher: z.unknown().optional(),
        location: z.unknown().optional(),
      }),
      req.body,
    );
    const { staff: _verifiers, ...settings } = await changeSettings(db, storeId, body);
    return settings;
  });

  app.get('/v1/admin/stores/:storeId/overview', { preHandler: ctx.adminAuth }, async (req) => {
    const { storeId } = parse(storeParams, req.params);
    return storeOverview(db, storeId);
  });

  app.get('/v1/admin/stores/:storeId/audit', { preHandler: ctx.adminAuth }, async (req) => {
    const { storeId } = parse(storeParams, req.params);
    return { events: await adminAudit(db, storeId) };
  });

  app.post(
    '/v1/admin/terminals/:terminalId/approve-shard',
    { preHandler: ctx.adminAuth },
    async (req) => {
      const { terminalId } = parse(
        z.strictObject({ terminalId: z.string().min(1).max(64) }),
        req.params,
      );
      const t = await db.query<{ store_id: string }>(
        'SELECT store_id FROM terminals WHERE id = $1',
        [terminalId],
      );
      const storeId = t.rows[0]?.store_id;
      if (!storeId) throw notFound(`Terminal ${terminalId}`);
      const outcome = await approveShardRecipient(db, storeId, terminalId, OPERATOR);
      if (outcome === 'approved') await ctx.laneTrustChanged(terminalId, req.log);
      return { outcome };
    },
  );

  // A fresh one-time dashboard login link for the operator (the one printed at start expires).
  app.post('/v1/admin/login-links', { preHandler: ctx.adminAuth }, async (req, reply) => {
    const body = parse(
      z.strictObject({ storeId: storeParams.shape.storeId.optional() }).default({}),
      req.body ?? {},
    );
    const link = await issueLoginLink(db, body.storeId ?? null, undefined, ctx.now());
    return reply.code(201).send({
      path: `/dashboard/link/${link.token}`,
      expiresAt: link.expiresAt.toISOString(),
    });
  });
}
