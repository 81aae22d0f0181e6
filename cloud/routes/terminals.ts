import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { parse, type RouteContext } from './context';

/** A store's lanes as the back office manages them: revoking one. */
export function terminalRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/v1/admin/terminals/:terminalId/revoke', { preHandler: ctx.adminAuth }, async (req) => {
    const { terminalId } = parse(
      z.strictObject({ terminalId: z.string().min(1).max(64) }),
      req.params,
    );
    const r = await ctx.db.query(
      'UPDATE terminals SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL',
      [terminalId],
    );
    if (r.affected === 1) await ctx.laneTrustChanged(terminalId, req.log);
    return { revoked: r.affected === 1 };
  });
}
