import type { CheckoutPhase } from '../../../common/checkout/phase';
import type { Intervention, KioskSession } from '../../../common/kiosk/interventions';
import type { LightState } from '../../../common/kiosk/light';
import type { ConsoleDecision, KioskStatusRequest } from '../../../common/kiosk/wire';
import type { Money } from '../../../common/money';

/**
 * What the kiosk tells the console, and how the console's decisions come back. Wire ids carry
 * the sale id, so an intervention of one sale is never mistaken for another's (a "help-1" of
 * each sale).
 */
export const wireId = (saleId: string, id: string): string => `${saleId.slice(0, 40)}:${id}`;

export function localId(saleId: string, wire: string): string | null {
  const prefix = `${saleId.slice(0, 40)}:`;
  return wire.startsWith(prefix) ? wire.slice(prefix.length) : null;
}

export function screenOf(phase: CheckoutPhase, items: number): KioskStatusRequest['screen'] {
  if (phase === 'receipt') return 'receipt';
  if (phase !== 'scanning' && phase !== 'age-check') return 'paying';
  return items > 0 ? 'shopping' : 'welcome';
}

export function kioskReport(o: {
  session: KioskSession;
  light: LightState;
  phase: CheckoutPhase;
  basket: Money;
  items: number;
  applied: readonly number[];
  describe: (i: Intervention) => string;
}): KioskStatusRequest {
  return {
    light: o.light,
    screen: screenOf(o.phase, o.items),
    basket: { amount: Math.max(0, o.basket.amount), currency: o.basket.currency },
    items: o.items,
    saleId: o.session.saleId.slice(0, 64),
    interventions: o.session.interventions.slice(0, 50).map((i) => ({
      id: wireId(o.session.saleId, i.id),
      kind: i.kind,
      severity: i.severity,
      raisedAt: new Date(i.raisedAt).toISOString(),
      what: o.describe(i).slice(0, 200),
    })),
    applied: o.applied.slice(0, 50),
  };
}

/** The console decisions that apply to this sale's pending interventions, by local id. */
export function decisionsFor(
  session: KioskSession,
  decisions: readonly ConsoleDecision[],
): { decision: ConsoleDecision; id: string | null }[] {
  return decisions.map((d) => {
    const id = localId(session.saleId, d.interventionId);
    return { decision: d, id: id && session.interventions.some((i) => i.id === id) ? id : null };
  });
}
