import { useEffect, useState } from 'react';
import { useTranslation } from '../i18n/use-translation';

interface Props {
  /** Watching: items in the basket and nothing paid or in flight. */
  active: boolean;
  idleMs: number;
  graceMs: number;
  onAbandoned(): void;
}

/**
 * Items in the basket and no touch or scan for `idleMs`: "are you still there?" for `graceMs`,
 * then the basket is set aside (the caller suspends and logs it) and the welcome screen returns.
 */
export function IdleGuard({ active, idleMs, graceMs, onAbandoned }: Props) {
  const { t } = useTranslation();
  const [lastInput, setLastInput] = useState(() => Date.now());
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    const touch = () => setLastInput(Date.now());
    const events = ['pointerdown', 'keydown', 'touchstart'] as const;
    for (const e of events) window.addEventListener(e, touch, { capture: true, passive: true });
    return () => {
      for (const e of events) window.removeEventListener(e, touch, { capture: true });
    };
  }, []);
  useEffect(() => {
    if (!active) return;
    setLastInput(Date.now());
    const id = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(id);
  }, [active]);

  const idleFor = now - lastInput;
  const asking = active && idleFor >= idleMs;
  const gone = active && idleFor >= idleMs + graceMs;
  useEffect(() => {
    if (gone) {
      setLastInput(Date.now());
      onAbandoned();
    }
  }, [gone, onAbandoned]);

  if (!asking || gone) return null;
  const left = Math.max(0, Math.ceil((idleMs + graceMs - idleFor) / 1000));
  return (
    <div className="modal-backdrop">
      <div
        className="modal kiosk-idle"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby="idle-title"
        aria-describedby="idle-body"
        data-testid="kiosk-idle"
      >
        <h2 id="idle-title">{t('kiosk.stillThere')}</h2>
        <p id="idle-body">{t('kiosk.stillThereBody', { seconds: left })}</p>
        <button type="button" className="kiosk-primary" onClick={() => setLastInput(Date.now())}>
          {t('kiosk.stillHere')}
        </button>
      </div>
    </div>
  );
}
