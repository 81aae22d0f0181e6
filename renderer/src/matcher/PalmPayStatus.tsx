import { useTranslation } from '../i18n/use-translation';
import type { PalmPayInfo, PalmPayState } from './palm-pay';

/** Status-bar class per state, matching the devices' `dev <state>` classes. */
const STATE_CLASS: Record<PalmPayState, string> = {
  'no-shard': 'idle', // a store with no palm customers yet is not a fault
  loading: 'busy',
  ready: 'ready',
  unavailable: 'fault',
};

/**
 * Palm pay's entry in the lane's status bar (an `<li>`): a progress bar with chunk counts while
 * the shard loads, the palm count when ready, and why it is unavailable (cash and card unaffected).
 */
export function PalmPayStatus({
  palmPay,
  awaitingApproval = false,
}: {
  palmPay: PalmPayInfo;
  /** No manager has approved this lane for palm pay yet (so no shard will come). */
  awaitingApproval?: boolean;
}) {
  const { t } = useTranslation();
  const { state, progress } = palmPay;
  const unavailableDetail = () => {
    const reason = palmPay.reason ?? 'matcher';
    const why = t(`palmPay.reasons.${reason}`, { defaultValue: reason });
    return `${why} · ${t('palmPay.cashCardOk')}`;
  };
  return (
    <li
      className={`dev ${STATE_CLASS[state]}`}
      data-testid="palm-pay-status"
      data-state={state}
      title={palmPay.message ?? palmPay.variant}
    >
      {t('palmPay.label')}: {t(`palmPay.states.${state}`)}
      {state === 'loading' && (
        <>
          {' '}
          <progress
            aria-label={t('palmPay.progress')}
            value={progress?.done}
            max={progress?.total || undefined}
          />
          {progress && (
            <span className="muted">
              {' '}
              {t('palmPay.counts', { done: progress.done, total: progress.total })}
            </span>
          )}
        </>
      )}
      {state === 'ready' && palmPay.templates !== undefined && (
        <span className="muted"> ({t('palmPay.templates', { count: palmPay.templates })})</span>
      )}
      {state === 'unavailable' && <span className="muted"> ({unavailableDetail()})</span>}
      {state === 'no-shard' && awaitingApproval && (
        <span className="muted"> ({t('palmAccess.waitingShort')})</span>
      )}
    </li>
  );
}
