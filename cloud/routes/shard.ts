import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { shardKeyRequestSchema } from '../../common/sync/protocol';
import { HttpError } from '../errors';
import { isShardApproved } from '../shard-approval';
import { registerShardKey, shardChunk } from '../shard-feed';
import { parse, type RouteContext } from './context';

/**
 * The template shard: a lane registers its ECDH key (the shard key is wrapped for it once a
 * manager approves the lane), then fetches the chunk ciphertexts its pulled manifests list
 * (approved lanes only).
 */
export function shardRoutes(app: FastifyInstance, ctx: RouteContext): void {
  app.post('/v1/shard-key', { preHandler: ctx.terminalAuth }, async (req, reply) => {
    const body = parse(shardKeyRequestSchema, req.body);
    await registerShardKey(ctx.db, req.terminal!.terminalId, body.publicKey);
    await ctx.onShardKeyRegistered?.(req.terminal!).catch((e: unknown) => {
      req.log.error(e, 'after shard key registration');
    });
    return reply.code(204).send();
  });

  app.get(
    '/v1/shard/:version/chunks/:index',
    { preHandler: ctx.terminalAuth },
    async (req, reply) => {
      const p = parse(
        z.strictObject({
          version: z.coerce.number().int().min(1),
          index: z.coerce.number().int().min(0),
        }),
        req.params,
      );
      if (!(await isShardApproved(ctx.db, req.terminal!.terminalId)))
        throw new HttpError(
          403,
          'SHARD_NOT_APPROVED',
          'A manager has not approved this lane for palm pay',
        );
      const bytes = await shardChunk(ctx.db, req.terminal!.storeId, p.version, p.index);
      return reply
        .header('Content-Type', 'application/octet-stream')
        .header('Cache-Control', 'private, max-age=31536000, immutable')
        .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    },
  );
}
