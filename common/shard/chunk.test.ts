import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeChunk, encodeChunk } from './chunk';
import { ShardError } from './format';
import type { ChunkBody, ShardRecord } from './format';

const template = (seed: number) =>
  Int8Array.from({ length: 512 }, (_, i) => ((seed * 131 + i * 7) % 255) - 127);

const rec = (i: number, over: Partial<ShardRecord> = {}): ShardRecord => ({
  templateId: `t${i}`,
  customerRef: `cus_${i}`,
  templates: [template(i)],
  ageVerified: i % 2 === 0,
  loyaltyId: i % 3 ? `LOY-${i}` : null,
  limits: { currency: 'EUR', perPayment: 5_000 + i, perDay: 2 ** 53 - 1 },
  phoneLast4: {
    salt: 'AAAAAAAAAAAAAAAAAAAAAA==',
    hash: 'q83vq83vq83vq83vq83vq83vq83vq83vq83vq83vq80=',
  },
  ...over,
});

const plain = (b: ChunkBody) =>
  b.kind === 'records'
    ? b.records.map((r) => ({ ...r, templates: r.templates.map((t) => [...t]) }))
    : b;

describe('binary chunk layout (PSC2)', () => {
  it('round-trips records, tombstones and the transform, the same as the JSON layout', () => {
    const bodies: ChunkBody[] = [
      {
        kind: 'records',
        records: [
          rec(0),
          rec(1, { templates: [template(1), template(2), template(3)] }),
          rec(2, { templateId: 'ü€𝄞'.repeat(32), loyaltyId: '' }),
          rec(3, { customerRef: 'c'.repeat(128), loyaltyId: 'L'.repeat(128) }),
        ],
      },
      { kind: 'tombstones', templateIds: ['t1', 'ж'.repeat(128)] },
      { kind: 'records', records: [] },
    ];
    for (const body of bodies) {
      const bin = encodeChunk(body);
      expect(String.fromCharCode(...bin.subarray(0, 4))).toBe('PSC2');
      expect(plain(decodeChunk(bin))).toEqual(plain(body));
      expect(plain(decodeChunk(encodeChunk(body, 'json')))).toEqual(plain(body));
    }
    const key = Uint8Array.from({ length: 32 }, (_, i) => i);
    const t = decodeChunk(encodeChunk({ kind: 'transform', transform: { generation: 7, key } }));
    expect(t).toEqual({ kind: 'transform', transform: { generation: 7, key } });
  });

  it('needs under half the metadata bytes of the JSON layout', () => {
    const body: ChunkBody = {
      kind: 'records',
      records: Array.from({ length: 100 }, (_, i) => rec(i)),
    };
    const meta = (b: Uint8Array) => b.length - 100 * 512;
    expect(meta(encodeChunk(body, 'json')) / meta(encodeChunk(body))).toBeGreaterThan(2);
  });

  it('never publishes a record a lane would refuse', () => {
    for (const bad of [
      rec(0, { templateId: '' }),
      rec(0, { customerRef: 'c'.repeat(129) }),
      rec(0, { limits: { currency: 'eur', perPayment: 1, perDay: 1 } }),
      rec(0, { limits: { currency: 'EUR', perPayment: -1, perDay: 1 } }),
      rec(0, { limits: { currency: 'EUR', perPayment: 0.5, perDay: 1 } }),
      rec(0, { phoneLast4: { salt: 'a*b', hash: 'AA==' } }),
      rec(0, { templates: [] }),
      rec(0, { templates: [new Int8Array(511)] }),
    ]) {
      expect(() => encodeChunk({ kind: 'records', records: [bad] })).toThrow(RangeError);
    }
  });

  it('any single corrupted byte is decoded to the same records or refused as format, never crashes', () => {
    const body: ChunkBody = { kind: 'records', records: [rec(0), rec(1), rec(2)] };
    const bytes = encodeChunk(body);
    const metaEnd = bytes.length - 3 * 512;
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: metaEnd - 1 }),
        fc.integer({ min: 1, max: 255 }),
        (at, x) => {
          const b = bytes.slice();
          b[at]! ^= x;
          try {
            const out = decodeChunk(b);
            // A corrupted limit, flag or string character can still be well-formed: then it is data.
            expect(out.kind === 'records' ? out.records.length : -1).toBe(3);
          } catch (e) {
            expect(e).toBeInstanceOf(ShardError);
            expect((e as ShardError).reason).toBe('format');
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('refuses truncation, trailing bytes and an unknown magic or kind, naming what is wrong', () => {
    const bytes = encodeChunk({ kind: 'records', records: [rec(0)] });
    const cases: [Uint8Array, RegExp][] = [
      [bytes.subarray(0, 10), /shorter than its header/],
      [bytes.subarray(0, bytes.length - 1), /template bytes/],
      [Uint8Array.from([...bytes, 0]), /template bytes/],
      [Uint8Array.from(bytes, (v, i) => (i === 0 ? 0x51 : v)), /no PSC1 or PSC2 header/],
      [Uint8Array.from(bytes, (v, i) => (i === 4 ? 9 : v)), /unknown chunk kind 9/],
      [Uint8Array.from(bytes, (v, i) => (i === 16 ? 0 : v)), /record 0: templateId/],
      [Uint8Array.from(bytes, (v, i) => (i === 21 ? 17 : v)), /record 0: templates/],
      [Uint8Array.from(bytes, (v, i) => (i === 22 ? 2 : v)), /record 0: ageVerified/],
    ];
    for (const [b, message] of cases) {
      expect(() => decodeChunk(b)).toThrow(ShardError);
      expect(() => decodeChunk(b)).toThrow(message);
    }
  });
});
