import type { FastifyInstance } from 'fastify';
import { provisionRequestSchema } from '../../common/sync/protocol';
import { ATTEMPT_WINDOW_MS, failureLimiter } from '../attempt-limits';
import { HttpError } from '../errors';
import { SpentCodeError, provisionTerminal } from '../provision';
import { parse, type RouteContext } from './context';

export const PROVISION_BYTES = 16 * 1024;

/**
 * `POST /v1/provision`: a lane trades a one-time code for a terminal identity. Ten unknown codes
 * from one address in 15 minutes, and that address gets 429 until the window passes.
 */
export function provisioningRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const limiter = failureLimiter(app, {
    max: 10,
    windowMs: ATTEMPT_WINDOW_MS,
    what: 'provisioning codes from this address',
  });
  app.post('/v1/provision', { bodyLimit: PROVISION_BYTES }, async (req, reply) => {
    await limiter.check(req, reply);
    const body = parse(provisionRequestSchema, req.body);
    try {
      return reply.code(201).send(await provisionTerminal(ctx.db, body));
    } catch (e) {
      // Only a code that never existed is a guess; a spent one is a lane that came late.
      if (e instanceof HttpError && e.code === 'CODE_INVALID' && !(e instanceof SpentCodeError))
        await limiter.fail(req);
      throw e;
    }
  });
}
