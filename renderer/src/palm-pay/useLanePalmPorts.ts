import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo, useRef } from 'react';
import type { CurrencyCode } from '../../../common/money';
import type { StoreSettings } from '../../../common/sync/protocol';
import type { TerminalDatabase } from '../db/database';
import type { PalmPayInfo } from '../matcher/palm-pay';
import { cloudStoreSettings } from '../sync/pull';
import { paymentCloud } from './payment-cloud';
import { createPalmPorts, type LanePalmPorts } from './palm-ports';
import { laneUnsettled, storedByShopperSince } from './stored-payments';

/**
 * The lane's palm ports, one stable object per lane mount (the checkout restarts when its ports
 * change): the matcher's readiness and the store's settings are read at call time, so a shard
 * or a policy that arrives later is used without restarting the sale.
 */
export function useLanePalmPorts(
  db: TerminalDatabase,
  palmPay: PalmPayInfo,
  currency: CurrencyCode,
): LanePalmPorts {
  const info = useRef(palmPay);
  info.current = palmPay;
  const settings = useLiveQuery(() => cloudStoreSettings(db), [db]);
  const settingsRef = useRef<StoreSettings | null>(null);
  settingsRef.current = settings ?? null;
  const currencyRef = useRef(currency);
  currencyRef.current = currency;

  return useMemo(
    () =>
      createPalmPorts({
        matcher: () => {
          const i = info.current;
          return i.state === 'ready' && i.client && i.templates !== undefined
            ? { client: i.client, templates: i.templates }
            : null;
        },
        settings: () => settingsRef.current,
        storeCurrency: () => currencyRef.current,
        cloud: paymentCloud(db),
        laneUnsettled: () => laneUnsettled(db),
        storedByShopper: (now) => storedByShopperSince(db, now),
        online: () => navigator.onLine,
      }),
    [db],
  );
}
