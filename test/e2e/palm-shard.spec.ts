import { expect, test, type Page } from '@playwright/test';
import {
  buildShardPart,
  generateTransformKey,
  generateShardKey,
  generateSigningKeyPair,
  hashPhoneLast4,
} from '../../cloud/shard/builder';
import { createPopulation } from '../../common/palm/population';
import type { ShardRecord } from '../../common/shard/format';
import type { ShardPart } from '../../common/shard/open';
import { cartLines, openLane, product, shot, wedgeScan } from './support';

/** The store's template transform the shards here are built under. */
const TRANSFORM = generateTransformKey(1);

/**
 * Palm pay in a real browser: a shard built by the cloud-side builder for this lane's own key,
 * written into the lane's `palm-shard` IndexedDB, loaded by the matcher worker on reload. Then
 * every place a page can keep bytes is searched for template plaintext; and a tampered chunk
 * leaves palm pay unavailable while cash still works.
 */
const STORE = 'store-e2e';
const TERMINAL = 'terminal-e2e';
const subtle = globalThis.crypto.subtle;

const palmPay = (page: Page) => page.getByTestId('palm-pay-status');

/** The lane's ECDH public key, as the palm-shard database created it on first load. */
async function lanePublicKey(page: Page): Promise<CryptoKey> {
  const jwk = await page.evaluate(
    () =>
      new Promise<JsonWebKey>((resolve, reject) => {
        const req = indexedDB.open('palm-shard');
        req.onerror = () => reject(req.error);
        req.onsuccess = () => {
          const get = req.result
            .transaction('terminalKey')
            .objectStore('terminalKey')
            .get('terminal');
          get.onerror = () => reject(get.error);
          get.onsuccess = () => {
            const pair = (get.result as { keyPair: CryptoKeyPair }).keyPair;
            if (pair.privateKey.extractable) reject(new Error('the private key is extractable'));
            req.result.close();
            crypto.subtle.exportKey('jwk', pair.publicKey).then(resolve, reject);
          };
        };
      }),
  );
  return subtle.importKey('jwk', jwk, { name: 'ECDH', namedCurve: 'P-256' }, true, []);
}

async function buildShard(page: Page, count: number, chunkRecords: number) {
  const population = createPopulation({ seed: 4242 });
  const phone = await hashPhoneLast4('1234');
  const records: ShardRecord[] = Array.from({ length: count }, (_, i) => ({
    templateId: `tpl-${i}`,
    customerRef: `cust-${i}`,
    templates: [population.enrollTemplate(i)],
    ageVerified: i % 2 === 0,
    loyaltyId: null,
    limits: { currency: 'USD', perPayment: 10_000, perDay: 50_000 },
    phoneLast4: phone,
  }));
  const signing = await generateSigningKeyPair();
  const part = await buildShardPart({
    store: STORE,
    version: 1,
    kind: 'full',
    shardKey: await generateShardKey('k1'),
    transform: TRANSFORM,
    recipients: [{ terminalId: TERMINAL, publicKey: await lanePublicKey(page) }],
    adds: records,
    chunkRecords,
    signingKey: signing.privateKey,
  });
  const verifyKey = await subtle.exportKey('jwk', signing.publicKey);
  return { records, part, verifyKey };
}

/**
 * Writes the shard part into `palm-shard` (Dexie schema: manifests by version, chunks by
 * [version+index]) and what provisioning and pull leave in `palm-terminal`'s settings: the
 * lane's identity and the shard feed carrying the cloud's verification key.
 */
async function installShard(page: Page, part: ShardPart, verifyKey: JsonWebKey): Promise<void> {
  const chunks = part.chunks.map((c) => Buffer.from(c).toString('base64'));
  await page.evaluate(
    async ({ signed, chunks, verifyKey, store, terminalId }) => {
      const open = (name: string) =>
        new Promise<IDBDatabase>((resolve, reject) => {
          const req = indexedDB.open(name);
          req.onsuccess = () => resolve(req.result);
          req.onerror = () => reject(req.error);
        });
      const done = (tx: IDBTransaction) =>
        new Promise<void>((resolve, reject) => {
          tx.oncomplete = () => resolve();
          tx.onerror = () => reject(tx.error);
        });
      const unbase64 = (s: string) => Uint8Array.from(atob(s), (ch) => ch.charCodeAt(0));
      const shardDb = await open('palm-shard');
      const tx = shardDb.transaction(['manifests', 'chunks'], 'readwrite');
      tx.objectStore('manifests').put({ version: 1, signed });
      chunks.forEach((c, index) =>
        tx.objectStore('chunks').put({ version: 1, index, ciphertext: unbase64(c) }),
      );
      await done(tx);
      shardDb.close();
      const signingKey = await crypto.subtle.generateKey(
        { name: 'ECDSA', namedCurve: 'P-256' },
        false,
        ['sign'],
      );
      const terminalDb = await open('palm-terminal');
      const tx2 = terminalDb.transaction('settings', 'readwrite');
      tx2.objectStore('settings').put({
        key: 'sync-identity',
        value: {
          cloudUrl: 'http://127.0.0.1:9/',
          terminalId,
          storeId: store,
          storeName: 'E2E store',
          deviceId: 'device-e2e',
          laneCode: 'L1',
          privateKey: signingKey.privateKey,
          provisionedAt: new Date().toISOString(),
        },
      });
      tx2.objectStore('settings').put({ key: 'shard-feed', value: { verifyKey, parts: [] } });
      await done(tx2);
      terminalDb.close();
    },
    { signed: part.signed, chunks, verifyKey, store: STORE, terminalId: TERMINAL },
  );
}

/**
 * Searches every IndexedDB database, store and record (binary values included, and strings as
 * latin-1, base64 and hex), localStorage, sessionStorage, the DOM and the JS-visible globals for
 * any of the needles. Returns where each was found.
 */
async function findPlaintext(page: Page, needles: number[][], control?: number[]) {
  return page.evaluate(
    async ({ needles, control }) => {
      const hex = (b: number[]) => b.map((x) => x.toString(16).padStart(2, '0')).join('');
      const b64 = (b: number[]) => btoa(String.fromCharCode(...b));
      const needleBytes = needles.map((n) => Uint8Array.from(n, (x) => x & 0xff));
      const needleText = needles.flatMap((n) => [
        String.fromCharCode(...n.map((x) => x & 0xff)),
        hex(n.map((x) => x & 0xff)),
        b64(n.map((x) => x & 0xff)),
        n.join(','),
      ]);
      const hits: string[] = [];
      let scannedBytes = 0;
      const hasBytes = (hay: Uint8Array, needle: Uint8Array) => {
        outer: for (let i = 0; i + needle.length <= hay.length; i++) {
          for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
          return true;
        }
        return false;
      };
      const seen = new WeakSet<object>();
      const walk = (v: unknown, where: string, depth: number): void => {
        if (typeof v === 'string') {
          if (needleText.some((t) => v.includes(t))) hits.push(where);
          return;
        }
        if (v === null || typeof v !== 'object' || depth > 8) return;
        if (seen.has(v)) return;
        seen.add(v);
        if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
          const bytes =
            v instanceof ArrayBuffer
              ? new Uint8Array(v)
              : new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
          scannedBytes += bytes.length;
          if (needleBytes.some((n) => hasBytes(bytes, n))) hits.push(where);
          return;
        }
        if (v instanceof Node || v instanceof Window) return; // the DOM is searched as text
        let entries: [string, unknown][] = [];
        try {
          entries =
            v instanceof Map
              ? [...v.entries()].map(([k, x]) => [String(k), x])
              : Object.entries(v as object);
        } catch {
          return;
        }
        for (const [k, x] of entries) walk(x, `${where}.${k}`, depth + 1);
      };
      const request = <T>(r: IDBRequest<T>) =>
        new Promise<T>((resolve, reject) => {
          r.onsuccess = () => resolve(r.result);
          r.onerror = () => reject(r.error);
        });

      if (control) walk({ nested: [new Int8Array(control)] }, 'control', 0);
      const dbs = await indexedDB.databases();
      for (const info of dbs) {
        const db = await request(indexedDB.open(info.name!));
        for (const store of Array.from(db.objectStoreNames)) {
          const os = db.transaction(store).objectStore(store);
          const [keys, values] = await Promise.all([
            request(os.getAllKeys()),
            request(os.getAll()),
          ]);
          walk(keys, `idb:${info.name}/${store}#keys`, 0);
          walk(values, `idb:${info.name}/${store}`, 0);
        }
        db.close();
      }
      for (const [name, storage] of [
        ['localStorage', localStorage],
        ['sessionStorage', sessionStorage],
      ] as const)
        for (let i = 0; i < storage.length; i++) {
          const k = storage.key(i)!;
          walk(`${k}=${storage.getItem(k)}`, `${name}:${k}`, 0);
        }
      walk(document.documentElement.outerHTML, 'dom', 0);
      for (const k of Object.getOwnPropertyNames(window)) {
        let v: unknown;
        try {
          v = (window as unknown as Record<string, unknown>)[k];
        } catch {
          continue;
        }
        walk(v, `window.${k}`, 0);
      }
      return { hits, databases: dbs.map((d) => d.name), scannedBytes };
    },
    { needles, control },
  );
}

test('a 1,000-palm shard loads into the worker, and no template plaintext is left in the page', async ({
  page,
}) => {
  await openLane(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await expect(palmPay(page)).toHaveAttribute('data-state', 'no-shard');
  await expect(palmPay(page)).toContainText('Palm pay: no customers loaded');

  const { records, part, verifyKey } = await buildShard(page, 1000, 100);
  await installShard(page, part, verifyKey);
  // Record every palm-pay progress bar the lane shows while it loads (too quick to poll for).
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { palmProgress: string[] }).palmProgress = seen;
    new MutationObserver(() => {
      for (const p of Array.from(
        document.querySelectorAll('[data-testid="palm-pay-status"] progress'),
      ))
        seen.push(
          `${p.getAttribute('aria-label')}|${p.getAttribute('value')}/${p.getAttribute('max')}`,
        );
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  await page.reload();
  await expect(palmPay(page)).toHaveAttribute('data-state', 'ready', { timeout: 20_000 });
  const progress = await page.evaluate(
    () => (window as unknown as { palmProgress: string[] }).palmProgress,
  );
  expect(progress.length).toBeGreaterThan(0);
  expect(progress.every((p) => p.startsWith('Loading palm customers|'))).toBe(true);
  // Counts out of 11 chunks: the transform, then 10 of 100 records.
  expect(progress.some((p) => /\|\d+\/11$/.test(p))).toBe(true);
  await expect(palmPay(page)).toContainText('Palm pay: ready (1000 palms)');
  await shot(page, 'palm-shard-ready');

  // 32-byte windows at several offsets of several templates, first and last included.
  const needles = [0, 1, 499, 998, 999].flatMap((i) =>
    [0, 200, 480].map((o) => Array.from(records[i]!.templates[0]!.subarray(o, o + 32))),
  );
  // The search itself can find a template: a planted copy is reported.
  const control = await findPlaintext(page, needles, Array.from(records[7]!.templates[0]!));
  expect(control.hits).toEqual([]); // record 7 is not among the needles…
  const planted = await findPlaintext(
    page,
    needles.slice(0, 1),
    Array.from(records[0]!.templates[0]!),
  );
  expect(planted.hits).toEqual(['control.nested.0']); // …record 0 is, and only the plant has it

  const found = await findPlaintext(page, needles);
  expect(found.databases).toEqual(expect.arrayContaining(['palm-shard', 'palm-terminal']));
  expect(found.scannedBytes).toBeGreaterThan(1000 * 512); // the ciphertext itself was scanned
  expect(found.hits).toEqual([]);
});

test('a tampered chunk leaves palm pay unavailable with the reason; cash still works', async ({
  page,
}) => {
  await openLane(page);
  await expect(palmPay(page)).toHaveAttribute('data-state', 'no-shard');
  const { part, verifyKey } = await buildShard(page, 50, 10);
  const chunks = part.chunks.map((c) => c.slice());
  chunks[3]![100]! ^= 0x01;
  await installShard(page, { signed: part.signed, chunks }, verifyKey);
  await page.reload();
  await expect(palmPay(page)).toHaveAttribute('data-state', 'unavailable', { timeout: 20_000 });
  await expect(palmPay(page)).toContainText('a shard chunk was altered or is missing');
  await expect(palmPay(page)).toContainText('cash and card work as usual');
  await expect(palmPay(page)).toHaveAttribute('title', /chunk 3/);
  await shot(page, 'palm-shard-tampered');

  const chips = product('Potato Chips 8 oz');
  await wedgeScan(page, [chips.barcode]);
  await expect(cartLines(page)).toHaveCount(1);
  await page.keyboard.press('F8');
  await page.getByLabel('Cash received').fill('20.00');
  await page.getByLabel('Cash received').press('Enter');
  await expect(page.getByRole('heading', { name: 'Sale complete' })).toBeVisible();
});
