import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import { activeLines } from '../../../common/cart';
import { useApp } from '../app-context';
import { setLocale } from '../i18n';
import { useMoneyFormat } from '../lane/format';
import type { Checkout } from '../lane/useCheckout';
import { IdleGuard } from './IdleGuard';
import { AttendantAccess, WaitOverlay, useDescribe } from './InterventionPanel';
import { KioskBasket } from './KioskBasket';
import { KioskScan } from './KioskScan';
import { LookupPanel } from './LookupPanel';
import { PayPanel } from './PayPanel';
import type { Kiosk } from './useKiosk';
import './kiosk.css';

const LANGUAGES = [
  { locale: 'en-US', label: 'English' },
  { locale: 'de-DE', label: 'Deutsch' },
  { locale: 'ko-KR', label: '한국어' },
] as const;

export interface KioskTimings {
  readonly idleMs: number;
  readonly graceMs: number;
}

/**
 * The shopper's kiosk over the lane's checkout machine: welcome (language), scan and look up,
 * the basket, pay (palm first, card; no cash), receipt or none. "Need help" and the light are on
 * every screen; a red intervention covers everything until an attendant clears it.
 */
export function KioskView({
  c,
  kiosk,
  timings,
}: {
  c: Checkout;
  kiosk: Kiosk;
  timings: KioskTimings;
}) {
  const { t } = useTranslation();
  const { profile } = useApp();
  const fmt = useMoneyFormat();
  const describe = useDescribe();
  const lines = activeLines(c.cart);
  const [started, setStarted] = useState(lines.length > 0 || c.phase !== 'scanning');
  const [paying, setPaying] = useState(c.phase !== 'scanning' && c.phase !== 'age-check');
  const [lookup, setLookup] = useState(false);
  const [attendant, setAttendant] = useState(false);
  const [large, setLarge] = useState(false);
  const [contrast, setContrast] = useState(false);

  const scanning = c.phase === 'scanning' || c.phase === 'age-check';
  useEffect(() => {
    if (!scanning) setPaying(true);
  }, [scanning]);
  useEffect(() => {
    if (lines.length > 0) setStarted(true);
  }, [lines.length]);

  const backToWelcome = useCallback(() => {
    setStarted(false);
    setPaying(false);
    setLookup(false);
    void setLocale(profile.locale);
  }, [profile.locale]);

  const suspend = useCallback(() => {
    void kiosk.suspend('idle').then(backToWelcome);
  }, [kiosk, backToWelcome]);

  const yellow = kiosk.session.interventions.filter((i) => i.severity === 'yellow');
  const removing = new Set(
    kiosk.session.interventions.filter((i) => i.kind === 'remove-item').map((i) => i.lineId ?? ''),
  );
  const editable = c.phase === 'scanning' || c.phase === 'age-check';

  let screen: React.ReactNode;
  if (c.phase === 'receipt' && c.snapshot.context.receipt) {
    const r = c.snapshot.context.receipt;
    screen = (
      <section className="kiosk-receipt" aria-labelledby="thanks-title" data-testid="kiosk-receipt">
        <h2 id="thanks-title">{t('kiosk.thanks')}</h2>
        <p className="kiosk-big">{t('kiosk.paid', { total: fmt(r.sale.totals.total) })}</p>
        <div className="kiosk-actions">
          <button
            type="button"
            className="kiosk-primary"
            onClick={() => {
              c.send({ type: 'PRINT' });
              void kiosk.nextSale().then(backToWelcome);
            }}
          >
            {t('kiosk.printReceipt')}
          </button>
          <button
            type="button"
            className="kiosk-secondary"
            onClick={() => void kiosk.nextSale().then(backToWelcome)}
          >
            {t('kiosk.noReceipt')}
          </button>
        </div>
      </section>
    );
  } else if (!started) {
    screen = (
      <section
        className="kiosk-welcome"
        aria-labelledby="welcome-title"
        data-testid="kiosk-welcome"
      >
        <h2 id="welcome-title">{t('kiosk.welcome')}</h2>
        <p className="kiosk-big">{t('kiosk.welcomeHint')}</p>
        <div role="group" aria-label={t('kiosk.language')} className="kiosk-languages">
          {LANGUAGES.map((l) => (
            <button
              key={l.locale}
              type="button"
              lang={l.locale.slice(0, 2)}
              className="kiosk-secondary"
              onClick={() => void setLocale(l.locale)}
            >
              {l.label}
            </button>
          ))}
        </div>
        <KioskScan disabled={kiosk.blocked} onCode={kiosk.scan} />
        <button type="button" className="kiosk-primary" onClick={() => setStarted(true)}>
          {t('kiosk.start')}
        </button>
      </section>
    );
  } else if (paying) {
    screen = <PayPanel c={c} kiosk={kiosk} onBack={() => setPaying(false)} />;
  } else {
    screen = (
      <div className="kiosk-shop">
        <div className="kiosk-shop-left">
          <KioskScan disabled={kiosk.blocked || !editable} onCode={kiosk.scan} />
          <button
            type="button"
            className="kiosk-secondary"
            disabled={kiosk.blocked}
            onClick={() => setLookup(true)}
          >
            {t('kiosk.lookUp')}
          </button>
          {lookup ? (
            <LookupPanel onPick={kiosk.add} onClose={() => setLookup(false)} />
          ) : (
            <KioskBasket
              cart={c.cart}
              editable={editable && !kiosk.blocked}
              removing={removing}
              onMore={kiosk.changeQuantity}
              onRemove={kiosk.requestRemove}
            />
          )}
        </div>
        <aside className="kiosk-shop-right" aria-label={t('kiosk.total')}>
          <p className="kiosk-total">
            {t('kiosk.total')} <strong data-testid="kiosk-total">{fmt(kiosk.basketValue)}</strong>
          </p>
          {yellow
            .filter((i) => i.kind !== 'help')
            .map((i) => (
              <p key={i.id} className="kiosk-flag" data-testid="kiosk-flag">
                {t('kiosk.flagged', { what: describe(i) })}
              </p>
            ))}
          <button
            type="button"
            className="kiosk-primary kiosk-pay-button"
            disabled={lines.length === 0 || kiosk.blocked || kiosk.paymentBlocked}
            onClick={() => setPaying(true)}
          >
            {t('kiosk.pay')}
          </button>
        </aside>
      </div>
    );
  }

  const helpPending = kiosk.session.interventions.some((i) => i.kind === 'help');
  const shown = kiosk.tower?.state ?? kiosk.light;
  return (
    <div className={`kiosk${large ? ' kiosk-large' : ''}${contrast ? ' kiosk-contrast' : ''}`}>
      <header className="kiosk-top">
        <h1>
          {t('app.title')} <span className="kiosk-muted">· {profile.name}</span>
        </h1>
        <span
          className={`kiosk-light ${shown}`}
          data-testid="lane-light"
          data-state={shown}
          role="img"
          aria-label={t('kiosk.light', { state: shown })}
        />
        <button type="button" aria-pressed={large} onClick={() => setLarge(!large)}>
          {t('kiosk.largeText')}
        </button>
        <button type="button" aria-pressed={contrast} onClick={() => setContrast(!contrast)}>
          {t('kiosk.highContrast')}
        </button>
        <button
          type="button"
          className="kiosk-help"
          data-testid="kiosk-need-help"
          onClick={kiosk.callHelp}
        >
          {t('kiosk.needHelp')}
        </button>
        {kiosk.session.interventions.length > 0 && (
          <button
            type="button"
            onClick={() => setAttendant(true)}
            data-testid="kiosk-attendant-open"
          >
            {t('kiosk.attendant')}
          </button>
        )}
      </header>
      {helpPending && (
        <p className="kiosk-flag" role="status">
          {t('kiosk.helpCalled')}
        </p>
      )}
      <main className="kiosk-main">{screen}</main>
      {kiosk.blocked && !attendant && (
        <WaitOverlay kiosk={kiosk} onAttendant={() => setAttendant(true)} />
      )}
      {attendant && <AttendantAccess kiosk={kiosk} onDone={() => setAttendant(false)} />}
      {!attendant && !kiosk.blocked && (
        <IdleGuard
          active={started && lines.length > 0 && scanning && !paying}
          idleMs={timings.idleMs}
          graceMs={timings.graceMs}
          onAbandoned={suspend}
        />
      )}
    </div>
  );
}
