import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { STAFF_ID_PATTERN } from '../../common/staff';
import { listScannerKeys, revokeScannerKey } from '../scanner-keys';
import { createStaff, disableStaff, listStaff } from '../staff';
import { newStaffSchema } from './admin';
import { parse, storeParams, type RouteContext } from './context';

const staffParams = z.strictObject({
  storeId: storeParams.shape.storeId,
  staffId: z.string().regex(STAFF_ID_PATTERN),
});

/**
 * The admin API for a store's people and its approved palm-scanner keys: create and disable
 * staff (their verifiers reach the lanes in the store settings), list and revoke scanner keys.
 */
export function staffRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { db } = ctx;
  const auth = { preHandler: ctx.adminAuth };

  app.get('/v1/admin/stores/:storeId/staff', auth, async (req) => {
    const { storeId } = parse(storeParams, req.params);
    return { staff: await listStaff(db, storeId) };
  });

  app.post('/v1/admin/stores/:storeId/staff', auth, async (req, reply) => {
    const { storeId } = parse(storeParams, req.params);
    const body = parse(newStaffSchema, req.body);
    await createStaff(db, storeId, body, 'operator');
    return reply.code(201).send({ id: body.id, name: body.name, role: body.role });
  });

  app.post('/v1/admin/stores/:storeId/staff/:staffId/disable', auth, async (req) => {
    const { storeId, staffId } = parse(staffParams, req.params);
    return { disabled: await disableStaff(db, storeId, staffId, 'operator') };
  });

  app.get('/v1/admin/stores/:storeId/scanner-keys', auth, async (req) => {
    const { storeId } = parse(storeParams, req.params);
    return { scannerKeys: await listScannerKeys(db, storeId) };
  });

  app.post('/v1/admin/stores/:storeId/scanner-keys/:serial/revoke', auth, async (req) => {
    const { storeId, serial } = parse(
      z.strictObject({
        storeId: storeParams.shape.storeId,
        serial: z.string().regex(/^[\x20-\x7e]{1,16}$/),
      }),
      req.params,
    );
    return { revoked: await revokeScannerKey(db, storeId, serial, 'operator') };
  });
}
