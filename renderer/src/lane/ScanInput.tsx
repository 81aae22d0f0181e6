import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from '../i18n/use-translation';
import type { Product } from '../../../common/catalog';
import { useApp } from '../app-context';
import { searchProducts } from '../db/catalog';
import { describeError } from './errors';
import { useMoneyFormat } from './format';

interface Props {
  disabled: boolean;
  onBarcode(text: string): Promise<void>;
  onPick(product: Product): void;
  onError(message: string | null): void;
}

const looksLikeScan = (text: string) => /^\s*(\d{1,4}\s*[*xX]\s*)?\d+\s*$/.test(text);

/**
 * One field for scans and searches. A keyboard-wedge scanner types digits then Enter at full
 * speed, often the next code before the previous lookup finishes: Enter takes the field's value
 * and clears it synchronously, and hands it on at once (the checkout applies scans in order).
 */
export function ScanInput({ disabled, onBarcode, onPick, onError }: Props) {
  const { t } = useTranslation();
  const { db } = useApp();
  const fmt = useMoneyFormat();
  const inputRef = useRef<HTMLInputElement>(null);
  const [value, setValue] = useState('');
  const [results, setResults] = useState<Product[] | null>(null);
  // ↓ pressed before the search answered (a fast cashier on a busy lane): open the list when it does.
  const wantsList = useRef(false);

  useEffect(() => {
    if (!disabled) inputRef.current?.focus();
  }, [disabled]);

  // Search as the cashier types a name (not for digit strings: those are scans in progress).
  useEffect(() => {
    const q = value.trim();
    if (q.length < 2 || looksLikeScan(q)) {
      setResults(null);
      return;
    }
    let stale = false;
    void searchProducts(db, q).then((r) => {
      if (!stale) setResults(r);
    });
    return () => {
      stale = true;
    };
  }, [db, value]);

  useEffect(() => {
    if (wantsList.current && results?.length) {
      wantsList.current = false;
      document.querySelector<HTMLButtonElement>('#search-results button')?.focus();
    }
  }, [results]);

  // Digits typed while focus is elsewhere (a wedge scan after clicking a button) go to the field.
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      const typing =
        target &&
        (target.tagName === 'INPUT' ||
          target.tagName === 'TEXTAREA' ||
          target.tagName === 'SELECT');
      if (!disabled && !typing && /^\d$/.test(e.key) && !e.ctrlKey && !e.metaKey && !e.altKey) {
        inputRef.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [disabled]);

  /**
   * Enter on a name: one match is added; otherwise the text stays and the list shows, so nothing
   * the cashier typed is lost. Searches afresh: the list on screen may be for an earlier keystroke.
   */
  const submitName = async (text: string) => {
    const found = await searchProducts(db, text.trim());
    if (found.length === 1 && found[0]) return pick(found[0]);
    setValue(text);
    setResults(found);
  };

  const submit = (text: string) => {
    if (text.trim() === '') return;
    if (!looksLikeScan(text)) {
      void submitName(text);
      return;
    }
    // onBarcode applies scans in the order they come (useCheckout), so this one is sent at once:
    // a tender key pressed after it then waits for it.
    onBarcode(text).then(
      () => onError(null),
      (e: unknown) => onError(describeError(t, e)),
    );
  };

  const pick = (p: Product) => {
    wantsList.current = false;
    onPick(p);
    setValue('');
    setResults(null);
    onError(null);
    inputRef.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      const text = e.currentTarget.value;
      e.currentTarget.value = '';
      setValue('');
      submit(text);
    } else if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (results?.length)
        document.querySelector<HTMLButtonElement>('#search-results button')?.focus();
      else wantsList.current = !looksLikeScan(e.currentTarget.value.trim());
    } else if (e.key === 'Escape') {
      wantsList.current = false;
      setValue('');
      setResults(null);
    }
  };

  return (
    <div className="scan">
      <label htmlFor="scan-input" className="scan-label">
        {t('scan.label')}
      </label>
      <input
        id="scan-input"
        ref={inputRef}
        className="scan-input"
        autoComplete="off"
        spellCheck={false}
        placeholder={t('scan.placeholder')}
        value={value}
        disabled={disabled}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={onKeyDown}
        aria-describedby="scan-hint"
        aria-controls="search-results"
        aria-expanded={Boolean(results?.length)}
        role="combobox"
        aria-autocomplete="list"
      />
      <p id="scan-hint" className="hint">
        {t('scan.hint')}
      </p>
      {results && (
        <ul id="search-results" className="search-results" aria-label={t('scan.results')}>
          {results.length === 0 && (
            <li className="muted">{t('scan.noResults', { query: value.trim() })}</li>
          )}
          {results.map((p, i) => (
            <li key={p.id}>
              <button
                type="button"
                aria-label={t('scan.add', { name: p.name })}
                onClick={() => pick(p)}
                onKeyDown={(e) => {
                  const items =
                    document.querySelectorAll<HTMLButtonElement>('#search-results button');
                  if (e.key === 'ArrowDown') items[i + 1]?.focus();
                  if (e.key === 'ArrowUp') (i === 0 ? inputRef.current : items[i - 1])?.focus();
                  if (e.key === 'Escape') inputRef.current?.focus();
                }}
              >
                <span>{p.name}</span>
                <span className="price">{fmt(p.price)}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
