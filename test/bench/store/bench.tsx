import Dexie from 'dexie';
import { createRoot } from 'react-dom/client';
import { addProduct, cartTotals, emptyCart } from '../../../common/cart';
import { demoCatalog } from '../../../common/demo-catalog';
import { money } from '../../../common/money';
import type { Sale } from '../../../common/sale';
import { storeProfile } from '../../../common/store-profile';
import { AppContext, type AppServices } from '../../../renderer/src/app-context';
import { TerminalDatabase } from '../../../renderer/src/db/database';
import { completeSale } from '../../../renderer/src/db/sales';
import { HistoryView } from '../../../renderer/src/history/HistoryView';
import { initI18n } from '../../../renderer/src/i18n';

/**
 * Runs in Chromium (driven by run.ts): time to commit a completed sale (sale + outbox + audit,
 * strict durability) with N earlier sales on disk, against a peer measured in the same run: one
 * raw IndexedDB put of the same sale object into a single store, also strict. Then the time to
 * render the sale history (newest 200 rows) against the raw query alone.
 */
const us = storeProfile('us');
const catalog = demoCatalog(us);
const COMMITS = 200;
const RENDERS = 15;

function sampleSale(i: number): Sale {
  let cart = emptyCart('USD');
  for (let k = 0; k < 5; k++)
    cart = addProduct(cart, catalog[(i * 7 + k * 13) % catalog.length]!, `l${i}-${k}`);
  const totals = cartTotals(cart, us.tax);
  const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString();
  return {
    id: `old-${i}`,
    receiptNo: `L01-${String(i).padStart(6, '0')}`,
    terminalId: 'bench',
    currency: 'USD',
    locale: 'en-US',
    lines: cart.lines,
    totals,
    tenders: [{ kind: 'cash', amount: totals.total, given: totals.total, change: money(0, 'USD') }],
    ageCheckedFor: 0,
    startedAt: at,
    completedAt: at,
  };
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

async function rawPeer(n: number, sales: Sale[]): Promise<number[]> {
  const name = `raw-peer-${n}`;
  await Dexie.delete(name);
  const db: IDBDatabase = await new Promise((res, rej) => {
    const r = indexedDB.open(name, 1);
    r.onupgradeneeded = () => r.result.createObjectStore('sales', { keyPath: 'id' });
    r.onsuccess = () => res(r.result);
    r.onerror = () => rej(r.error);
  });
  const times: number[] = [];
  for (const s of sales) {
    const t0 = performance.now();
    await new Promise<void>((res, rej) => {
      const tx = db.transaction('sales', 'readwrite', { durability: 'strict' });
      tx.objectStore('sales').put(s);
      tx.oncomplete = () => res();
      tx.onerror = () => rej(tx.error);
    });
    times.push(performance.now() - t0);
  }
  db.close();
  await Dexie.delete(name);
  return times;
}

async function run(n: number) {
  const name = `bench-store-${n}`;
  await Dexie.delete(name);
  const db = new TerminalDatabase(name);
  const t0 = performance.now();
  for (let i = 0; i < n; i += 2000) {
    const chunk = Array.from({ length: Math.min(2000, n - i) }, (_, k) => sampleSale(i + k));
    await db.transaction('rw', [db.sales, db.outbox, db.settings], async () => {
      await db.sales.bulkAdd(chunk);
      await db.outbox.bulkAdd(
        chunk.map((s, k) => ({
          mutationId: i + k + 1,
          kind: 'sale.completed' as const,
          payload: s,
          createdAt: s.completedAt,
          status: 'synced' as const,
          attempts: 1,
        })),
      );
      await db.settings.put({
        key: 'counters',
        value: { nextMutationId: i + chunk.length + 1, nextReceiptNo: i + chunk.length + 1 },
      });
    });
  }
  const seedMs = performance.now() - t0;

  const commit: number[] = [];
  const fresh = Array.from({ length: COMMITS }, (_, i) => ({
    ...sampleSale(n + i),
    id: `new-${n}-${i}`,
  }));
  for (const s of fresh) {
    const t = performance.now();
    await completeSale(db, {
      saleId: s.id,
      startedAt: s.startedAt,
      cart: { currency: 'USD', lines: s.lines },
      tenders: s.tenders,
      ageCheckedFor: 0,
      terminalId: 'bench',
      laneCode: 'L01',
      locale: 'en-US',
      tax: us.tax,
    });
    commit.push(performance.now() - t);
  }
  const peer = await rawPeer(n, fresh);

  // History: newest 200 rows rendered by the real component, vs the same query alone.
  const services = { db, profile: us } as unknown as AppServices;
  const render: number[] = [];
  const query: number[] = [];
  for (let r = 0; r < RENDERS; r++) {
    const q0 = performance.now();
    await db.sales.orderBy('completedAt').reverse().limit(200).toArray();
    query.push(performance.now() - q0);
    const host = document.createElement('div');
    document.body.append(host);
    const root = createRoot(host);
    const r0 = performance.now();
    root.render(
      <AppContext.Provider value={services}>
        <HistoryView />
      </AppContext.Provider>,
    );
    while (host.querySelectorAll('[data-testid=history-row]').length < 200)
      await new Promise((res) => requestAnimationFrame(() => res(null)));
    render.push(performance.now() - r0);
    root.unmount();
    host.remove();
  }
  db.close();
  await Dexie.delete(name);
  return {
    n,
    seedMs: Math.round(seedMs),
    commitP50Ms: pct(commit, 50),
    commitP95Ms: pct(commit, 95),
    peerP50Ms: pct(peer, 50),
    peerP95Ms: pct(peer, 95),
    historyRenderP50Ms: pct(render, 50),
    historyRenderP95Ms: pct(render, 95),
    historyQueryP50Ms: pct(query, 50),
  };
}

async function main() {
  await initI18n('en-US');
  const sizes = new URLSearchParams(location.search).get('n')?.split(',').map(Number) ?? [
    10_000, 100_000,
  ];
  const rows = [];
  for (const n of sizes) rows.push(await run(n));
  (window as unknown as { __bench: unknown }).__bench = { ok: true, rows };
}

main().catch((e: unknown) => {
  (window as unknown as { __bench: unknown }).__bench = { ok: false, error: String(e) };
});
