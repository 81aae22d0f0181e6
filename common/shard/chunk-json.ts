import { z } from 'zod';
import { recordMetaProblem, ShardError, TEMPLATE_BYTES } from './format';
import type { ChunkBody, recordMetaSchema } from './format';

/**
 * Chunk plaintext layout `PSC1`, the first one: `u32le 'PSC1' | u32le metaLen | meta JSON |
 * templates`. Still read, so a shard built before `PSC2` (chunk-binary.ts) opens, and written only
 * on request (`layout: 'json'`), so `npm run bench:shard-load` measures both layouts in one run.
 * Records and tombstones only: a transform chunk is always `PSC2`.
 */
export const JSON_MAGIC = 0x31435350; // 'PSC1' little-endian

const id = z.string().min(1).max(128);
const chunkMetaSchema = z.discriminatedUnion('kind', [
  // Records are checked one by one with recordMetaProblem: same rules, ~5x faster than zod
  // over 100k records, which matters for the time a shard takes to load.
  z.strictObject({ kind: z.literal('records'), records: z.array(z.unknown()) }),
  z.strictObject({ kind: z.literal('tombstones'), templateIds: z.array(id) }),
]);

export function encodeJsonChunk(body: ChunkBody): Uint8Array<ArrayBuffer> {
  const templates: Int8Array[] = [];
  let meta: unknown;
  if (body.kind === 'records') {
    meta = {
      kind: 'records',
      records: body.records.map((r) => {
        for (const t of r.templates) {
          if (t.length !== TEMPLATE_BYTES)
            throw new RangeError(`template of ${r.templateId} is not ${TEMPLATE_BYTES} bytes`);
          templates.push(t);
        }
        const { templates: ts, ...rest } = r;
        return { ...rest, templates: ts.length };
      }),
    };
  } else if (body.kind === 'tombstones') {
    meta = { kind: 'tombstones', templateIds: body.templateIds };
  } else {
    throw new RangeError('a transform chunk has no JSON layout');
  }
  const json = new TextEncoder().encode(JSON.stringify(meta));
  const out = new Uint8Array(8 + json.length + templates.length * TEMPLATE_BYTES);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, JSON_MAGIC, true);
  dv.setUint32(4, json.length, true);
  out.set(json, 8);
  let at = 8 + json.length;
  for (const t of templates) {
    out.set(new Uint8Array(t.buffer, t.byteOffset, TEMPLATE_BYTES), at);
    at += TEMPLATE_BYTES;
  }
  return out;
}

/** Inverse of encodeJsonChunk. Templates are views into `bytes` (no copy). */
export function decodeJsonChunk(bytes: Uint8Array): ChunkBody {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 8 || dv.getUint32(0, true) !== JSON_MAGIC)
    throw new ShardError('format', 'chunk has no PSC1 header');
  const jsonLen = dv.getUint32(4, true);
  if (8 + jsonLen > bytes.length)
    throw new ShardError('format', 'chunk metadata overruns the chunk');
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + jsonLen)));
  } catch {
    throw new ShardError('format', 'chunk metadata is not JSON');
  }
  const parsed = chunkMetaSchema.safeParse(json);
  if (!parsed.success) throw new ShardError('format', `chunk metadata: ${parsed.error.message}`);
  const meta = parsed.data;
  if (meta.kind === 'tombstones') {
    if (bytes.length !== 8 + jsonLen)
      throw new ShardError('format', 'tombstone chunk has trailing bytes');
    return meta;
  }
  meta.records.forEach((r, i) => {
    const problem = recordMetaProblem(r);
    if (problem) throw new ShardError('format', `chunk metadata: record ${i}: ${problem}`);
  });
  const metas = meta.records as z.infer<typeof recordMetaSchema>[];
  let at = 8 + jsonLen;
  const total = metas.reduce((s, r) => s + r.templates, 0);
  if (bytes.length !== at + total * TEMPLATE_BYTES)
    throw new ShardError('format', 'chunk template bytes do not match its metadata');
  const t8 = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records = metas.map((r) => {
    const templates: Int8Array[] = [];
    for (let i = 0; i < r.templates; i++, at += TEMPLATE_BYTES)
      templates.push(t8.subarray(at, at + TEMPLATE_BYTES));
    return { ...r, templates };
  });
  return { kind: 'records', records };
}
