import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { HttpError } from './errors';

const sha = (s: string): Buffer => createHash('sha256').update(s).digest();

/**
 * The admin API's guard: the operator's token in `Authorization: Bearer …` and nowhere else. A
 * token in the query string is refused by name (URLs end up in logs, histories and Referers).
 */
export function bearerAdminAuth(adminToken: string): (req: FastifyRequest) => Promise<void> {
  const expected = sha(adminToken);
  return async (req) => {
    const q = req.query as Record<string, unknown> | undefined;
    if (q && typeof q === 'object' && 'token' in q)
      throw new HttpError(
        401,
        'ADMIN_TOKEN_IN_URL',
        'The admin token goes in an Authorization: Bearer header, never in a URL',
      );
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : '';
    if (!token || !timingSafeEqual(sha(token), expected))
      throw new HttpError(401, 'ADMIN_AUTH', 'A valid admin token is required (Bearer)');
  };
}
