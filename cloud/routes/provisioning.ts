import type { FastifyInstance } from 'fastify';
import { provisionRequestSchema } from '../../common/sync/protocol';
import { provisionTerminal } from '../provision';
import { parse, type RouteContext } from './context';

export const PROVISION_BYTES = 16 * 1024;

/** `POST /v1/provision`: a lane trades a one-time code for a terminal identity. */
export function provisioningRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/v1/provision', { bodyLimit: PROVISION_BYTES }, async (req, reply) => {
    const body = parse(provisionRequestSchema, req.body);
    return reply.code(201).send(await provisionTerminal(ctx.db, body));
  });
}
