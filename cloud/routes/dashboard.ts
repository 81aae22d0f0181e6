import type { FastifyInstance, FastifyReply } from 'fastify';
import { renderDashboard, storeOverview } from '../dashboard';
import { parse, storeParams, type RouteContext } from './context';

/** The store dashboard: a server-rendered page, no script. */
export function dashboardRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get(
    '/dashboard/:storeId',
    { preHandler: ctx.adminAuth },
    async (req, reply: FastifyReply) => {
      const { storeId } = parse(storeParams, req.params);
      const html = renderDashboard(await storeOverview(ctx.db, storeId), ctx.now());
      return reply
        .header('Content-Type', 'text/html; charset=utf-8')
        .header(
          'Content-Security-Policy',
          "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
        )
        .header('Cache-Control', 'no-store')
        .header('Referrer-Policy', 'no-referrer')
        .send(html);
    },
  );
}
