import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TEST_CARDS } from '../../../common/host/test-cards';
import { useApp } from '../app-context';
import { describeError } from '../lane/errors';

/**
 * Development and demo builds only: stands in for the customer at the devices (tap a test card,
 * press cancel on the card terminal, shut the drawer).
 */
export function EmulatorPanel() {
  const { t } = useTranslation();
  const { host } = useApp();
  const [responsive, setResponsive] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const run = (p: Promise<unknown>) => {
    setError(null);
    p.catch((e: unknown) => setError(describeError(t, e)));
  };
  return (
    <details className="emulator" open>
      <summary>{t('emulator.title')}</summary>
      <div role="group" aria-label={t('emulator.cards')}>
        <p className="small muted">{t('emulator.cards')}</p>
        {TEST_CARDS.map((c) => (
          <button key={c.pan} type="button" className="small" onClick={() => run(host.emulator.presentCard({ pan: c.pan }))}>
            {c.label}
          </button>
        ))}
      </div>
      <button type="button" className="small" onClick={() => run(host.emulator.cardCustomerCancel())}>
        {t('emulator.customerCancel')}
      </button>
      <button type="button" className="small" onClick={() => run(host.emulator.closeDrawer())}>
        {t('emulator.closeDrawer')}
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
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
    </details>
  );
}
