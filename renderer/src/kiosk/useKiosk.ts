import { isWalletCode } from '../../../common/wallet/code';
import { ProblemError } from '../lane/errors';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { activeLines, cartTotals } from '../../../common/cart';
import type { Product } from '../../../common/catalog';
import { cardStep, palmStep } from '../../../common/checkout/phase';
import { isDomainError } from '../../../common/errors';
import {
  DEFAULT_KIOSK_RULES,
  ageCheck,
  blocksPayment,
  blocksShopper,
  helpCall,
  isKioskSession,
  newSession,
  quantityCheck,
  raise,
  removeRequest,
  resolve,
  tenderTrouble,
  unknownBarcode,
  type Decision,
  type Intervention,
  type KioskRules,
  type KioskSession,
} from '../../../common/kiosk/interventions';
import {
  laneLight,
  nextLightChangeAt,
  type LightState,
  type LightTowerStatus,
} from '../../../common/kiosk/light';
import type { Money } from '../../../common/money';
import type { StaffRef } from '../../../common/staff';
import { useApp } from '../app-context';
import { recordStaffAction } from '../db/staff-audit';
import type { Checkout } from '../lane/useCheckout';

const SESSION_KEY = 'kiosk.session';
const UNPRICEABLE = new Set(['PRODUCT_NOT_FOUND', 'BARCODE_MALFORMED', 'BARCODE_CHECK_DIGIT']);

/** The kiosk's view of one sale: its interventions, the light, and the shopper's actions. */
export interface Kiosk {
  readonly session: KioskSession;
  readonly rules: KioskRules;
  readonly light: LightState;
  /** What the light tower last said it shows (null until it answered). */
  readonly tower: LightTowerStatus | null;
  readonly basketValue: Money;
  /** A red intervention is pending: nothing but "need help" and the attendant's sign-in works. */
  readonly blocked: boolean;
  readonly paymentBlocked: boolean;
  scan(text: string): Promise<void>;
  add(product: Product): void;
  requestRemove(lineId: string): void;
  changeQuantity(lineId: string, quantity: number): void;
  callHelp(): void;
  /** The shopper picked card: an ID check palm could have covered now needs an attendant. */
  chooseCard(): void;
  clear(
    interventionId: string,
    decision: Decision,
    by: StaffRef,
    via: 'kiosk' | 'console',
  ): Promise<void>;
  /** Sets the basket aside (logged) and starts a fresh sale: the welcome screen returns. */
  suspend(reason: 'idle' | 'shopper'): Promise<void>;
  /** After the receipt: the next shopper's sale, with nothing of this one's. */
  nextSale(): Promise<void>;
}

/**
 * The kiosk rules (common/kiosk) over the lane's one checkout machine: it raises interventions
 * from what the shopper does and what the machine reports, keeps them with the sale in Dexie (a
 * reload cannot shed one), sends the machine the events an attendant's decision implies, and
 * drives the light tower through the host.
 */
export function useKiosk(c: Checkout, open: boolean): Kiosk {
  const app = useApp();
  const rules = DEFAULT_KIOSK_RULES;
  const [session, setSession] = useState<KioskSession | null>(null);
  const [wantsCard, setWantsCard] = useState(false);
  const [tower, setTower] = useState<LightTowerStatus | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const seq = useRef(0);
  const saleId = c.saleId;
  const cartEmptyRef = useRef(true);
  cartEmptyRef.current = c.cart.lines.length === 0;

  // Load (or start) the session for the machine's sale; a new sale starts an empty one.
  useEffect(() => {
    let live = true;
    void app.db.settings.get(SESSION_KEY).then((row) => {
      if (!live) return;
      const stored = isKioskSession(row?.value) ? row.value : null;
      // A reload with nothing on the bill starts a fresh sale id (there was no draft); the
      // interventions it had are the kiosk's still, so a reload never sheds one.
      const adopt = stored && stored.interventions.length > 0 && cartEmptyRef.current;
      setSession(
        stored && stored.saleId === saleId
          ? stored
          : adopt
            ? { ...stored, saleId }
            : newSession(saleId),
      );
      setWantsCard(false);
    });
    return () => {
      live = false;
    };
  }, [app.db, saleId]);

  const update = useCallback(
    (f: (s: KioskSession) => KioskSession) => {
      setSession((prev) => {
        if (!prev) return prev;
        const next = f(prev);
        if (next !== prev) void app.db.settings.put({ key: SESSION_KEY, value: next });
        return next;
      });
    },
    [app.db],
  );

  // Interventions the machine's state implies: an ID check, palm paused, a card terminal in doubt.
  const palm = palmStep(c.snapshot);
  const card = cardStep(c.snapshot);
  const ctx = c.snapshot.context;
  const palmNotice = ctx.palm?.notice ?? null;
  const pendingAge = c.ageCheck;
  const paymentKey = ctx.card?.paymentId ?? `${saleId}-${ctx.palm?.pauses ?? 0}`;
  useEffect(() => {
    if (!session || session.saleId !== saleId) return;
    const at = Date.now();
    const raised = [
      ageCheck(
        {
          pending: pendingAge,
          palmOffered: c.palmEnabled,
          palmCannotCover: wantsCard || palmNotice === 'age-not-verified',
        },
        at,
      ),
      tenderTrouble(palm === 'paused' ? 'palm-paused' : null, paymentKey, at),
      tenderTrouble(
        card === 'notResponding'
          ? 'card-not-responding'
          : card === 'unresolved'
            ? 'card-unresolved'
            : null,
        paymentKey,
        at,
      ),
    ].filter((i): i is Intervention => i !== null);
    if (raised.length > 0) update((s) => raised.reduce(raise, s));
  }, [
    session,
    saleId,
    pendingAge,
    c.palmEnabled,
    wantsCard,
    palmNotice,
    palm,
    card,
    paymentKey,
    update,
  ]);

  const interventions = session?.interventions ?? [];
  const light = laneLight({ open, interventions, now }, rules);

  // Tick only when the light would change by time alone (an escalation to flashing).
  useEffect(() => {
    const at = nextLightChangeAt({ open, interventions, now: Date.now() }, rules);
    if (at === null) return;
    const id = setTimeout(() => setNow(Date.now()), Math.max(0, at - Date.now()) + 50);
    return () => clearTimeout(id);
  }, [open, interventions, rules, now]);

  // The tower follows the light; it answers with what it shows.
  useEffect(() => {
    if (!app.hostConnected) return;
    let live = true;
    app.host.light.set({ state: light }).then(
      (s) => live && setTower(s),
      () => live && setTower(null),
    );
    return () => {
      live = false;
    };
  }, [app.host, app.hostConnected, light]);

  const current = session ?? newSession(saleId);

  const scan = useCallback(
    async (text: string) => {
      // Self-checkout takes palm and card only: a wallet payment code is not a product and
      // not a tender here, so it is refused with the reason instead of starting a payment.
      if (isWalletCode(text))
        throw new ProblemError({
          code: 'WALLET_AT_KIOSK',
          message: 'Wallet payment codes are taken at a staffed lane',
        });
      try {
        await c.enterBarcode(text);
      } catch (e) {
        // Whatever the kiosk cannot price (unknown, malformed, bad check digit) needs an attendant.
        if (isDomainError(e) && UNPRICEABLE.has(e.code)) {
          seq.current += 1;
          const barcode = String(e.details.barcode ?? text);
          update((s) =>
            raise(s, unknownBarcode(barcode, Date.now(), s.interventions.length + seq.current)),
          );
          return;
        }
        throw e;
      }
    },
    [c, update],
  );

  // After an add, a line above the maximum is flagged (the lane merges nothing: each scan is a line).
  const lines = useMemo(() => activeLines(c.cart), [c.cart]);
  useEffect(() => {
    const over = lines
      .map((l) => quantityCheck(l, l.quantity, rules, Date.now()))
      .filter((i): i is Intervention => i !== null);
    if (over.length > 0) update((s) => over.reduce(raise, s));
  }, [lines, rules, update]);

  const clear = useCallback(
    async (id: string, decision: Decision, by: StaffRef, via: 'kiosk' | 'console') => {
      if (!session) return;
      const r = resolve(
        session,
        id,
        decision,
        { kind: 'staff', staff: by, via },
        rules,
        Date.now(),
      );
      for (const e of r.effects) {
        if (c.can(e) || e.type === 'VOID_LINE' || e.type === 'SET_QUANTITY') c.send(e);
      }
      // Functional: two decisions applied back to back must both stay applied.
      update((s) => ({
        ...s,
        interventions: s.interventions.filter((x) => x.id !== id),
        resolved: [...s.resolved, r.resolution],
      }));
      await recordStaffAction(app.db, 'kiosk.intervention.cleared', by, {
        saleId: session.saleId,
        kind: r.resolution.kind,
        decision,
        via,
        waitedMs:
          r.resolution.at -
          (session.interventions.find((i) => i.id === id)?.raisedAt ?? r.resolution.at),
      });
    },
    [session, rules, c, update, app.db],
  );

  const suspend = useCallback(
    async (reason: 'idle' | 'shopper') => {
      const totals = cartTotals(c.cart, app.profile.tax);
      await recordStaffAction(app.db, 'kiosk.sale.suspended', null, {
        saleId,
        reason,
        lines: activeLines(c.cart).length,
        total: totals.total.amount,
        currency: totals.total.currency,
        pendingInterventions: current.interventions.length,
      });
      c.send({
        type: 'SUSPEND_SALE',
        saleId: crypto.randomUUID(),
        startedAt: new Date().toISOString(),
      });
    },
    [c, app.db, app.profile.tax, saleId, current.interventions.length],
  );

  return useMemo(
    () => ({
      session: current,
      rules,
      light,
      tower,
      basketValue: cartTotals(c.cart, app.profile.tax).total,
      blocked: blocksShopper(current),
      paymentBlocked: blocksPayment(current),
      scan,
      add: (p) => c.addFromSearch(p),
      requestRemove: (lineId) => {
        const line = activeLines(c.cart).find((l) => l.lineId === lineId);
        if (line) update((s) => raise(s, removeRequest(line, Date.now())));
      },
      changeQuantity: (lineId, quantity) => c.changeQuantity(lineId, quantity),
      callHelp: () => {
        seq.current += 1;
        update((s) =>
          s.interventions.some((i) => i.kind === 'help')
            ? s
            : raise(s, helpCall(Date.now(), s.resolved.length + seq.current)),
        );
      },
      chooseCard: () => setWantsCard(true),
      nextSale: async () => {
        await app.db.settings.delete(SESSION_KEY);
        c.newSale();
      },
      clear,
      suspend,
    }),
    [current, rules, light, tower, c, app.profile.tax, app.db, scan, update, clear, suspend],
  );
}
