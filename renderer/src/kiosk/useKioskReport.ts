import i18next from 'i18next';
import { useEffect, useRef } from 'react';
import { activeLines } from '../../../common/cart';
import type { Intervention } from '../../../common/kiosk/interventions';
import { useApp } from '../app-context';
import { storeClockOffset } from '../db/store-clock';
import type { Checkout } from '../lane/useCheckout';
import { CloudClient, type Signer } from '../sync/client';
import { loadIdentity } from '../sync/identity';
import { decisionsFor, kioskReport } from './report';
import type { Kiosk } from './useKiosk';

const REPORT_EVERY_MS = 1_500;

/** The console is in English; the kiosk's own screen speaks the shopper's language. */
const describe = (i: Intervention): string =>
  i18next.t(`kiosk.what.${i.kind}`, {
    lng: 'en',
    name: i.name ?? '',
    barcode: i.barcode ?? '',
    quantity: i.quantity ?? 0,
  });

/**
 * Reports the kiosk to its store cloud for the attendant console every 1.5 s (signed as the lane),
 * and applies the decisions an attendant made there, named as theirs in the audit. A lane not
 * connected yet, or a cloud that does not answer, just means the console shows it offline.
 */
export function useKioskReport(c: Checkout, kiosk: Kiosk): void {
  const app = useApp();
  const latest = useRef({ c, kiosk });
  latest.current = { c, kiosk };
  const applied = useRef<number[]>([]);

  useEffect(() => {
    let stopped = false;
    let busy = false;
    let signer: Signer | null = null;
    let client: CloudClient | null = null;
    const tick = async () => {
      if (busy || stopped) return;
      busy = true;
      try {
        const identity = await loadIdentity(app.db);
        if (!identity) return;
        if (!signer || signer.terminalId !== identity.terminalId) {
          signer = {
            terminalId: identity.terminalId,
            privateKey: identity.privateKey,
            clockOffsetMs: await storeClockOffset(app.db),
          };
          client = new CloudClient({ baseUrl: identity.cloudUrl, timeoutMs: 5_000 });
        }
        const { c: cc, kiosk: k } = latest.current;
        const sent = [...applied.current];
        const answer = await client!.kioskStatus(
          signer,
          kioskReport({
            session: k.session,
            light: k.light,
            phase: cc.phase,
            basket: k.basketValue,
            items: activeLines(cc.cart).reduce((n, l) => n + l.quantity, 0),
            applied: sent,
            describe,
          }),
        );
        applied.current = applied.current.filter((id) => !sent.includes(id));
        for (const { decision, id } of decisionsFor(
          latest.current.kiosk.session,
          answer.decisions,
        )) {
          // Already cleared at the kiosk meanwhile: nothing to do but say so.
          if (id)
            await latest.current.kiosk
              .clear(id, decision.decision, decision.by, 'console')
              .catch(() => undefined);
          applied.current.push(decision.decisionId);
        }
      } catch {
        // Offline or refused: the next tick tries again; the console shows the kiosk offline.
      } finally {
        busy = false;
      }
    };
    const timer = setInterval(() => void tick(), REPORT_EVERY_MS);
    void tick();
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [app.db]);
}
