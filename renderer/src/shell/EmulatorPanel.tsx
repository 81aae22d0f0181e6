import { useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import { TEST_CARDS } from '../../../common/host/test-cards';
import { NOT_ENROLLED } from '../../../common/palm/population';
import { useApp } from '../app-context';
import { describeError } from '../lane/errors';
import { PrinterPaper } from './PrinterPaper';
import { usePalmPay } from './usePalmPay';
import { markPalm } from '../palm-pay/timing';

/**
 * The demo cloud enrols subjects 0 … n−1 of the emulator's population (cloud/demo-shoppers.ts), so
 * "shopper #17" is emulator identity 17; identities from here on are never enrolled.
 */
const STRANGER_BASE = NOT_ENROLLED;
// Strangers in turn (1 000 000 000, then …001, …), so a demo or a test can repeat a run exactly.
let nextStranger = 0;

/**
 * Development and demo builds only (main.tsx loads it lazily behind a build-mode check, so a
 * production bundle does not contain it): stands in for the customer at the devices.
 */
export default function EmulatorPanel() {
  const { t } = useTranslation();
  const { host, db } = useApp();
  const palmPay = usePalmPay(db);
  const [responsive, setResponsive] = useState(true);
  const [shopper, setShopper] = useState('17');
  const [presented, setPresented] = useState<number | null>(null);
  const [quality, setQuality] = useState(85);
  const [liveness, setLiveness] = useState(95);
  const [fault, setFault] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = (p: Promise<unknown>) => {
    setError(null);
    p.catch((e: unknown) => setError(describeError(t, e)));
  };
  // A demo shopper or a stranger, at the quality and liveness set above.
  const present = (id: number) => {
    setPresented(id);
    markPalm('presented');
    run(host.emulator.presentPalm({ identity: id, quality, liveness }));
  };
  const enrolled =
    palmPay.state === 'ready' && palmPay.records !== undefined && palmPay.records > 0
      ? t('demoShoppers.enrolled', { last: palmPay.records - 1 })
      : null;
  return (
    <details className="emulator emulator-panel" open>
      <summary>{t('emulator.title')}</summary>
      <div className="emu-row" role="group" aria-label={t('emulator.cards')}>
        <span className="small muted">{t('emulator.cards')}:</span>
        {TEST_CARDS.map((c) => (
          <button
            key={c.pan}
            type="button"
            className="small"
            onClick={() => run(host.emulator.presentCard({ pan: c.pan }))}
          >
            {c.label}
          </button>
        ))}
        <button
          type="button"
          className="small"
          onClick={() => run(host.emulator.cardCustomerCancel())}
        >
          {t('emulator.customerCancel')}
        </button>
        <label className="small">
          <input
            type="checkbox"
            checked={responsive}
            onChange={(e) => {
              setResponsive(e.target.checked);
              run(host.emulator.setCardTerminalResponsive({ responsive: e.target.checked }));
            }}
          />{' '}
          {t('emulator.responsive')}
        </label>
        <button type="button" className="small" onClick={() => run(host.emulator.closeDrawer())}>
          {t('emulator.closeDrawer')}
        </button>
      </div>
      <div className="emu-row" role="group" aria-label={t('scanner.emulator.title')}>
        <span className="small muted">{t('scanner.emulator.title')}:</span>
        <label className="small">
          {t('demoShoppers.shopper')}{' '}
          <input
            className="tiny"
            inputMode="numeric"
            value={shopper}
            onChange={(e) => setShopper(e.target.value)}
          />
        </label>
        <Percent label={t('scanner.emulator.quality')} value={quality} onChange={setQuality} />
        <Percent label={t('scanner.emulator.liveness')} value={liveness} onChange={setLiveness} />
        <button
          type="button"
          className="small"
          onClick={() => {
            const id = Number(shopper);
            if (!/^\d+$/.test(shopper.trim()) || !Number.isSafeInteger(id) || id >= STRANGER_BASE) {
              setError(t('emulator.badIdentity'));
              return;
            }
            present(id);
          }}
        >
          {t('scanner.emulator.present')}
        </button>
        <button
          type="button"
          className="small"
          onClick={() => present(STRANGER_BASE + nextStranger++)}
        >
          {t('demoShoppers.stranger')}
        </button>
        <button type="button" className="small" onClick={() => run(host.emulator.removePalm())}>
          {t('scanner.emulator.remove')}
        </button>
        <button type="button" className="small" onClick={() => run(host.emulator.unplugScanner())}>
          {t('scanner.emulator.unplug')}
        </button>
        <button type="button" className="small" onClick={() => run(host.emulator.replugScanner())}>
          {t('scanner.emulator.replug')}
        </button>
        <label className="small">
          <input
            type="checkbox"
            checked={fault}
            onChange={(e) => {
              setFault(e.target.checked);
              run(host.emulator.setScannerFault({ fault: e.target.checked ? 'sensor' : 'none' }));
            }}
          />{' '}
          {t('scanner.emulator.sensorFault')}
        </label>
      </div>
      <p className="small muted emu-hint">
        {enrolled}
        {enrolled && presented !== null && ' · '}
        {presented !== null && (
          <span data-testid="emulator-presented">
            {t('demoShoppers.presented', { identity: presented })}
          </span>
        )}
      </p>
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      <PrinterPaper />
    </details>
  );
}

/** A labelled 0–100 slider showing its value. */
function Percent(props: { label: string; value: number; onChange(v: number): void }) {
  return (
    <label className="small">
      {props.label}{' '}
      <input
        type="range"
        min={0}
        max={100}
        value={props.value}
        onChange={(e) => props.onChange(Number(e.target.value))}
      />{' '}
      {props.value}
    </label>
  );
}
