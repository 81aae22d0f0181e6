import { beforeAll, describe, expect, it } from 'vitest';
import { checkPhoneLast4 } from '../../common/shard/shard-crypto';
import { ShardError } from '../../common/shard/format';
import type { ShardManifest, ShardRecord } from '../../common/shard/format';
import { openShard } from '../../common/shard/open';
import type { ShardPart } from '../../common/shard/open';
import {
  buildShardPart,
  generateShardKey,
  generateSigningKeyPair,
  generateTransformKey,
  hashPhoneLast4,
} from './builder';
import { deriveTransform } from '../../common/shard/transform';
import type { TransformKey } from '../../common/shard/transform';
import type { ShardKey, TerminalRecipient } from './builder';

const subtle = globalThis.crypto.subtle;
let signing: CryptoKeyPair;
let terminal: CryptoKeyPair;
let otherTerminal: CryptoKeyPair;
let recipients: TerminalRecipient[];
let key1: ShardKey;
const tk1: TransformKey = generateTransformKey(1);

async function ecdhPair(): Promise<CryptoKeyPair> {
  // As on the terminal: the private key is not extractable.
  return subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
}

let phone: { salt: string; hash: string };
function record(i: number): ShardRecord {
  const t = new Int8Array(512);
  for (let d = 0; d < 512; d++) t[d] = ((i * 31 + d * 7) % 255) - 127;
  return {
    templateId: `t${i}`,
    customerRef: `c${i}`,
    templates: [t],
    ageVerified: i % 2 === 0,
    loyaltyId: i % 3 ? `L${i}` : null,
    limits: { currency: 'EUR', perPayment: 5000, perDay: 20000 },
    phoneLast4: phone,
  };
}

beforeAll(async () => {
  signing = await generateSigningKeyPair();
  terminal = await ecdhPair();
  otherTerminal = await ecdhPair();
  recipients = [{ terminalId: 'lane-1', publicKey: terminal.publicKey }];
  key1 = await generateShardKey('k1');
  phone = await hashPhoneLast4('4321');
});

const open = (parts: ShardPart[], over: Partial<Parameters<typeof openShard>[1]> = {}) =>
  openShard(parts, {
    store: 's1',
    terminalId: 'lane-1',
    cloudKey: signing.publicKey,
    terminalKey: terminal.privateKey,
    ...over,
  });

const full = (n: number, version = 1, key = key1, transform = tk1) =>
  buildShardPart({
    store: 's1',
    version,
    kind: version === 1 ? 'full' : 'rekey',
    shardKey: key,
    transform,
    recipients,
    adds: Array.from({ length: n }, (_, i) => record(i)),
    chunkRecords: 4,
    signingKey: signing.privateKey,
  });

async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ShardError);
    return (e as ShardError).reason;
  }
  throw new Error('shard was accepted');
}

describe('template shard', () => {
  it('round-trips records through sign, encrypt, wrap and open', async () => {
    const part = await full(10);
    expect(part.chunks).toHaveLength(4); // the transform, then 4 + 4 + 2 records
    const progress: number[] = [];
    const shard = await open([part], { onProgress: (p) => progress.push(p.chunksDone) });
    expect(progress).toEqual([1, 2, 3, 4]);
    // Templates arrive under the store's transform, which the shard carries for the matcher.
    expect(shard.transform.generation).toBe(1);
    expect([...shard.transform.key]).toEqual([...tk1.key]);
    const rotation = await deriveTransform('s1', tk1);
    expect([...shard.records.values()]).toEqual(
      Array.from({ length: 10 }, (_, i) => {
        const r = record(i);
        return { ...r, templates: r.templates.map((t) => rotation.apply(t)) };
      }),
    );
    expect(shard.records.get('t0')!.templates[0]).not.toEqual(record(0).templates[0]);
    // Fresh IV per chunk.
    const ivs = JSON.parse(part.signed.manifest).chunks.map((c: { iv: string }) => c.iv);
    expect(new Set(ivs).size).toBe(ivs.length);
    expect(await checkPhoneLast4('4321', shard.records.get('t0')!.phoneLast4)).toBe(true);
    expect(await checkPhoneLast4('4322', shard.records.get('t0')!.phoneLast4)).toBe(false);
  });

  it('refuses a tampered byte anywhere in any chunk', async () => {
    const part = await full(6);
    for (let c = 0; c < part.chunks.length; c++) {
      const len = part.chunks[c]!.length;
      for (const at of [0, 11, Math.floor(len / 2), len - 17, len - 1]) {
        const chunks = part.chunks.map((x) => x.slice());
        chunks[c]![at]! ^= 1;
        expect(await refusal(open([{ signed: part.signed, chunks }]))).toBe('chunk');
      }
      const truncated = part.chunks.map((x, i) => (i === c ? x.slice(0, -1) : x));
      expect(await refusal(open([{ signed: part.signed, chunks: truncated }]))).toBe('chunk');
    }
    const swapped = [part.chunks[1]!, part.chunks[0]!];
    expect(await refusal(open([{ signed: part.signed, chunks: swapped }]))).toBe('chunk');
  });

  it('refuses a change to any field of the manifest, or its signature', async () => {
    const part = await full(6);
    const m = JSON.parse(part.signed.manifest) as ShardManifest;
    const edits: ((x: ShardManifest) => void)[] = [
      (x) => (x.store = 's2'),
      (x) => (x.version = 2),
      (x) => (x.kind = 'rekey'),
      (x) => (x.keyId = 'k2'),
      (x) => (x.createdAt = '2020-01-01T00:00:00.000Z'),
      (x) => (x.base = 1),
      (x) => (x.transform.generation = 2),
      (x) => x.chunks.pop(),
      (x) => (x.keys = []),
      (x) => (x.keys[0]!.terminalId = 'lane-2'),
      (x) =>
        (x.keys[0]!.wrapped = x.keys[0]!.wrapped.replace(/^./, (ch: string) =>
          ch === 'A' ? 'B' : 'A',
        )),
      (x) =>
        (x.keys[0]!.ephemeral = x.keys[0]!.ephemeral.replace(/^./, (ch: string) =>
          ch === 'A' ? 'B' : 'A',
        )),
    ];
    for (const field of ['index', 'kind', 'count', 'size', 'iv', 'sha256'] as const) {
      edits.push((x) => {
        const c = x.chunks[1] as unknown as Record<string, string | number>;
        const v = c[field]!;
        c[field] =
          typeof v === 'number'
            ? v + 1
            : field === 'kind'
              ? 'tombstones'
              : 'A'.repeat(v.length - 2) + '==';
      });
    }
    for (const edit of edits) {
      const x = structuredClone(m);
      edit(x);
      const signed = { manifest: JSON.stringify(x), signature: part.signed.signature };
      expect(await refusal(open([{ signed, chunks: part.chunks }]))).toBe('signature');
    }
    const sig = part.signed.signature;
    const badSig = (sig[0] === 'A' ? 'B' : 'A') + sig.slice(1); // always differs from the original
    expect(
      await refusal(open([{ signed: { ...part.signed, signature: badSig }, chunks: part.chunks }])),
    ).toBe('signature');
    const spaced = { manifest: part.signed.manifest + ' ', signature: sig };
    expect(await refusal(open([{ signed: spaced, chunks: part.chunks }]))).toBe('signature');
  });

  it('refuses a wrong terminal key, a foreign terminal, a wrong cloud key and another store', async () => {
    const part = await full(3);
    expect(await refusal(open([part], { terminalKey: otherTerminal.privateKey }))).toBe('key');
    expect(await refusal(open([part], { terminalId: 'lane-9' }))).toBe('key');
    const other = await generateSigningKeyPair();
    expect(await refusal(open([part], { cloudKey: other.publicKey }))).toBe('signature');
    expect(await refusal(open([part], { store: 's2' }))).toBe('chain');
  });

  it('applies deltas, tombstones and a re-key, and refuses a broken chain', async () => {
    const v1 = await full(5);
    const delta = (
      version: number,
      base: number,
      adds: number[],
      tombstones: string[],
      shardKey = key1,
      transform = tk1,
    ) =>
      buildShardPart({
        store: 's1',
        version,
        kind: 'delta',
        base,
        shardKey,
        transform,
        recipients: [],
        adds: adds.map(record),
        tombstones,
        signingKey: signing.privateKey,
      });
    const v2 = await delta(2, 1, [5, 6], ['t1', 't3']);
    const v3 = await delta(3, 2, [1], ['t6']);
    const s = await open([v1, v2, v3]);
    expect([...s.records.keys()].sort()).toEqual(['t0', 't1', 't2', 't4', 't5']);
    expect(s.version).toBe(3);
    expect(await refusal(open([v1, v3]))).toBe('chain');
    expect(await refusal(open([v2]))).toBe('chain');
    // Re-key: a full snapshot under a new key; later deltas use it, and old-key deltas are refused.
    const key2 = await generateShardKey('k2');
    const v4 = await full(2, 4, key2);
    const v5 = await delta(5, 4, [9], ['t0'], key2);
    const r = await open([v1, v2, v3, v4, v5]);
    expect([...r.records.keys()]).toEqual(['t1', 't9']);
    expect(r.keyId).toBe('k2');
    const stale = await delta(5, 4, [9], [], key1);
    expect(await refusal(open([v1, v4, stale]))).toBe('chain');
  });

  it('a new transform generation needs a snapshot: a delta under another one, or a step back, is refused', async () => {
    const tk2 = generateTransformKey(2);
    const v1 = await full(3);
    const v2 = await full(3, 2, key1, tk2);
    expect((await open([v1, v2])).transform.generation).toBe(2);
    const foreignDelta = await buildShardPart({
      store: 's1',
      version: 3,
      kind: 'delta',
      base: 2,
      shardKey: key1,
      transform: tk1,
      recipients: [],
      adds: [record(7)],
      signingKey: signing.privateKey,
    });
    expect(await refusal(open([v1, v2, foreignDelta]))).toBe('chain');
    const back = await full(3, 3, key1, generateTransformKey(1));
    expect(await refusal(open([v2, back]))).toBe('chain');
  });
});
