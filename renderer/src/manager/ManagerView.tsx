import { useOptionalApp } from '../app-context';
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import { formatMoney } from '../../../common/money';
import type { TerminalDatabase } from '../db/database';
import type { SyncEngine } from '../sync/engine';
import { METRICS_KEY } from '../sync/metrics';
import { HALTED_PHASES } from '../sync/state';
import { useSyncState } from '../sync/useSyncState';
import { DiagnosticsPanel } from './DiagnosticsPanel';
import { ProvisionForm } from './ProvisionForm';
import { QueueChart } from './QueueChart';
import { rejectedCsv } from './csv';
import { staffRef } from '../../../common/staff';
import { recordStaffAction } from '../db/staff-audit';
import { CredentialDialog } from '../staff/CredentialDialog';
import { laneStaff } from '../staff/staff';
import './manager.css';

export interface ManagerViewProps {
  readonly db: TerminalDatabase;
  /** The lane's sync engine (null when sync is not running, e.g. no cloud configured). */
  readonly engine: SyncEngine | null;
  /** The store's locale, for times and money. */
  readonly locale: string;
}

/**
 * The manager's view of the lane's sync queue, behind a manager's own credential (the one
 * credential dialog, checked against the offline verifier from the store settings). A lane with
 * no staff list yet (never provisioned) opens to the provisioning form only: the code typed
 * there is the authority, issued in the store dashboard by a named manager.
 */
export function ManagerView(props: ManagerViewProps) {
  const { t } = useTranslation();
  const [unlocked, setUnlocked] = useState(false);
  const [asking, setAsking] = useState(true);
  const staff = useLiveQuery(() => laneStaff(props.db), [props.db]);
  if (unlocked) return <QueuePanel {...props} onLock={() => setUnlocked(false)} />;
  if (staff === undefined) return null;
  if (staff === null)
    return (
      <section className="manager" aria-labelledby="manager-unprovisioned-title">
        <h2 id="manager-unprovisioned-title">{t('staff.unprovisionedTitle')}</h2>
        <p className="muted" data-testid="manager-no-staff">
          {t('staff.noStaff')}
        </p>
        {props.engine ? (
          <ProvisionForm
            engine={props.engine}
            defaultUrl={props.engine.state$.get().cloudUrl ?? ''}
          />
        ) : (
          <p className="muted">{t('manager.noEngine')}</p>
        )}
      </section>
    );
  return (
    <section className="manager" aria-labelledby="manager-locked-title">
      <h2 id="manager-locked-title">{t('manager.lockedTitle')}</h2>
      <button type="button" className="primary" onClick={() => setAsking(true)}>
        {t('manager.unlock')}
      </button>
      {asking && (
        <CredentialDialog
          db={props.db}
          purpose={t('staff.purpose.manager')}
          action="manager-view"
          onCancel={() => setAsking(false)}
          onApproved={async (m) => {
            await recordStaffAction(props.db, 'manager.opened', staffRef(m));
            setAsking(false);
            setUnlocked(true);
          }}
        />
      )}
    </section>
  );
}

function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

function QueuePanel({ db, engine, locale, onLock }: ManagerViewProps & { onLock: () => void }) {
  const app = useOptionalApp();
  const { t } = useTranslation();
  const state = useSyncState(engine);
  const now = useNow(5_000);
  const [busy, setBusy] = useState(false);
  const items = useLiveQuery(
    () => db.outbox.orderBy('mutationId').reverse().limit(100).toArray(),
    [db],
  );
  const rejected = useLiveQuery(() => db.outbox.where('status').equals('rejected').toArray(), [db]);
  const metricsRow = useLiveQuery(() => db.settings.get(METRICS_KEY), [db]);

  const time = useMemo(
    () => new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'medium' }),
    [locale],
  );
  const age = (iso: string | null | undefined): string => {
    if (!iso) return t('manager.never');
    const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
    if (s < 120) return t('manager.ageSeconds', { n: s });
    if (s < 7200) return t('manager.ageMinutes', { n: Math.round(s / 60) });
    return t('manager.ageHours', { n: Math.round(s / 3600) });
  };

  async function syncNow(): Promise<void> {
    if (!engine) return;
    setBusy(true);
    try {
      await engine.syncNow();
    } finally {
      setBusy(false);
    }
  }

  function exportRejected(): void {
    const csv = rejectedCsv(rejected ?? []);
    const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `rejected-sales-${new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-')}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }

  const halted = !!state && HALTED_PHASES.includes(state.phase);
  // A forgotten or revoked lane can be connected again with a new code from the back office.
  const showProvision =
    !!engine &&
    (state?.phase === 'unprovisioned' ||
      state?.phase === 'unknown-terminal' ||
      state?.phase === 'revoked');

  return (
    <section className="manager" aria-labelledby="manager-title">
      <header className="manager-head">
        <h2 id="manager-title">{t('manager.title')}</h2>
        <button type="button" className="small" onClick={onLock}>
          {t('manager.lock')}
        </button>
      </header>

      {!engine && <p className="muted">{t('manager.noEngine')}</p>}
      {halted && state && (
        <section className="manager-stopped" role="alert" aria-labelledby="manager-stopped-title">
          <h3 id="manager-stopped-title">{t('manager.stoppedTitle')}</h3>
          <dl>
            <div>
              <dt>{t('manager.stoppedReason')}</dt>
              <dd data-testid="manager-stop-reason">
                {t(`sync.phase.${state.phase}`)}
                {state.lastError && <span className="muted small"> ({state.lastError})</span>}
              </dd>
            </div>
            <div>
              <dt>{t('manager.stoppedWhatToDo')}</dt>
              <dd data-testid="manager-stop-help">{t(`sync.help.${state.phase}`)}</dd>
            </div>
            {state.nextAttemptAt && (
              <div>
                <dt>{t('manager.nextCheck')}</dt>
                <dd>{time.format(new Date(state.nextAttemptAt))}</dd>
              </div>
            )}
          </dl>
        </section>
      )}
      {showProvision && <ProvisionForm engine={engine} defaultUrl={state?.cloudUrl ?? ''} />}

      <h3>{t('manager.queueTitle')}</h3>
      <dl className="manager-stats" data-testid="manager-stats">
        <div>
          <dt>{t('manager.store')}</dt>
          <dd>{state?.storeName ?? '—'}</dd>
        </div>
        <div>
          <dt>{t('manager.state')}</dt>
          <dd data-testid="manager-phase">{state ? t(`sync.phase.${state.phase}`) : '—'}</dd>
        </div>
        <div>
          <dt>{t('manager.pending')}</dt>
          <dd data-testid="manager-pending">{state?.pending ?? 0}</dd>
        </div>
        <div>
          <dt>{t('manager.inFlight')}</dt>
          <dd>{state?.inFlight ?? 0}</dd>
        </div>
        <div>
          <dt>{t('manager.rejected')}</dt>
          <dd>{state?.rejected ?? rejected?.length ?? 0}</dd>
        </div>
        <div>
          <dt>{t('manager.synced')}</dt>
          <dd>{state?.synced ?? 0}</dd>
        </div>
        <div>
          <dt>{t('manager.oldestPending')}</dt>
          <dd>{state?.oldestPendingAt ? age(state.oldestPendingAt) : t('manager.none')}</dd>
        </div>
        <div>
          <dt>{t('manager.lastSync')}</dt>
          <dd>{age(state?.lastSyncAt)}</dd>
        </div>
        <div>
          <dt>{t('manager.lastPull')}</dt>
          <dd>{age(state?.lastPullAt)}</dd>
        </div>
        {state?.nextAttemptAt && (
          <div>
            <dt>{t('manager.nextAttempt')}</dt>
            <dd>{time.format(new Date(state.nextAttemptAt))}</dd>
          </div>
        )}
        {state?.lastError && (
          <div className="wide">
            <dt>{t('manager.lastError')}</dt>
            <dd className="error">{state.lastError}</dd>
          </div>
        )}
      </dl>

      <div className="actions">
        <button
          type="button"
          className="primary"
          onClick={() => void syncNow()}
          disabled={!engine || busy}
        >
          {busy ? t('manager.syncing') : halted ? t('manager.checkNow') : t('manager.syncNow')}
        </button>
        <button
          type="button"
          onClick={exportRejected}
          disabled={!rejected || rejected.length === 0}
        >
          {t('manager.exportRejected')}
        </button>
      </div>

      <QueueChart metricsValue={metricsRow?.value} locale={locale} now={now} />
      {app && <DiagnosticsPanel db={db} engine={engine} />}

      <h3 id="manager-items-title">{t('manager.itemsTitle')}</h3>
      <table className="manager-items" aria-labelledby="manager-items-title">
        <thead>
          <tr>
            <th scope="col">{t('manager.colMutation')}</th>
            <th scope="col">{t('manager.colReceipt')}</th>
            <th scope="col">{t('manager.colTotal')}</th>
            <th scope="col">{t('manager.colCreated')}</th>
            <th scope="col">{t('manager.colStatus')}</th>
            <th scope="col">{t('manager.colAttempts')}</th>
            <th scope="col">{t('manager.colDetail')}</th>
          </tr>
        </thead>
        <tbody>
          {(items ?? []).map((row) => (
            <tr key={row.mutationId} className={`status-${row.status}`}>
              <td>{row.mutationId}</td>
              <td>
                {row.kind === 'sale.completed'
                  ? row.payload.receiptNo
                  : row.kind === 'payment.stored'
                    ? t('palmTender.storedRow', { ref: row.payload.palm?.customerRef ?? '' })
                    : row.kind === 'audit.event'
                      ? row.payload.kind
                      : row.kind}
              </td>
              <td className="num">
                {row.kind === 'sale.completed'
                  ? formatMoney(row.payload.totals.total, locale)
                  : row.kind === 'payment.stored'
                    ? formatMoney(row.payload.amount, locale)
                    : ''}
              </td>
              <td>{time.format(new Date(row.createdAt))}</td>
              <td>{t(`manager.status.${row.status}`)}</td>
              <td className="num">{row.attempts}</td>
              <td>
                {row.kind === 'payment.stored' && row.status === 'rejected'
                  ? t('palmTender.storedDeclined', {
                      ref: row.payload.palm?.customerRef ?? '',
                      reason: row.rejectedReason ?? '',
                    })
                  : (row.rejectedReason ?? row.lastError ?? '')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
