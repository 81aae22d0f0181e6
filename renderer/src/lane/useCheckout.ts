import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { Cart } from '../../../common/cart';
import type { Product } from '../../../common/catalog';
import { pendingAgeLine } from '../../../common/checkout/context';
import type { CheckoutEvent } from '../../../common/checkout/checkout-events';
import { checkoutPhase, type CheckoutPhase } from '../../../common/checkout/phase';
import type { CheckoutSnapshot } from '../../../common/checkout/step';
import { DEFAULT_PALM_SETTINGS } from '../../../common/checkout/types';
import { activeLines } from '../../../common/cart';
import { useApp } from '../app-context';
import { productByBarcode } from '../db/catalog';
import { CheckoutDriver } from './checkout-driver';
import { holdWhile } from './render-hold';
import { lanePorts } from './checkout-ports';
import type { LanePalmPorts } from '../palm-pay/palm-ports';
import { ProblemError } from './errors';
import { isWalletCode } from '../../../common/wallet/code';

export interface PendingAgeCheck {
  readonly lineId: string;
  readonly name: string;
  readonly age: number;
}

/** The lane's view of the checkout machine, and the few actions that need more than an event. */
export interface Checkout {
  readonly snapshot: CheckoutSnapshot;
  readonly phase: CheckoutPhase;
  readonly cart: Cart;
  readonly saleId: string;
  readonly ageCheck: PendingAgeCheck | null;
  /** The sale holds the lane: items on it, or a tender, commit or ID check under way. */
  readonly saleInProgress: boolean;
  /** Palm pay is wired at this lane (its ports were given); off in the app until authorization is. */
  readonly palmEnabled: boolean;
  /** A lookup error to show under the scan field (the lane's own, not the machine's). */
  readonly error: string | null;
  setError(message: string | null): void;
  /**
   * Sends an event. A tender choice (PAY_*) made while scans are still being looked up waits for
   * them: a wedge scanner's codes and the cashier's F9 are taken in the order they were typed.
   */
  send(event: CheckoutEvent): void;
  can(event: CheckoutEvent): boolean;
  /** Scans entered but not yet on the sale (their product lookups still running). */
  scansPending(): boolean;
  /** Scanned or typed entry: "4006381333931", "3*4006381333931". Throws on a refusal. */
  enterBarcode(text: string): Promise<void>;
  addFromSearch(product: Product): void;
  /** Throw a ProblemError when the machine refuses the edit (nothing changes). */
  changeQuantity(lineId: string, quantity: number): void;
  voidLine(lineId: string): void;
  newSale(): void;
}

const newId = (): string => crypto.randomUUID();
const noSubscribe = () => () => {};

/** A payment between its match and its receipt: states that last a few milliseconds each. */
const inFlight = (s: CheckoutSnapshot) =>
  s.matches('committing') ||
  s.matches({ tender: { palm: 'matching' } }) ||
  s.matches({ tender: { palm: 'authorizing' } });

/**
 * Holds the checkout machine (common/checkout) for the lane: a CheckoutDriver runs its
 * commands through the host and Dexie, and this hook renders from its snapshot. Null until the
 * draft is loaded, so a reload never flashes an empty sale. The driver is created in an effect,
 * so React's double effects in development start one and dispose of the other before either
 * can touch a device.
 */
export function useCheckout(palm: LanePalmPorts | null = null): Checkout | null {
  const app = useApp();
  const appRef = useRef(app);
  appRef.current = app;
  const [driver, setDriver] = useState<CheckoutDriver | null>(null);
  const driverRef = useRef<CheckoutDriver | null>(null);
  driverRef.current = driver;
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const a = appRef.current;
    const d = new CheckoutDriver(
      {
        instanceId: newId().replaceAll('-', '').slice(0, 24),
        currency: a.profile.currency,
        tax: a.profile.tax,
        saleId: newId(),
        startedAt: new Date().toISOString(),
        cardWatchdogMs: a.settings.cardWatchdogMs,
        palm: palm ? DEFAULT_PALM_SETTINGS : null,
      },
      lanePorts(() => appRef.current, palm),
    );
    const off = a.host.onEvent((e) => d.hostEvent(e));
    setDriver(d);
    d.start();
    return () => {
      off();
      d.dispose();
    };
  }, [palm]);

  // While a payment is matched, authorized and committed, its states are not drawn unless one
  // lasts 100 ms: their renders would hold up the payment's own callbacks (render-hold.ts).
  // Everything else renders at once.
  const subscribe = useMemo(
    () =>
      driver ? holdWhile(driver.subscribe, () => inFlight(driver.getSnapshot())) : noSubscribe,
    [driver],
  );
  const snapshot = useSyncExternalStore(subscribe, () => driver?.getSnapshot() ?? null);

  /** Sends a cart edit; a refusal comes back as the machine's cartProblem and is thrown. */
  const edit = useCallback(
    (event: CheckoutEvent) => {
      if (!driver) return;
      const problem = driver.send(event).context.cartProblem;
      if (problem) throw new ProblemError(problem);
    },
    [driver],
  );

  // Scans are applied one after another in the order they were entered; a tender choice made
  // meanwhile waits behind them (see `send`).
  const scans = useRef<Promise<void>>(Promise.resolve());
  const pendingScans = useRef(0);

  const enterOne = useCallback(
    async (text: string) => {
      // A shopper's wallet payment code (never a product code: common/wallet/code.ts) pays the sale.
      if (isWalletCode(text)) {
        const d = driverRef.current;
        if (!d) return;
        const before = d.getSnapshot();
        if (!before.can({ type: 'WALLET_CODE', code: text }))
          throw new ProblemError({
            code: 'WALLET_CODE_NOT_NOW',
            message: 'Finish the sale (items, ID check) before the shopper shows a payment code',
          });
        d.send({ type: 'WALLET_CODE', code: text });
        return;
      }
      const m = /^\s*(\d{1,4})\s*[*xX]\s*(\S+)\s*$/.exec(text);
      const quantity = m ? Number(m[1]) : 1;
      const code = m ? m[2]! : text;
      const product = await productByBarcode(appRef.current.db, code);
      edit({ type: 'ADD_PRODUCT', product, quantity, lineId: newId() });
    },
    [edit],
  );

  const enterBarcode = useCallback(
    (text: string): Promise<void> => {
      pendingScans.current += 1;
      const run = scans.current.then(() => enterOne(text));
      const settled = run.then(
        () => undefined,
        () => undefined,
      );
      scans.current = settled.then(() => {
        pendingScans.current -= 1;
      });
      return run;
    },
    [enterOne],
  );

  return useMemo(() => {
    if (!driver || !snapshot || snapshot.matches('loading')) return null;
    const ctx = snapshot.context;
    const phase = checkoutPhase(snapshot);
    const line = phase === 'age-check' ? pendingAgeLine(ctx) : null;
    return {
      snapshot,
      phase,
      cart: ctx.cart,
      saleId: ctx.saleId,
      ageCheck: line ? { lineId: line.lineId, name: line.name, age: line.minimumAge } : null,
      saleInProgress:
        phase !== 'receipt' && (activeLines(ctx.cart).length > 0 || phase !== 'scanning'),
      palmEnabled: palm !== null,
      error,
      setError,
      send: (e) => {
        // Choosing or leaving a tender starts afresh: a scan error from before no longer applies.
        if (e.type === 'BACK' || e.type.startsWith('PAY_')) setError(null);
        if (e.type.startsWith('PAY_') && pendingScans.current > 0) {
          void scans.current.then(() => driverRef.current?.send(e));
          return;
        }
        driver.send(e);
      },
      can: (e) => snapshot.can(e),
      scansPending: () => pendingScans.current > 0,
      enterBarcode,
      addFromSearch: (product) =>
        edit({ type: 'ADD_PRODUCT', product, quantity: 1, lineId: newId() }),
      changeQuantity: (lineId, quantity) => edit({ type: 'SET_QUANTITY', lineId, quantity }),
      voidLine: (lineId) => edit({ type: 'VOID_LINE', lineId }),
      newSale: () => {
        setError(null);
        driver.send({ type: 'NEW_SALE', saleId: newId(), startedAt: new Date().toISOString() });
      },
    } satisfies Checkout;
  }, [driver, snapshot, error, edit, enterBarcode, palm]);
}
