import { addProduct, cartTotals, emptyCart } from '../../../common/cart';
import { storeProfile } from '../../../common/store-profile';
import { TerminalDatabase } from '../../../renderer/src/db/database';
import { completeSale } from '../../../renderer/src/db/sales';
import { startSyncEngine, type SyncEngine } from '../../../renderer/src/sync/engine';
import { loadIdentity } from '../../../renderer/src/sync/identity';
import { SyncStatus } from '../../../renderer/src/sync/SyncStatus';
import { ManagerView } from '../../../renderer/src/manager/ManagerView';
import { staffStrings } from '../../../renderer/src/i18n/staff-strings';
import { syncStrings } from '../../../renderer/src/i18n/sync-strings';
import i18next from 'i18next';
import { createRoot } from 'react-dom/client';
import { I18nextProvider, initReactI18next } from 'react-i18next';

/**
 * Runs in real Chromium, on a cross-origin-isolated page with the terminal's CSP: provisions,
 * completes a sale with the lead's completeSale, and waits until the engine has synced it.
 */
const US = storeProfile('us');
let engine: SyncEngine | null = null;
let database: TerminalDatabase | null = null;

async function run(cloudUrl: string, code: string, deadlineMs = 15_000): Promise<unknown> {
  const db = new TerminalDatabase('browser-sync-test');
  database = db;
  engine = startSyncEngine({
    db,
    cloudUrl,
    provisioningCode: code,
    deviceId: 'browser-lane',
    laneCode: 'L07',
    appVersion: 'browser-test',
    idlePollMs: 50,
  });
  const product = {
    id: 'p-juice',
    barcode: '4006381333931',
    name: 'Apple Juice',
    price: 199,
    taxClass: 'reduced' as const,
    minimumAge: 0,
    category: 'Drinks',
  };
  const cart = addProduct(emptyCart('USD'), product, 'line-1', 2);
  const total = cartTotals(cart, US.tax).total;
  await completeSale(db, {
    saleId: `browser-sale-${Date.now()}`,
    startedAt: new Date().toISOString(),
    cart,
    tenders: [
      { kind: 'cash', amount: total, given: total, change: { amount: 0, currency: 'USD' } },
    ],
    ageCheckedFor: 0,
    terminalId: 'browser-lane',
    laneCode: 'L07',
    locale: US.locale,
    tax: US.tax,
  });
  engine.nudge();
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const s = engine.state$.get();
    if (s.synced === 1 && s.pending + s.inFlight === 0 && s.lastPullAt && s.phase === 'idle') break;
    if (Date.now() > deadline) throw new Error(`not synced: ${s.phase} ${s.lastError ?? ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const identity = await loadIdentity(db);
  let exported = 'refused';
  try {
    await crypto.subtle.exportKey('jwk', identity!.privateKey);
    exported = 'exported';
  } catch {
    /* expected: the private key is not extractable */
  }
  return {
    isolated: globalThis.crossOriginIsolated,
    webLocks: 'locks' in navigator,
    phase: engine.state$.get().phase,
    storeName: engine.state$.get().storeName,
    keyExport: exported,
    catalog: await db.catalog.count(),
  };
}

/** Mounts the status badge and the manager view as the lead's shell would. */
async function mountManager(): Promise<void> {
  const i18n = i18next.createInstance();
  await i18n.use(initReactI18next).init({
    lng: 'en',
    resources: { en: { translation: { ...syncStrings.en, ...staffStrings.en } } },
    interpolation: { escapeValue: false },
  });
  const host = document.createElement('div');
  document.body.replaceChildren(host);
  createRoot(host).render(
    <I18nextProvider i18n={i18n}>
      <main>
        <footer aria-label="Status">
          <ul>
            <SyncStatus engine={engine} />
          </ul>
        </footer>
        <ManagerView db={database!} engine={engine} locale="en-US" />
      </main>
    </I18nextProvider>,
  );
}

Object.assign(globalThis, { runSync: run, mountManager });
