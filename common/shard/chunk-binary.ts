import { recordMetaProblem, ShardError, TEMPLATE_BYTES } from './format';
import type { ChunkBody, ShardRecord } from './format';
import { TRANSFORM_KEY_BYTES } from './transform';

/**
 * Chunk plaintext layout `PSC2` (docs/shard-format.md): a fixed header, fixed-size entries, one
 * UTF-8 string table, then the templates. Why not JSON (`PSC1`, chunk-json.ts): parsing ~26 MB
 * of JSON text into 100k objects, then checking each, was the largest step of loading a 100k
 * shard (docs/benchmarks.md, "Shard load"). Here a chunk's strings are decoded in one call and
 * cut out by length, and every number sits at a fixed offset.
 *
 *   0  u32 magic 'PSC2'   4 u8 kind (1 records, 2 tombstones, 3 transform), 3 zero bytes
 *   8  u32 count          12 u32 string table bytes (UTF-8)
 *   16 entries, then the string table, then (records) count·templates × 512 int8
 *
 * Record entry, 24 bytes: u8 lengths (UTF-16 code units in the decoded table) of templateId,
 * customerRef, loyaltyId (255 = null), phone salt, phone hash; u8 templates; u8 ageVerified;
 * u8 0; f64 perPayment; f64 perDay. Per record the table holds templateId, customerRef, loyaltyId,
 * the 3-letter currency, salt, hash, in that order. Tombstone entry: u8 id length. Transform:
 * one 36-byte entry, u32 generation and the 32-byte key; no table.
 */
export const BINARY_MAGIC = 0x32435350; // 'PSC2' little-endian
const HEADER = 16;
const RECORD_ENTRY = 24;
const NULL_LEN = 255;
const KIND_CODE = { records: 1, tombstones: 2, transform: 3 } as const;
const B64 = /^[A-Za-z0-9+/]*={0,2}$/;
const CURRENCY = /^[A-Z]{3}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function len(s: string, what: string, max = 254): number {
  if (s.length > max) throw new RangeError(`${what} is longer than ${max} characters`);
  return s.length;
}

export function encodeBinaryChunk(body: ChunkBody): Uint8Array<ArrayBuffer> {
  let entries: Uint8Array;
  let table = '';
  const templates: Int8Array[] = [];
  let count: number;
  if (body.kind === 'transform') {
    const { generation, key } = body.transform;
    if (key.length !== TRANSFORM_KEY_BYTES) throw new RangeError('transform key is not 32 bytes');
    entries = new Uint8Array(4 + TRANSFORM_KEY_BYTES);
    new DataView(entries.buffer).setUint32(0, generation, true);
    entries.set(key, 4);
    count = 1;
  } else if (body.kind === 'tombstones') {
    count = body.templateIds.length;
    entries = new Uint8Array(count);
    body.templateIds.forEach((id, i) => {
      entries[i] = len(id, 'tombstoned template id');
      table += id;
    });
  } else {
    count = body.records.length;
    entries = new Uint8Array(count * RECORD_ENTRY);
    const dv = new DataView(entries.buffer);
    body.records.forEach((r, i) => {
      // The cloud never publishes what a lane would refuse.
      const { templates: ts, ...meta } = r;
      const problem = recordMetaProblem({ ...meta, templates: ts.length });
      if (problem) throw new RangeError(`record ${r.templateId}: ${problem}`);
      const at = i * RECORD_ENTRY;
      entries[at] = len(r.templateId, 'templateId');
      entries[at + 1] = len(r.customerRef, 'customerRef');
      entries[at + 2] = r.loyaltyId === null ? NULL_LEN : len(r.loyaltyId, 'loyaltyId');
      entries[at + 3] = len(r.phoneLast4.salt, 'phone salt');
      entries[at + 4] = len(r.phoneLast4.hash, 'phone hash');
      entries[at + 5] = r.templates.length;
      entries[at + 6] = r.ageVerified ? 1 : 0;
      dv.setFloat64(at + 8, r.limits.perPayment, true);
      dv.setFloat64(at + 16, r.limits.perDay, true);
      if (r.limits.currency.length !== 3) throw new RangeError('currency is not 3 letters');
      table += r.templateId + r.customerRef + (r.loyaltyId ?? '') + r.limits.currency;
      table += r.phoneLast4.salt + r.phoneLast4.hash;
      for (const t of r.templates) {
        if (t.length !== TEMPLATE_BYTES)
          throw new RangeError(`template of ${r.templateId} is not ${TEMPLATE_BYTES} bytes`);
        templates.push(t);
      }
    });
  }
  const tableBytes = new TextEncoder().encode(table);
  const out = new Uint8Array(
    HEADER + entries.length + tableBytes.length + templates.length * TEMPLATE_BYTES,
  );
  const dv = new DataView(out.buffer);
  dv.setUint32(0, BINARY_MAGIC, true);
  out[4] = KIND_CODE[body.kind];
  dv.setUint32(8, count, true);
  dv.setUint32(12, tableBytes.length, true);
  out.set(entries, HEADER);
  out.set(tableBytes, HEADER + entries.length);
  let at = HEADER + entries.length + tableBytes.length;
  for (const t of templates) {
    out.set(new Uint8Array(t.buffer, t.byteOffset, TEMPLATE_BYTES), at);
    at += TEMPLATE_BYTES;
  }
  return out;
}

const fail = (message: string): never => {
  throw new ShardError('format', message);
};

/** Inverse of encodeBinaryChunk, checking every field as recordMetaSchema would. */
export function decodeBinaryChunk(bytes: Uint8Array): ChunkBody {
  if (bytes.length < HEADER) fail('chunk is shorter than its header');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const kind = bytes[4];
  const count = dv.getUint32(8, true);
  const tableLen = dv.getUint32(12, true);
  if (bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) fail('chunk header has non-zero padding');
  if (kind === KIND_CODE.transform) {
    if (count !== 1 || tableLen !== 0 || bytes.length !== HEADER + 4 + TRANSFORM_KEY_BYTES)
      fail('transform chunk is malformed');
    const generation = dv.getUint32(HEADER, true);
    if (generation < 1) fail('transform generation must be ≥ 1');
    const key = bytes.slice(HEADER + 4, HEADER + 4 + TRANSFORM_KEY_BYTES);
    return { kind: 'transform', transform: { generation, key } };
  }
  const entrySize = kind === KIND_CODE.records ? RECORD_ENTRY : 1;
  if (kind !== KIND_CODE.records && kind !== KIND_CODE.tombstones)
    fail(`unknown chunk kind ${kind}`);
  const tableAt = HEADER + count * entrySize;
  if (tableAt + tableLen > bytes.length) fail('chunk entries overrun the chunk');
  let table = '';
  try {
    table = utf8.decode(bytes.subarray(tableAt, tableAt + tableLen));
  } catch {
    fail('chunk string table is not UTF-8');
  }
  let s = 0;
  const take = (n: number, what: string, i: number): string => {
    if (s + n > table.length)
      fail(`chunk metadata: record ${i}: ${what} overruns the string table`);
    const out = table.slice(s, s + n);
    s += n;
    return out;
  };
  if (kind === KIND_CODE.tombstones) {
    const templateIds: string[] = [];
    for (let i = 0; i < count; i++) {
      const n = bytes[HEADER + i]!;
      if (n < 1 || n > 128) fail(`tombstone ${i}: template id must be 1–128 characters`);
      templateIds.push(take(n, 'template id', i));
    }
    if (s !== table.length || tableAt + tableLen !== bytes.length)
      fail('tombstone chunk has trailing bytes');
    return { kind: 'tombstones', templateIds };
  }
  const records: ShardRecord[] = new Array<ShardRecord>(count);
  const t8 = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = tableAt + tableLen;
  for (let i = 0; i < count; i++) {
    const e = HEADER + i * RECORD_ENTRY;
    const idLen = bytes[e]!;
    const refLen = bytes[e + 1]!;
    const loyLen = bytes[e + 2]!;
    const n = bytes[e + 5]!;
    const age = bytes[e + 6]!;
    const problem =
      idLen < 1 || idLen > 128
        ? 'templateId must be 1–128 characters'
        : refLen < 1 || refLen > 128
          ? 'customerRef must be 1–128 characters'
          : loyLen > 128 && loyLen !== NULL_LEN
            ? 'loyaltyId must be null or at most 128 characters'
            : n < 1 || n > 16
              ? 'templates must be an integer 1–16'
              : age > 1 || bytes[e + 7] !== 0
                ? 'ageVerified must be a boolean'
                : null;
    if (problem) fail(`chunk metadata: record ${i}: ${problem}`);
    const perPayment = dv.getFloat64(e + 8, true);
    const perDay = dv.getFloat64(e + 16, true);
    if (!Number.isSafeInteger(perPayment) || !Number.isSafeInteger(perDay))
      fail(`chunk metadata: record ${i}: limits must be non-negative integers`);
    if (perPayment < 0 || perDay < 0 || Object.is(perPayment, -0) || Object.is(perDay, -0))
      fail(`chunk metadata: record ${i}: limits must be non-negative integers`);
    const templateId = take(idLen, 'templateId', i);
    const customerRef = take(refLen, 'customerRef', i);
    const loyaltyId = loyLen === NULL_LEN ? null : take(loyLen, 'loyaltyId', i);
    const currency = take(3, 'currency', i);
    const salt = take(bytes[e + 3]!, 'phone salt', i);
    const hash = take(bytes[e + 4]!, 'phone hash', i);
    if (!CURRENCY.test(currency))
      fail(`chunk metadata: record ${i}: limits.currency must be an ISO 4217 code`);
    if (!B64.test(salt) || !B64.test(hash))
      fail(`chunk metadata: record ${i}: phoneLast4 salt and hash must be base64`);
    if (at + n * TEMPLATE_BYTES > bytes.length)
      fail('chunk template bytes do not match its metadata');
    const templates: Int8Array[] = [];
    for (let j = 0; j < n; j++, at += TEMPLATE_BYTES)
      templates.push(t8.subarray(at, at + TEMPLATE_BYTES));
    records[i] = {
      templateId,
      customerRef,
      templates,
      ageVerified: age === 1,
      loyaltyId,
      limits: { currency, perPayment, perDay },
      phoneLast4: { salt, hash },
    };
  }
  if (s !== table.length) fail('chunk string table has trailing characters');
  if (at !== bytes.length) fail('chunk template bytes do not match its metadata');
  return { kind: 'records', records };
}
