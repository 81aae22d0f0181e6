import { lazy, memo, Suspense } from 'react';
import { useApp } from '../app-context';
import { useLanePalmPorts } from '../palm-pay/useLanePalmPorts';
import { usePalmPay } from '../shell/usePalmPay';
import { useCheckout, type Checkout } from '../lane/useCheckout';
import { KioskView, type KioskTimings } from './KioskView';
import { useKiosk } from './useKiosk';
import { useKioskReport } from './useKioskReport';

const EmulatorPanel =
  import.meta.env.MODE !== 'production' ? lazy(() => import('../shell/EmulatorPanel')) : null;

/** "Are you still there?" after 90 s without a touch, then 30 s to answer. */
const DEFAULT_TIMINGS: KioskTimings = { idleMs: 90_000, graceMs: 30_000 };

/** Demo and test builds accept `?idle=ms&grace=ms` so a walk-away can be shown in seconds. */
function timings(): KioskTimings {
  if (import.meta.env.MODE === 'production') return DEFAULT_TIMINGS;
  const q = new URLSearchParams(location.search);
  const ms = (k: string, d: number) => {
    const v = Number(q.get(k));
    return Number.isInteger(v) && v >= 1_000 && v <= 600_000 ? v : d;
  };
  return {
    idleMs: ms('idle', DEFAULT_TIMINGS.idleMs),
    graceMs: ms('grace', DEFAULT_TIMINGS.graceMs),
  };
}

/** The self-checkout kiosk: the lane's one checkout machine, shown to a shopper. */
export const KioskTerminal = memo(function KioskTerminal() {
  const app = useApp();
  // The same palm ports as the cashier's lane: palm pay is a tender of the one checkout machine.
  const palmPay = usePalmPay(app.db);
  const palmPorts = useLanePalmPorts(app.db, palmPay, app.profile.currency);
  const checkout = useCheckout(palmPorts);
  return checkout ? <KioskWith c={checkout} /> : null;
});

function KioskWith({ c }: { c: Checkout }) {
  const app = useApp();
  const kiosk = useKiosk(c, app.hostConnected);
  useKioskReport(c, kiosk);
  return (
    <>
      <KioskView c={c} kiosk={kiosk} timings={timings()} />
      {EmulatorPanel && app.hostInfo?.emulatorControls && (
        <Suspense fallback={null}>
          <EmulatorPanel />
        </Suspense>
      )}
    </>
  );
}
