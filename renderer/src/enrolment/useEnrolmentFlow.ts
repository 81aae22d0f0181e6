import { useEffect, useState, useSyncExternalStore } from 'react';
import { EnrolmentFlow } from '../../../common/enrolment/driver';
import { countryOfLocale } from '../../../common/enrolment/phone';
import type { EnrolState } from '../../../common/enrolment/types';
import { useApp } from '../app-context';
import { useSyncState } from '../sync/useSyncState';
import type { SyncPhase } from '../sync/state';
import { laneEnrolPorts } from './enrol-ports';
import { shopperCloud } from './shopper-cloud';

/** Sync phases in which the lane reaches its store cloud (or has not found out otherwise yet). */
const ONLINE: readonly SyncPhase[] = ['starting', 'waiting-lock', 'syncing', 'idle'];

const none = () => () => undefined;

/**
 * One enrolment, from consent to done, for the component that shows it (null for the first
 * render). The lane's sync state tells the flow whether the cloud is reachable; leaving the
 * screen cancels whatever the card terminal or the scanner is still waiting for.
 */
export function useEnrolmentFlow(): { flow: EnrolmentFlow; state: EnrolState } | null {
  const { host, db, profile, syncEngine } = useApp();
  const sync = useSyncState(syncEngine);
  const online = sync !== null && ONLINE.includes(sync.phase);
  const [flow, setFlow] = useState<EnrolmentFlow | null>(null);
  useEffect(() => {
    const f = new EnrolmentFlow(laneEnrolPorts(host, shopperCloud(db)), {
      online: true, // the effect below tells it at once
      country: countryOfLocale(profile.locale),
    });
    setFlow(f);
    return () => f.send({ type: 'CANCEL' });
  }, [host, db, profile.locale]);
  useEffect(() => flow?.send({ type: 'CONNECTIVITY', online }), [flow, online]);
  const state = useSyncExternalStore(
    flow ? (cb) => flow.subscribe(cb) : none,
    () => flow?.state ?? null,
  );
  return flow && state ? { flow, state } : null;
}
