import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { storeOverview } from '../dashboard';
import { issueProvisioningCode } from '../provision';
import { changeCatalog, changeSettings, createStore } from '../stores';
import { parse, storeParams, type RouteContext } from './context';

const ADMIN_BYTES = 8 * 1024 * 1024;

/** The store-admin API (a store's back office; docs/cloud.md). */
export function adminRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db } = ctx;
  app.post('/v1/admin/stores', { preHandler: ctx.adminAuth }, async (req, reply) => {
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
    { preHandler: ctx.adminAuth },
    async (req, reply) => {
      const { storeId } = parse(storeParams, req.params);
      return reply.code(201).send({ code: await issueProvisioningCode(db, storeId) });
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

  app.get('/v1/admin/stores/:storeId/overview', { preHandler: ctx.adminAuth }, async (req) => {
    const { storeId } = parse(storeParams, req.params);
    return storeOverview(db, storeId);
  });
}
