import type { FastifyInstance } from 'fastify';
import { scannerKeyRequestSchema } from '../../common/sync/protocol';
import { ATTEMPT_WINDOW_MS, failureLimiter } from '../attempt-limits';
import { HttpError } from '../errors';
import { approveScannerKey } from '../scanner-keys';
import { checkStaffCredential } from '../staff';
import { parse, type RouteContext } from './context';

/**
 * `POST /v1/scanner-keys` (signed by a lane): a manager approves a palm scanner's attestation
 * key with their own staff id and passcode, which the cloud checks. Five wrong passcodes from
 * one lane in 15 minutes, and that lane gets 429 until the window passes.
 */
export function scannerKeyRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const limiter = failureLimiter(app, {
    max: 5,
    windowMs: ATTEMPT_WINDOW_MS,
    what: 'passcodes from this lane',
    key: (req) => `lane:${req.terminal?.terminalId ?? req.ip}`,
  });
  app.post('/v1/scanner-keys', { preHandler: ctx.terminalAuth }, async (req, reply) => {
    const terminal = req.terminal!;
    await limiter.check(req, reply);
    const body = parse(scannerKeyRequestSchema, req.body);
    const manager = await checkStaffCredential(
      ctx.db,
      terminal.storeId,
      body.staffId,
      body.passcode,
    );
    if (!manager) {
      await limiter.fail(req);
      throw new HttpError(
        403,
        'STAFF_CREDENTIAL_INVALID',
        'The staff id or passcode is wrong, or that person is not a manager of this store',
      );
    }
    const { approval, created } = await approveScannerKey(ctx.db, terminal, body, manager);
    return reply.code(created ? 201 : 200).send(approval);
  });
}
