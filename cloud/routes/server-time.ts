import type { FastifyInstance } from 'fastify';
import { SERVER_TIME_HEADER } from '../../common/sync/protocol';

/**
 * The cloud's clock on every answer (`x-palm-time`, exposed to the lane's page through CORS), so
 * a lane whose clock drifts corrects its signing timestamps from any answer, not only from an
 * AUTH_EXPIRED refusal. Registered before the CORS hook, so even a refused preflight carries it.
 */
export function serverTimeHeader(app: FastifyInstance, now: () => number): void {
  app.addHook('onRequest', async (_req, reply) => {
    reply.header(SERVER_TIME_HEADER, String(now()));
    // Without an Access-Control-Allow-Origin this exposes nothing, so it is safe on every answer.
    reply.header('Access-Control-Expose-Headers', SERVER_TIME_HEADER);
  });
}
