import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { notFound } from '../errors';
import { parse, type RouteContext } from './context';

const terminalParams = z.strictObject({ terminalId: z.string().min(1).max(64) });

/**
 * A store's lanes as the back office manages them: revoking one (its signed requests get 403
 * TERMINAL_REVOKED from then on) and reinstating it (a lane stopped on that 403 checks again on
 * its own every few minutes, so it resumes without anyone touching it).
 */
export function terminalRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/v1/admin/terminals/:terminalId/revoke', { preHandler: ctx.adminAuth }, async (req) => {
    const { terminalId } = parse(terminalParams, req.params);
    const r = await ctx.db.query(
      'UPDATE terminals SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL',
      [terminalId],
    );
    if (r.affected === 1) await ctx.laneTrustChanged(terminalId, req.log);
    return { revoked: r.affected === 1 };
  });

  app.post(
    '/v1/admin/terminals/:terminalId/reinstate',
    { preHandler: ctx.adminAuth },
    async (req) => {
      const { terminalId } = parse(terminalParams, req.params);
      const r = await ctx.db.query<{ was_revoked: boolean }>(
        `WITH old AS (SELECT id, revoked_at FROM terminals WHERE id = $1 FOR UPDATE)
         UPDATE terminals t SET revoked_at = NULL FROM old WHERE t.id = old.id
         RETURNING old.revoked_at IS NOT NULL AS was_revoked`,
        [terminalId],
      );
      const row = r.rows[0];
      if (!row) throw notFound(`Terminal ${terminalId}`);
      // A reinstated lane is a shard recipient again (if it was approved): re-key for it.
      if (row.was_revoked) await ctx.laneTrustChanged(terminalId, req.log);
      return { reinstated: row.was_revoked };
    },
  );
}
