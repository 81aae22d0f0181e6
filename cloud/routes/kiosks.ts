import type { FastifyInstance } from 'fastify';
import { kioskStatusRequest, type KioskStatusResponse } from '../../common/kiosk/wire';
import { recordKioskStatus } from '../kiosks';
import { parse, type RouteContext } from './context';

/**
 * A kiosk's live status, signed like every lane request: the store is the one the signature
 * belongs to, so a kiosk can only ever report (and hear decisions) as itself.
 */
export function kioskRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post(
    '/v1/kiosk/status',
    { preHandler: ctx.terminalAuth, bodyLimit: 64 * 1024 },
    async (req): Promise<KioskStatusResponse> => {
      const status = parse(kioskStatusRequest, req.body);
      const decisions = await recordKioskStatus(ctx.db, req.terminal!, status, ctx.now());
      return { decisions };
    },
  );
}
