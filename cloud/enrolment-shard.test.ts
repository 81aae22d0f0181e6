import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPopulation, pt1Similarity } from '../common/palm/population';
import type { ShardRecord } from '../common/shard/format';
import { openShard, type OpenedShard } from '../common/shard/open';
import { deriveTransform } from '../common/shard/transform';
import type { PullResponse } from '../common/sync/protocol';
import { demoShopper, demoPopulation, demoTemplateId } from './demo-shoppers';
import { startEmbeddedCloud, type EmbeddedCloud } from './embedded';
import { completeDeletions } from './enrolment/deletion';
import { EnrolScanner, enrolmentRequest } from './enrolment/testing';
import { TestTerminal, type TestCloud } from './testing';

/**
 * Enrolment and deletion as every lane of the store sees them: through the embedded demo cloud
 * over HTTP, each lane opening the pulled shard chain with its own non-extractable key, as its
 * matcher worker does. A shopper enrolled at one lane is in every lane's shard after one pull
 * (a delta); a deleted one is gone from every lane's after one pull (a tombstone).
 */
const subtle = globalThis.crypto.subtle;

function overHttp(cloud: EmbeddedCloud): TestCloud {
  return {
    db: cloud.db,
    adminToken: cloud.adminToken,
    close: () => cloud.close(),
    app: {
      inject: async (o: {
        method: string;
        url: string;
        headers?: Record<string, string>;
        payload?: unknown;
      }) => {
        const body =
          o.payload === undefined
            ? undefined
            : typeof o.payload === 'string'
              ? o.payload
              : JSON.stringify(o.payload);
        const res = await fetch(cloud.url + o.url, {
          method: o.method,
          headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...o.headers },
          ...(body ? { body } : {}),
        });
        const bytes = new Uint8Array(await res.arrayBuffer());
        const text = new TextDecoder().decode(bytes);
        return {
          statusCode: res.status,
          body: text,
          rawPayload: bytes,
          json: () => JSON.parse(text),
        };
      },
    },
  } as unknown as TestCloud;
}

interface Lane {
  readonly t: TestTerminal;
  readonly keys: CryptoKeyPair;
}

let cloud: EmbeddedCloud;
let http: TestCloud;
let scanner: EnrolScanner;
let a: Lane;
let b: Lane;

async function lane(name: string): Promise<Lane> {
  const t = new TestTerminal(name);
  await t.provision(http, cloud.demoStoreId);
  const keys = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, [
    'deriveBits',
  ]);
  const jwk = await subtle.exportKey('jwk', keys.publicKey);
  const res = await t.request(http, 'POST', '/v1/shard-key', {
    publicKey: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y },
  });
  expect(res.statusCode).toBe(204);
  return { t, keys };
}

async function shardOf(l: Lane): Promise<Map<string, ShardRecord>> {
  return (await openedShardOf(l)).records;
}

async function openedShardOf(l: Lane): Promise<OpenedShard> {
  const page = (await l.t.request(http, 'GET', '/v1/pull')).json<PullResponse>();
  const feed = page.shard!;
  const cloudKey = await subtle.importKey(
    'jwk',
    feed.verifyKey as JsonWebKey,
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  );
  const parts = await Promise.all(
    feed.parts.map(async (p) => ({
      signed: p.signed,
      chunks: await Promise.all(
        Array.from(
          { length: p.chunkCount },
          async (_, i) =>
            new Uint8Array(
              (await l.t.request(http, 'GET', `/v1/shard/${p.version}/chunks/${i}`)).rawPayload,
            ),
        ),
      ),
    })),
  );
  return openShard(parts, {
    store: cloud.demoStoreId,
    terminalId: l.t.terminalId,
    cloudKey,
    terminalKey: l.keys.privateKey,
  });
}

beforeAll(async () => {
  cloud = await startEmbeddedCloud({ demoShoppers: 20, logger: false });
  http = overHttp(cloud);
  scanner = await EnrolScanner.create('EMU-SHARD-1');
  await scanner.approveIn(cloud.db, cloud.demoStoreId);
  a = await lane('lane-enrol-a');
  b = await lane('lane-enrol-b');
  await cloud.demoShard!.settled();
}, 300_000);
afterAll(async () => cloud?.close());

describe('enrolment reaches every lane of the store', () => {
  const pop = createPopulation({ seed: 1 });
  let templateId = '';
  let customerRef = '';

  it('a shopper enrolled at lane A is in lane B’s shard after one pull, as a delta', async () => {
    expect((await shardOf(b)).size).toBe(20);
    const res = await a.t.request(
      http,
      'POST',
      '/v1/enrolments',
      await enrolmentRequest(scanner, [900, 901]),
    );
    expect(res.statusCode, res.body).toBe(201);
    const answer = res.json<{ templateId: string; customerRef: string; shardVersion: number }>();
    ({ templateId, customerRef } = answer);
    const kinds = await cloud.db.query<{ kind: string }>(
      'SELECT kind FROM shard_parts WHERE store_id = $1 AND version = $2',
      [cloud.demoStoreId, answer.shardVersion],
    );
    expect(kinds.rows).toEqual([{ kind: 'delta' }]);
    for (const l of [a, b]) {
      const shard = await openedShardOf(l);
      const records = shard.records;
      expect(records.size).toBe(21);
      const r = records.get(templateId)!;
      expect(r.customerRef).toBe(customerRef);
      expect(r.templates).toHaveLength(2);
      // The fused template matches a fresh capture of the palm like an enrolled one does, once
      // the probe is under the store's transform as the matcher worker puts it.
      const transform = await deriveTransform(cloud.demoStoreId, shard.transform);
      const probe = transform.apply(pop.capture(900, 85, 4242));
      expect(pt1Similarity(r.templates[0]!, probe)).toBeGreaterThan(0.45);
    }
  }, 120_000);

  it('a demo shopper’s palm is caught as a duplicate of that shopper', async () => {
    const res = await a.t.request(
      http,
      'POST',
      '/v1/enrolments',
      await enrolmentRequest(scanner, [5]),
    );
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      error: 'ALREADY_ENROLLED',
      customerRef: demoShopper(demoPopulation(), 5).customerRef,
    });
  }, 120_000);

  it('a deleted shopper is gone from every lane’s shard after one pull; a deleted demo shopper stays gone', async () => {
    const del = await b.t.request(http, 'POST', '/v1/shoppers/deletions', {
      via: 'manager',
      customerRef,
      staffId: 'm1',
      passcode: '12345678',
    });
    expect(del.statusCode, del.body).toBe(202);
    const demo5 = demoShopper(demoPopulation(), 5).customerRef;
    // The demo shopper has a row once the duplicate check seeded the store's shoppers.
    const del5 = await b.t.request(http, 'POST', '/v1/shoppers/deletions', {
      via: 'manager',
      customerRef: demo5,
      staffId: 'm1',
      passcode: '12345678',
    });
    expect(del5.statusCode, del5.body).toBe(202);
    for (const l of [a, b]) {
      const records = await shardOf(l);
      expect(records.has(templateId)).toBe(false);
      expect(records.has(demoTemplateId(5))).toBe(false);
      expect(records.size).toBe(19);
    }
    // Shredded after the stored-payment window; a rebuilt snapshot (a new lane) leaves both out.
    await completeDeletions(cloud.db, Date.now() + 100 * 3_600_000);
    const rows = await cloud.db.query(
      'SELECT template_id FROM shoppers WHERE template_id = ANY($1)',
      [[templateId, demoTemplateId(5)]],
    );
    expect(rows.rows).toEqual([]);
    const c = await lane('lane-enrol-c');
    await cloud.demoShard!.settled();
    const fresh = await shardOf(c);
    expect(fresh.has(templateId)).toBe(false);
    expect(fresh.has(demoTemplateId(5))).toBe(false);
    expect(fresh.size).toBe(19);
  }, 180_000);
});
