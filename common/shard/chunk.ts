import { BINARY_MAGIC, decodeBinaryChunk, encodeBinaryChunk } from './chunk-binary';
import { decodeJsonChunk, encodeJsonChunk, JSON_MAGIC } from './chunk-json';
import { ShardError } from './format';
import type { ChunkBody } from './format';

/** How a chunk's metadata is laid out: `binary` (PSC2, the default) or the first `json` (PSC1). */
export type ChunkLayout = 'binary' | 'json';

export function encodeChunk(
  body: ChunkBody,
  layout: ChunkLayout = 'binary',
): Uint8Array<ArrayBuffer> {
  return layout === 'json' ? encodeJsonChunk(body) : encodeBinaryChunk(body);
}

/** Decodes either layout, told apart by the magic; templates are views into `bytes`. */
export function decodeChunk(bytes: Uint8Array): ChunkBody {
  if (bytes.length < 8) throw new ShardError('format', 'chunk is shorter than its header');
  const magic = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
  if (magic === BINARY_MAGIC) return decodeBinaryChunk(bytes);
  if (magic === JSON_MAGIC) return decodeJsonChunk(bytes);
  throw new ShardError('format', 'chunk has no PSC1 or PSC2 header');
}
