import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordMetaSchema, ShardError } from '../common/shard/format';
import type { ShardRecord } from '../common/shard/format';
import { openShard } from '../common/shard/open';
import type { OpenedShard } from '../common/shard/open';
import { deriveTransform } from '../common/shard/transform';
import { checkPhoneLast4 } from '../common/shard/shard-crypto';
import { thresholds } from '../common/shard/policy';
import type { PullResponse } from '../common/sync/protocol';
import {
  DEFAULT_DEMO_SHOPPERS,
  DEMO_POLICY,
  demoPhoneLast4,
  demoPopulation,
  demoShopper,
  demoShopperCount,
  demoShoppers,
  demoTemplateId,
  fitDemoPolicy,
} from './demo-shoppers';
import { startEmbeddedCloud, type EmbeddedCloud } from './embedded';
import { createStore } from './stores';
import { TestTerminal, type TestCloud } from './testing';

const subtle = globalThis.crypto.subtle;

describe('demo shoppers', () => {
  it('are the same records on every build, valid for the shard format', async () => {
    const a = demoShoppers(40);
    const b = demoShoppers(40, demoPopulation());
    expect(b).toEqual(a);
    expect(new Set(a.map((r) => r.customerRef)).size).toBe(40);
    const pop = demoPopulation();
    for (const [i, r] of a.entries()) {
      expect(r.templateId).toBe(demoTemplateId(i));
      expect(r.customerRef).toMatch(/^cus_[0-9a-f]{20}$/);
      // The template is the population's enrolment of subject i: what the emulator captures from.
      expect(r.templates).toEqual([pop.enrollTemplate(i)]);
      const { templates, ...meta } = r;
      expect(recordMetaSchema.safeParse({ ...meta, templates: templates.length }).success).toBe(
        true,
      );
      expect(await checkPhoneLast4(demoPhoneLast4(i), r.phoneLast4)).toBe(true);
    }
    // A mix, as a real store has: some age-verified, most with a loyalty id.
    const many = demoShoppers(400);
    const aged = many.filter((r) => r.ageVerified).length;
    const loyal = many.filter((r) => r.loyaltyId !== null).length;
    expect(aged).toBeGreaterThan(100);
    expect(aged).toBeLessThan(300);
    expect(loyal).toBeGreaterThan(200);
    expect(loyal).toBeLessThan(400);
    expect(() => demoShopper(pop, -1)).toThrow(RangeError);
  });

  it('DEMO_POLICY is what the committed fit procedure gives on the population', () => {
    expect(fitDemoPolicy()).toEqual(DEMO_POLICY);
    // And it separates the demo: at 2000 palms, accept lies well above step-up.
    const t = thresholds(DEMO_POLICY, DEFAULT_DEMO_SHOPPERS);
    expect(t.accept - t.stepUp).toBeGreaterThan(DEMO_POLICY.margin);
  });

  it('DEMO_SHOPPERS: unset is the default, 0 is none, anything else is refused by name', () => {
    expect(demoShopperCount(undefined)).toBe(DEFAULT_DEMO_SHOPPERS);
    expect(demoShopperCount(' ')).toBe(DEFAULT_DEMO_SHOPPERS);
    expect(demoShopperCount('0')).toBe(0);
    expect(demoShopperCount('500')).toBe(500);
    for (const bad of ['-1', '2.5', 'lots', '1e3', '100001'])
      expect(() => demoShopperCount(bad)).toThrow(/DEMO_SHOPPERS/);
  });
});

/** TestTerminal speaks to an app through `inject`; this one goes over HTTP to the embedded cloud. */
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
  readonly shardKeys: CryptoKeyPair;
}

describe('the demo cloud publishes the demo shard for its lanes', () => {
  const SHOPPERS = 30;
  let cloud: EmbeddedCloud;
  let http: TestCloud;
  const logged: string[] = [];

  beforeAll(async () => {
    cloud = await startEmbeddedCloud({
      demoShoppers: SHOPPERS,
      log: (l) => logged.push(l),
      logger: false,
    });
    http = overHttp(cloud);
  }, 60_000);
  afterAll(async () => {
    await cloud.close();
  });

  async function lane(name: string, storeId = cloud.demoStoreId): Promise<Lane> {
    const t = new TestTerminal(name);
    await t.provision(http, storeId);
    // As on a lane: ECDH P-256, the private key not extractable.
    const shardKeys = await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, [
      'deriveBits',
    ]);
    return { t, shardKeys };
  }

  async function register(l: Lane): Promise<void> {
    const jwk = await subtle.exportKey('jwk', l.shardKeys.publicKey);
    const res = await l.t.request(http, 'POST', '/v1/shard-key', {
      publicKey: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y },
    });
    expect(res.statusCode).toBe(204);
  }

  async function pull(l: Lane): Promise<PullResponse> {
    const res = await l.t.request(http, 'GET', '/v1/pull');
    expect(res.statusCode).toBe(200);
    return res.json<PullResponse>();
  }

  /** What the lane's matcher worker would load: the pulled chain, opened with its own keys. */
  async function openAsLane(l: Lane): Promise<Map<string, ShardRecord>> {
    return (await openShardAsLane(l)).records;
  }

  async function openShardAsLane(l: Lane): Promise<OpenedShard> {
    const page = await pull(l);
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
          Array.from({ length: p.chunkCount }, async (_, i) => {
            const res = await l.t.request(http, 'GET', `/v1/shard/${p.version}/chunks/${i}`);
            expect(res.statusCode).toBe(200);
            return new Uint8Array(res.rawPayload);
          }),
        ),
      })),
    );
    const opened = await openShard(parts, {
      store: cloud.demoStoreId,
      terminalId: l.t.terminalId,
      cloudKey,
      terminalKey: l.shardKeys.privateKey,
    });
    return opened;
  }

  const versions = async () =>
    (
      await cloud.db.query<{ version: number; kind: string }>(
        'SELECT version, kind FROM shard_parts WHERE store_id = $1 ORDER BY version',
        [cloud.demoStoreId],
      )
    ).rows;

  it('nothing before a lane registers; then a full snapshot the lane opens, with the policy', async () => {
    const a = await lane('lane-a');
    expect((await pull(a)).shard).toBeNull();
    expect(await versions()).toEqual([]);

    await register(a);
    // Published before the registration was answered: the very next pull lists it.
    expect(await versions()).toEqual([{ version: 1, kind: 'full' }]);
    const page = await pull(a);
    expect(page.settings?.matcher.policy).toEqual(DEMO_POLICY);
    const opened = await openShardAsLane(a);
    // The shard holds the demo shoppers with their templates under the store's transform.
    const rotation = await deriveTransform(cloud.demoStoreId, opened.transform);
    expect(opened.transform.generation).toBe(1);
    expect([...opened.records.values()]).toEqual(
      demoShoppers(SHOPPERS).map((r) => ({
        ...r,
        templates: r.templates.map((t) => rotation.apply(t)),
      })),
    );
    expect(logged.some((l) => /demo shard v1 \(full\): 30 shoppers for 1 lane/.test(l))).toBe(true);
  });

  it('a second lane gets a rekey wrapped for both; registering again changes nothing', async () => {
    const a = await lane('lane-a2');
    const b = await lane('lane-b');
    await register(a);
    await register(b);
    const before = await versions();
    expect(before.at(-1)?.kind).toBe('rekey');
    const latest = before.at(-1)!.version;
    // Every registered lane, the ones from the test above included, opens the same records.
    for (const l of [a, b]) expect((await openAsLane(l)).size).toBe(SHOPPERS);
    // Each snapshot rotates the transform: what leaked from an earlier one is revoked.
    expect((await openShardAsLane(a)).transform.generation).toBeGreaterThan(1);
    await register(b);
    expect((await cloud.demoShard!.reconcile()).published).toBeNull();
    expect((await versions()).at(-1)!.version).toBe(latest);
  });

  it('a revoked lane is left out of the next snapshot', async () => {
    const c = await lane('lane-c');
    const d = await lane('lane-d');
    await register(c);
    await register(d);
    const before = (await versions()).at(-1)!.version;
    const res = await fetch(`${cloud.url}/v1/admin/terminals/${d.t.terminalId}/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cloud.adminToken}` },
    });
    expect(res.status).toBe(200);
    // The revocation re-keyed the shard before it was answered: nothing is left to do.
    expect((await versions()).at(-1)).toEqual({ version: before + 1, kind: 'rekey' });
    expect((await cloud.demoShard!.reconcile()).published).toBeNull();
    const m = JSON.parse((await pull(c)).shard!.parts.at(-1)!.signed.manifest) as {
      keys: { terminalId: string }[];
    };
    expect(m.keys.map((k) => k.terminalId)).toContain(c.t.terminalId);
    expect(m.keys.map((k) => k.terminalId)).not.toContain(d.t.terminalId);
  });

  it('never for another store; a store policy an admin set is kept', async () => {
    await createStore(cloud.db, {
      id: 'other-store',
      name: 'Other',
      profileId: 'us',
    });
    const o = await lane('lane-o', 'other-store');
    await register(o);
    expect((await pull(o)).shard).toBeNull();
    expect((await pull(o)).settings?.matcher.policy).toBeUndefined();

    const own = { ...DEMO_POLICY, acceptFpir: 1e-5 };
    const put = await fetch(`${cloud.url}/v1/admin/stores/${cloud.demoStoreId}/settings`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${cloud.adminToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ matcher: { scoreThreshold: 0.82, minMargin: 0.06, policy: own } }),
    });
    expect(put.status).toBe(200);
    const e = await lane('lane-e');
    await register(e);
    expect((await pull(e)).settings?.matcher.policy).toEqual(own);
  });

  it('a policy that cannot be used is refused by the settings schema', async () => {
    const put = await fetch(`${cloud.url}/v1/admin/stores/${cloud.demoStoreId}/settings`, {
      method: 'PUT',
      headers: {
        authorization: `Bearer ${cloud.adminToken}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({
        matcher: {
          scoreThreshold: 0.82,
          minMargin: 0.06,
          policy: { ...DEMO_POLICY, stepUpFpir: 1e-6 },
        },
      }),
    });
    expect(put.status).toBe(400);
    expect(await put.text()).toMatch(/stepUpFpir/);
  });

  it('a lane without a key in the snapshot is refused by the opener (key)', async () => {
    const stranger = await lane('lane-x');
    // Provisioned, never registered: the feed's snapshot wraps nothing for it.
    await expect(openAsLane(stranger)).rejects.toSatisfy(
      (e) => e instanceof ShardError && e.reason === 'key',
    );
  });
});

describe('DEMO_SHOPPERS=0', () => {
  it('publishes nothing', async () => {
    const cloud = await startEmbeddedCloud({ demoShoppers: 0, logger: false });
    try {
      expect(cloud.demoShard).toBeNull();
      const http = overHttp(cloud);
      const t = new TestTerminal('lane-z');
      await t.provision(http, cloud.demoStoreId);
      // Against a shared PostgreSQL the demo store may hold earlier tests' chain: the feed must
      // be exactly what it was before this lane registered (with a fresh PGlite: none at all).
      const before = (await t.request(http, 'GET', '/v1/pull')).json<PullResponse>().shard;
      const jwk = await subtle.exportKey(
        'jwk',
        (await subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']))
          .publicKey,
      );
      const res = await t.request(http, 'POST', '/v1/shard-key', {
        publicKey: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y },
      });
      expect(res.statusCode).toBe(204);
      const page = (await t.request(http, 'GET', '/v1/pull')).json<PullResponse>();
      expect(page.shard).toEqual(before);
      if (!process.env.DATABASE_URL) expect(page.shard).toBeNull();
    } finally {
      await cloud.close();
    }
    // A whole embedded cloud starts here (migrations included): on a loaded two-core machine
    // that alone can pass the default 20 s.
  }, 60_000);
});
