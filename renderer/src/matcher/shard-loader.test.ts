import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  buildShardPart,
  generateTransformKey,
  generateShardKey,
  generateSigningKeyPair,
  hashPhoneLast4,
} from '../../../cloud/shard/builder';
import type { ShardRecord } from '../../../common/shard/format';
import { Matcher } from '../../../wasm/loader/kernel';
import { nodeKernelSource } from '../../../wasm/node/load';
import { buildGallery } from './gallery';
import { bestTwo } from './search';
import { ShardDatabase } from '../shard/shard-db';
import { deriveTransform } from '../../../common/shard/transform';
import { loadShard } from './shard-loader';

function template(i: number): Int8Array {
  let s = i + 1;
  return Int8Array.from(
    { length: 512 },
    () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) % 255) - 127,
  );
}

/** Every byte of every object store, flattened (typed arrays, strings and numbers). */
async function dumpIndexedDb(): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  const walk = (v: unknown): void => {
    if (v instanceof Uint8Array || v instanceof Int8Array)
      out.push(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    else if (v instanceof ArrayBuffer) out.push(new Uint8Array(v));
    else if (typeof v === 'string') out.push(new TextEncoder().encode(v));
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  for (const info of await indexedDB.databases()) {
    const db = new ShardDatabase();
    expect(info.name).toBe(db.name);
    await db.open();
    for (const t of db.tables) walk(await t.toArray());
    db.close();
  }
  return out;
}

function contains(hay: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** What every part of store s1's chain is built with, and record `i` (template(i)) to add. */
async function chainKeys(chunkRecords: number) {
  const signing = await generateSigningKeyPair();
  const common = {
    store: 's1',
    shardKey: await generateShardKey('k1'),
    transform: generateTransformKey(1),
    signingKey: signing.privateKey,
    chunkRecords,
  };
  const phoneLast4 = await hashPhoneLast4('1234');
  const rec = (i: number): ShardRecord => ({
    templateId: `t${i}`,
    customerRef: `c${i}`,
    templates: [template(i)],
    ageVerified: true,
    loyaltyId: null,
    limits: { currency: 'EUR', perPayment: 100, perDay: 1000 },
    phoneLast4,
  });
  return { signing, common, rec };
}

afterEach(async () => {
  for (const info of await indexedDB.databases()) indexedDB.deleteDatabase(info.name!);
});

describe('shard in Dexie', () => {
  it('loads, matches, never matches a tombstone, and leaves no plaintext template at rest', async () => {
    const db = new ShardDatabase();
    const terminal = await db.terminalKeyPair();
    expect(terminal.privateKey.extractable).toBe(false);
    const { signing, common, rec } = await chainKeys(3);
    const v1 = await buildShardPart({
      ...common,
      version: 1,
      kind: 'full',
      recipients: [{ terminalId: 'lane-1', publicKey: terminal.publicKey }],
      adds: [0, 1, 2, 3, 4, 5, 6].map(rec),
    });
    const v2 = await buildShardPart({
      ...common,
      version: 2,
      kind: 'delta',
      base: 1,
      recipients: [],
      tombstones: ['t4'],
    });
    await db.storePart(1, 'full', v1.signed, v1.chunks);
    await db.storePart(2, 'delta', v2.signed, v2.chunks);

    const progress: string[] = [];
    const shard = await loadShard(db, {
      store: 's1',
      terminalId: 'lane-1',
      cloudKey: signing.publicKey,
      onProgress: (p) => progress.push(`${p.chunksDone}/${p.chunksTotal}`),
    });
    expect(progress).toEqual(['1/5', '2/5', '3/5', '4/5', '5/5']);
    const gallery = buildGallery(shard.records.values());
    // The gallery is under the store's transform: probes go through it as in the worker.
    const rotation = await deriveTransform('s1', shard.transform);
    const matcher = await Matcher.create(
      await nodeKernelSource('scalar', false),
      'scalar',
      gallery.rows,
    );
    expect(
      bestTwo(
        (p, k, c) => matcher.search(p, k, { candidates: c }),
        gallery.rowTemplate,
        rotation.apply(template(2)),
      ).templateId,
    ).toBe('t2');
    // The tombstoned shopper's own template no longer matches them.
    expect(
      bestTwo(
        (p, k, c) => matcher.search(p, k, { candidates: c }),
        gallery.rowTemplate,
        rotation.apply(template(4)),
      ).templateId,
    ).not.toBe('t4');

    const stored = await dumpIndexedDb();
    expect(stored.length).toBeGreaterThan(0);
    for (let i = 0; i < 7; i++) {
      // Any 32-byte run of a template would give it away.
      const t = template(i);
      const pieces = [0, 100, 480].map((o) => new Uint8Array(t.buffer, o, 32));
      for (const s of stored) for (const p of pieces) expect(contains(s, p)).toBe(false);
    }
  });

  it('refuses the whole chain when any part has lost a chunk, first or last', async () => {
    const db = new ShardDatabase();
    const terminal = await db.terminalKeyPair();
    const { signing, common, rec } = await chainKeys(2);
    const v1 = await buildShardPart({
      ...common,
      version: 1,
      kind: 'full',
      recipients: [{ terminalId: 'lane-1', publicKey: terminal.publicKey }],
      adds: [0, 1, 2, 3].map(rec),
    });
    const v2 = await buildShardPart({
      ...common,
      version: 2,
      kind: 'delta',
      base: 1,
      recipients: [],
      adds: [4, 5, 6].map(rec),
    });
    const load = () =>
      loadShard(db, { store: 's1', terminalId: 'lane-1', cloudKey: signing.publicKey });
    for (const lost of [
      [1, 0],
      [2, v2.chunks.length - 1],
    ] as const) {
      await db.storePart(1, 'full', v1.signed, v1.chunks);
      await db.storePart(2, 'delta', v2.signed, v2.chunks);
      expect((await load()).records.size).toBe(7);
      await db.chunks.delete([lost[0], lost[1]]);
      await expect(load()).rejects.toMatchObject({ reason: 'chunk' });
    }
  });
});
