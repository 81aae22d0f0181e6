import { useEffect, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from '../i18n/use-translation';

/**
 * The kiosk's scan field: a keyboard-wedge scanner types digits and Enter. Each code is taken
 * and the field cleared synchronously; codes run one after another so their order holds. Digits
 * typed while focus is elsewhere (the scanner does not aim) land here.
 */
export function KioskScan({
  disabled,
  onCode,
}: {
  disabled: boolean;
  onCode(code: string): Promise<void>;
}) {
  const { t } = useTranslation();
  const ref = useRef<HTMLInputElement>(null);
  const queue = useRef<Promise<void>>(Promise.resolve());

  useEffect(() => {
    if (!disabled) ref.current?.focus();
  }, [disabled]);
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const el = ref.current;
      if (!el || disabled || document.activeElement === el) return;
      if (document.querySelector('[aria-modal="true"]')) return;
      if (/^\d$/.test(e.key)) el.focus();
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [disabled]);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    const code = e.currentTarget.value.trim();
    e.currentTarget.value = '';
    if (!code) return;
    queue.current = queue.current.then(() => onCode(code)).catch(() => undefined);
  };

  return (
    <div className="kiosk-scan">
      <label htmlFor="kiosk-scan">{t('kiosk.scanHere')}</label>
      <input
        ref={ref}
        id="kiosk-scan"
        data-testid="kiosk-scan"
        inputMode="numeric"
        autoComplete="off"
        disabled={disabled}
        onKeyDown={onKeyDown}
      />
    </div>
  );
}
