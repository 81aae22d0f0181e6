// The browser half of `npm run bench:shard-load` (test/matcher/shard-load.ts serves it through
// Vite). In a cross-origin-isolated page it builds an N-record shard for this page's own terminal
// key with the cloud-side builder, stores it in the `palm-shard` Dexie database, then times, per
// run: the matcher worker from `load` to `ready` (Dexie read, signature, unwrap, AES-GCM decrypt,
// decode, kernel self-test, gallery copy into wasm memory) and, as peers in the same run, reading
// the same ciphertext rows from Dexie without decrypting, and AES-GCM decrypting those bytes alone.
import {
  buildShardPart,
  generateTransformKey,
  generateShardKey,
  generateSigningKeyPair,
  hashPhoneLast4,
} from '../../cloud/shard/builder';
import { decodeChunk } from '../../common/shard/chunk';
import { chunkAad } from '../../common/shard/shard-crypto';
import { parseManifestText } from '../../common/shard/format';
import type { ShardRecord } from '../../common/shard/format';
import { MatcherClient } from '../../renderer/src/matcher/client';
import type { MatcherState } from '../../renderer/src/matcher/client';
import { buildGallery } from '../../renderer/src/matcher/gallery';
import { ShardDatabase } from '../../renderer/src/shard/shard-db';
import { loadShard } from '../../renderer/src/matcher/shard-loader';
import { browserKernelSource } from '../../wasm/loader/browser';
import { Matcher } from '../../wasm/loader/kernel';
import { selectKernel } from '../../wasm/loader/select';

/** The store's template transform the shards here are built under. */
const TRANSFORM = generateTransformKey(1);

export interface ShardLoadResult {
  readonly userAgent: string;
  readonly crossOriginIsolated: boolean;
  readonly n: number;
  readonly chunks: number;
  readonly ciphertextBytes: number;
  readonly buildMs: number;
  readonly loadMs: number[];
  readonly readMs: number[];
  readonly decryptMs: number[];
  readonly decodeMs: number[];
  /** The worker's steps replayed on the page's thread, last run: where the time goes. */
  readonly phasesMs: Record<string, number>;
  readonly progressEvents: number;
  readonly templates: number;
  readonly variant: string;
  readonly report: string;
  /** Memory of the page's workers once ready (measureUserAgentSpecificMemory), per run, MB. */
  readonly workerMB: (number | null)[];
}

interface MemoryBreakdown {
  bytes: number;
  attribution: { scope?: string; url?: string }[];
}

/** Bytes held by dedicated workers (the matcher worker and its pool helpers), or null. */
async function workerBytes(): Promise<number | null> {
  const p = performance as unknown as {
    measureUserAgentSpecificMemory?: () => Promise<{ breakdown: MemoryBreakdown[] }>;
  };
  if (!p.measureUserAgentSpecificMemory) return null;
  const m = await p.measureUserAgentSpecificMemory();
  return m.breakdown
    .filter((b) => b.attribution.some((a) => a.scope === 'DedicatedWorkerGlobalScope'))
    .reduce((s, b) => s + b.bytes, 0);
}

function randomTemplate(): Int8Array {
  const t = new Int8Array(512);
  crypto.getRandomValues(t);
  for (let i = 0; i < t.length; i++) if (t[i] === -128) t[i] = -127; // PT1 is −127..127
  return t;
}

function loadOnce(
  store: string,
  terminalId: string,
  cloudKey: JsonWebKey,
): Promise<{
  ms: number;
  progress: number;
  templates: number;
  variant: string;
  report: string;
  workerMB: number | null;
}> {
  return new Promise((resolve, reject) => {
    let progress = 0;
    const t0 = performance.now();
    const client = new MatcherClient((s: MatcherState) => {
      if (s.kind === 'loading') progress++;
      else if (s.kind === 'ready') {
        const ms = performance.now() - t0;
        const ready = {
          ms,
          progress,
          templates: s.templates,
          variant: s.variant,
          report: s.report,
        };
        // Measured while the worker holds the gallery, then it goes.
        workerBytes().then(
          (bytes) => {
            client.terminate();
            resolve({ ...ready, workerMB: bytes === null ? null : bytes / 1e6 });
          },
          (e: unknown) => {
            client.terminate();
            reject(e instanceof Error ? e : new Error(String(e)));
          },
        );
      } else {
        client.terminate();
        reject(new Error(`${s.reason}: ${s.message}`));
      }
    });
    client.load(store, terminalId, cloudKey);
  });
}

async function run(o: {
  n: number;
  runs: number;
  layout: 'binary' | 'json';
}): Promise<ShardLoadResult> {
  const store = 'bench-store';
  const terminalId = 'bench-terminal';
  await new ShardDatabase().delete();
  const db = new ShardDatabase();
  const t0 = performance.now();
  const phone = await hashPhoneLast4('0000');
  const records: ShardRecord[] = Array.from({ length: o.n }, (_, i) => ({
    templateId: `t${i}`,
    customerRef: `c${i}`,
    templates: [randomTemplate()],
    ageVerified: true,
    loyaltyId: null,
    limits: { currency: 'USD', perPayment: 10_000, perDay: 50_000 },
    phoneLast4: phone,
  }));
  const signing = await generateSigningKeyPair();
  const shardKey = await generateShardKey('k1');
  const part = await buildShardPart({
    store,
    version: 1,
    kind: 'full',
    shardKey,
    transform: TRANSFORM,
    recipients: [{ terminalId, publicKey: (await db.terminalKeyPair()).publicKey }],
    adds: records,
    layout: o.layout,
    signingKey: signing.privateKey,
  });
  await db.storePart(1, 'full', part.signed, part.chunks);
  db.close();
  const buildMs = performance.now() - t0;
  const cloudKey = await crypto.subtle.exportKey('jwk', signing.publicKey);
  const manifest = parseManifestText(part.signed.manifest);

  const loadMs: number[] = [];
  const workerMB: (number | null)[] = [];
  const readMs: number[] = [];
  const decryptMs: number[] = [];
  const decodeMs: number[] = [];
  let last = { progress: 0, templates: 0, variant: '', report: '' };
  for (let r = 0; r < o.runs; r++) {
    const load = await loadOnce(store, terminalId, cloudKey);
    loadMs.push(load.ms);
    workerMB.push(load.workerMB);
    last = load;

    // Peer 1: the same Dexie queries the loader makes, bytes only.
    let t = performance.now();
    const rdb = new ShardDatabase();
    const manifests = await rdb.manifests.orderBy('version').toArray();
    const rows = await rdb.chunks.where('version').equals(manifests[0]!.version).sortBy('index');
    rdb.close();
    readMs.push(performance.now() - t);

    // Peer 2: AES-GCM over those bytes alone (key in hand, no signature, unwrap or decode).
    t = performance.now();
    const plains: Uint8Array[] = [];
    for (const ref of manifest.chunks) {
      const iv = Uint8Array.from(atob(ref.iv), (c) => c.charCodeAt(0));
      const plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv, additionalData: chunkAad(manifest, ref), tagLength: 128 },
        shardKey.key,
        rows[ref.index]!.ciphertext,
      );
      plains.push(new Uint8Array(plain));
    }
    decryptMs.push(performance.now() - t);

    // Peer 3: decoding and checking the plaintexts alone: the step the chunk layout decides.
    t = performance.now();
    let decoded = 0;
    for (const p of plains) {
      const body = decodeChunk(p);
      if (body.kind === 'records') decoded += body.records.length;
    }
    if (decoded !== o.n) throw new Error(`decoded ${decoded} records, not ${o.n}`);
    decodeMs.push(performance.now() - t);
  }
  const phasesMs: Record<string, number> = {};
  let t = performance.now();
  const lap = (name: string) => {
    const now = performance.now();
    phasesMs[name] = now - t;
    t = now;
  };
  const verify = await crypto.subtle.importKey(
    'jwk',
    cloudKey,
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['verify'],
  );
  const ticks: number[] = [];
  const shard = await loadShard(new ShardDatabase(), {
    store,
    terminalId,
    cloudKey: verify,
    onProgress: () => ticks.push(performance.now()),
  });
  phasesMs['until first chunk decoded'] = ticks[0]! - t;
  lap('read+verify+decrypt+decode');
  const gallery = buildGallery(shard.records.values());
  lap('gallery');
  const choice = await selectKernel(browserKernelSource, 'auto');
  lap('kernel select+self-test+calibrate');
  await Matcher.create(choice.module, choice.variant, gallery.rows);
  lap('matcher create');
  return {
    phasesMs,
    userAgent: navigator.userAgent,
    crossOriginIsolated,
    n: o.n,
    chunks: part.chunks.length,
    ciphertextBytes: part.chunks.reduce((s, c) => s + c.length, 0),
    buildMs,
    loadMs,
    readMs,
    decryptMs,
    decodeMs,
    progressEvents: last.progress,
    templates: last.templates,
    variant: last.variant,
    report: last.report,
    workerMB,
  };
}

(globalThis as unknown as { shardLoadBench: typeof run }).shardLoadBench = run;
