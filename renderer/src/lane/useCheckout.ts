import { useCallback, useEffect, useRef, useState } from 'react';
import {
  addProduct,
  emptyCart,
  activeLines,
  setQuantity,
  voidLine,
  type Cart,
} from '../../../common/cart';
import type { Product } from '../../../common/catalog';
import type { Sale, Tender } from '../../../common/sale';
import { useApp } from '../app-context';
import { productByBarcode } from '../db/catalog';
import { clearDraft, completeSale, loadDraft, saveDraft } from '../db/sales';

export type Phase =
  | { kind: 'scanning' }
  | { kind: 'cash' }
  | { kind: 'card'; resumePaymentId?: string }
  | { kind: 'receipt'; sale: Sale };

export interface PendingAgeCheck {
  readonly lineId: string;
  readonly name: string;
  readonly age: number;
}

export interface Checkout {
  readonly ready: boolean;
  readonly cart: Cart;
  readonly saleId: string;
  readonly phase: Phase;
  readonly ageCheck: PendingAgeCheck | null;
  readonly error: string | null;
  setError(message: string | null): void;
  /** Scanned or typed entry: "4006381333931", "3*4006381333931". Throws DomainErrors. */
  enterBarcode(text: string): Promise<void>;
  addFromSearch(product: Product): void;
  changeQuantity(lineId: string, quantity: number): void;
  voidLine(lineId: string): void;
  confirmAge(): void;
  refuseAge(): void;
  goTo(phase: 'scanning' | 'cash' | 'card'): void;
  setPendingCard(paymentId: string | null): void;
  complete(tenders: Tender[]): Promise<Sale>;
  newSale(): void;
}

const newId = (): string => crypto.randomUUID();

/**
 * The lane's checkout state: the cart, the phase (scanning → tender → receipt) and the age
 * check. Every cart change is written to the drafts table, so a reload resumes the sale; the
 * completed sale is written by completeSale() in one transaction.
 */
export function useCheckout(): Checkout {
  const app = useApp();
  const { db, profile } = app;
  const [ready, setReady] = useState(false);
  const [cart, setCart] = useState<Cart>(() => emptyCart(profile.currency));
  const [phase, setPhase] = useState<Phase>({ kind: 'scanning' });
  const [ageCheck, setAgeCheck] = useState<PendingAgeCheck | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Refs hold the latest values for queued scans, which run after earlier ones resolve.
  const cartRef = useRef(cart);
  const saleRef = useRef({
    saleId: newId(),
    startedAt: new Date().toISOString(),
    ageCheckedFor: 0,
  });
  const pendingCardRef = useRef<string | undefined>(undefined);
  const [saleId, setSaleId] = useState(saleRef.current.saleId);

  const persist = useCallback(
    (next: Cart) => {
      const s = saleRef.current;
      if (next.lines.length === 0) return clearDraft(db);
      return saveDraft(db, {
        saleId: s.saleId,
        startedAt: s.startedAt,
        cart: next,
        ageCheckedFor: s.ageCheckedFor,
        pendingCardPaymentId: pendingCardRef.current,
      });
    },
    [db],
  );

  const update = useCallback(
    (fn: (c: Cart) => Cart) => {
      const next = fn(cartRef.current); // throws on bad input: nothing changes, nothing written
      cartRef.current = next;
      setCart(next);
      void persist(next);
      return next;
    },
    [persist],
  );

  // Restore a sale in progress after a reload or a crash.
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      const draft = await loadDraft(db);
      if (cancelled) return;
      if (draft && draft.cart.currency === profile.currency && draft.cart.lines.length > 0) {
        saleRef.current = {
          saleId: draft.saleId,
          startedAt: draft.startedAt,
          ageCheckedFor: draft.ageCheckedFor,
        };
        pendingCardRef.current = draft.pendingCardPaymentId;
        cartRef.current = draft.cart;
        setCart(draft.cart);
        setSaleId(draft.saleId);
        if (draft.pendingCardPaymentId)
          setPhase({ kind: 'card', resumePaymentId: draft.pendingCardPaymentId });
      } else {
        const empty = emptyCart(profile.currency);
        cartRef.current = empty;
        setCart(empty);
      }
      setReady(true);
    })();
    return () => {
      cancelled = true;
    };
  }, [db, profile.currency]);

  const addProductLine = useCallback(
    (product: Product, quantity: number) => {
      const lineId = newId();
      const next = update((c) => addProduct(c, product, lineId, quantity));
      const line = next.lines.at(-1);
      if (product.minimumAge > saleRef.current.ageCheckedFor && line) {
        setAgeCheck({ lineId: line.lineId, name: product.name, age: product.minimumAge });
      }
    },
    [update],
  );

  const enterBarcode = useCallback(
    async (text: string) => {
      const m = /^\s*(\d{1,4})\s*[*xX]\s*(\S+)\s*$/.exec(text);
      const quantity = m ? Number(m[1]) : 1;
      const code = m ? m[2]! : text;
      const product = await productByBarcode(db, code);
      addProductLine(product, quantity);
    },
    [db, addProductLine],
  );

  const newSale = useCallback(() => {
    saleRef.current = { saleId: newId(), startedAt: new Date().toISOString(), ageCheckedFor: 0 };
    pendingCardRef.current = undefined;
    const empty = emptyCart(profile.currency);
    cartRef.current = empty;
    setCart(empty);
    setSaleId(saleRef.current.saleId);
    setAgeCheck(null);
    setError(null);
    setPhase({ kind: 'scanning' });
  }, [profile.currency]);

  return {
    ready,
    cart,
    saleId,
    phase,
    ageCheck,
    error,
    setError,
    enterBarcode,
    addFromSearch: (product) => addProductLine(product, 1),
    changeQuantity: (lineId, quantity) => void update((c) => setQuantity(c, lineId, quantity)),
    voidLine: (lineId) => {
      update((c) => voidLine(c, lineId));
      if (ageCheck?.lineId === lineId) setAgeCheck(null);
    },
    confirmAge: () => {
      if (!ageCheck) return;
      saleRef.current = {
        ...saleRef.current,
        ageCheckedFor: Math.max(saleRef.current.ageCheckedFor, ageCheck.age),
      };
      setAgeCheck(null);
      void persist(cartRef.current);
    },
    refuseAge: () => {
      if (!ageCheck) return;
      update((c) => voidLine(c, ageCheck.lineId));
      setAgeCheck(null);
    },
    goTo: (kind) => {
      if (kind !== 'scanning' && activeLines(cartRef.current).length === 0) return;
      setError(null);
      setPhase({ kind });
    },
    setPendingCard: (paymentId) => {
      pendingCardRef.current = paymentId ?? undefined;
      void persist(cartRef.current);
    },
    complete: async (tenders) => {
      const s = saleRef.current;
      const sale = await completeSale(db, {
        saleId: s.saleId,
        startedAt: s.startedAt,
        cart: cartRef.current,
        tenders,
        ageCheckedFor: s.ageCheckedFor,
        terminalId: app.terminalId,
        laneCode: app.settings.laneCode,
        locale: profile.locale,
        tax: profile.tax,
      });
      pendingCardRef.current = undefined;
      setPhase({ kind: 'receipt', sale });
      app.syncEngine?.nudge(); // push it now rather than at the next poll
      return sale;
    },
    newSale,
  };
}
