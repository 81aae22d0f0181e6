import { useState, type FormEvent } from 'react';
import { useTranslation } from '../i18n/use-translation';
import type { SyncEngine } from '../sync/engine';

/** Manager → Connect this lane: the one-time code a manager issued in the store dashboard. */
export function ProvisionForm({ engine, defaultUrl }: { engine: SyncEngine; defaultUrl: string }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [url, setUrl] = useState(defaultUrl);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    setBusy(true);
    setMessage(null);
    try {
      await engine.provision(code, url || undefined);
      setMessage({
        ok: true,
        text: t('manager.provisionDone', { store: engine.state$.get().storeName ?? '' }),
      });
      setCode('');
    } catch (err) {
      setMessage({ ok: false, text: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form
      className="manager-provision"
      onSubmit={(e) => void submit(e)}
      aria-labelledby="provision-title"
    >
      <h3 id="provision-title">{t('manager.provisionTitle')}</h3>
      <p className="muted small">{t('manager.provisionHelp')}</p>
      <label htmlFor="provision-url">{t('manager.provisionUrl')}</label>
      <input
        id="provision-url"
        type="url"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        autoComplete="off"
      />
      <label htmlFor="provision-code">{t('manager.provisionCode')}</label>
      <input
        id="provision-code"
        value={code}
        onChange={(e) => setCode(e.target.value.toUpperCase())}
        placeholder="ABCD-EFGH-JKLM"
        autoComplete="off"
        spellCheck={false}
      />
      <button type="submit" className="primary" disabled={busy || code.length < 14}>
        {t('manager.provisionSubmit')}
      </button>
      {message && (
        <p className={message.ok ? 'ok' : 'error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
    </form>
  );
}
