import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TEST_CARDS } from '../../../common/host/test-cards';
import { useApp } from '../app-context';
import { describeError } from '../lane/errors';

/**
 * Development and demo builds only (main.tsx loads it lazily behind a build-mode check, so a
 * production bundle does not contain it): stands in for the customer at the devices.
 */
export default function EmulatorPanel() {
  const { t } = useTranslation();
  const { host } = useApp();
  const [responsive, setResponsive] = useState(true);
  const [identity, setIdentity] = useState('42');
  const [quality, setQuality] = useState(85);
  const [liveness, setLiveness] = useState(95);
  const [fault, setFault] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = (p: Promise<unknown>) => {
    setError(null);
    p.catch((e: unknown) => setError(describeError(t, e)));
  };
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
          {t('scanner.emulator.identity')}{' '}
          <input
            className="tiny"
            inputMode="numeric"
            value={identity}
            onChange={(e) => setIdentity(e.target.value)}
          />
        </label>
        <Percent label={t('scanner.emulator.quality')} value={quality} onChange={setQuality} />
        <Percent label={t('scanner.emulator.liveness')} value={liveness} onChange={setLiveness} />
        <button
          type="button"
          className="small"
          onClick={() => {
            const id = Number(identity);
            if (!Number.isSafeInteger(id) || id < 0) {
              setError(t('emulator.badIdentity'));
              return;
            }
            run(host.emulator.presentPalm({ identity: id, quality, liveness }));
          }}
        >
          {t('scanner.emulator.present')}
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
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
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
