import type { FastifyInstance, FastifyReply } from 'fastify';
import { E_RECEIPT_TOKEN } from '../../common/e-receipt';
import type { Sale } from '../../common/sale';
import { eReceiptNotFoundPage, eReceiptPage } from '../e-receipt-page';
import type { RouteContext } from './context';

/** No script, no framing, no referrer (the token must not leak to a link's target), no caching. */
const E_RECEIPT_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

function send(reply: FastifyReply, status: number, html: string): FastifyReply {
  return reply
    .code(status)
    .header('Content-Type', 'text/html; charset=utf-8')
    .header('Content-Security-Policy', E_RECEIPT_CSP)
    .header('Cache-Control', 'no-store')
    .header('Referrer-Policy', 'no-referrer')
    .header('X-Robots-Tag', 'noindex')
    .header('X-Content-Type-Options', 'nosniff')
    .send(html);
}

/**
 * GET /r/:token — the e-receipt behind the printed QR code. The token (common/e-receipt.ts) is
 * 128 bits derived from the sale's random id, so holding it is the permission: no login, and
 * nothing reachable by counting receipt numbers. A malformed and an unknown token get the same
 * 404; each address may look up 30 receipts a minute, so nobody scrapes even the space of
 * well-formed tokens. The page shows what the paper showed and no personal data.
 */
export function eReceiptRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.get<{ Params: { token: string } }>(
    '/r/:token',
    { config: { rateLimit: { max: 30, timeWindow: 60_000 } } },
    async (req, reply) => {
      const token = req.params.token;
      if (!E_RECEIPT_TOKEN.test(token)) return send(reply, 404, eReceiptNotFoundPage());
      const r = await ctx.db.query<{ body: Sale; voided_at: unknown; name: string }>(
        `SELECT s.body, s.voided_at, st.name FROM sales s JOIN stores st ON st.id = s.store_id
          WHERE e_receipt_token(s.store_id, s.id) = $1`,
        [token],
      );
      const row = r.rows[0];
      if (!row) return send(reply, 404, eReceiptNotFoundPage());
      return send(reply, 200, eReceiptPage(row.body, row.name, row.voided_at !== null));
    },
  );
}
