import { useState } from 'react';
import { useTranslation } from '../i18n/use-translation';
import { useApp } from '../app-context';
import type { TerminalDatabase } from '../db/database';
import type { SyncEngine } from '../sync/engine';
import { laneDiagnostics } from './diagnostics';

/**
 * Manager view → Diagnostics: builds the export (diagnostics.ts), shows it, and saves it as a
 * JSON file the manager can send to a technician. It holds no personal data by construction.
 */
export function DiagnosticsPanel({
  db,
  engine,
}: {
  db: TerminalDatabase;
  engine: SyncEngine | null;
}) {
  const { t } = useTranslation();
  const { host, profile, settings } = useApp();
  const [text, setText] = useState<string | null>(null);
  const [url, setUrl] = useState<string | null>(null);

  async function build(): Promise<void> {
    const hostPart = await host.support
      .diagnostics()
      .catch((e: unknown) => ({ error: e instanceof Error ? e.message : String(e) }));
    const outboxPending = await db.outbox.where('status').equals('pending').count();
    const json = JSON.stringify(
      laneDiagnostics({
        host: hostPart,
        sync: engine?.state$.get() ?? null,
        outboxPending,
        profileId: profile.id,
        locale: profile.locale,
        laneCode: settings.laneCode,
        buildMode: import.meta.env.MODE,
        userAgent: navigator.userAgent,
        palmPay: null,
      }),
      null,
      2,
    );
    if (url) URL.revokeObjectURL(url);
    setUrl(URL.createObjectURL(new Blob([json], { type: 'application/json' })));
    setText(json);
  }

  return (
    <section className="manager-diagnostics" aria-labelledby="diagnostics-title">
      <h3 id="diagnostics-title">{t('diagnostics.title')}</h3>
      <p className="muted small">{t('diagnostics.help')}</p>
      <button type="button" data-testid="diagnostics-build" onClick={() => void build()}>
        {t('diagnostics.build')}
      </button>
      {url && (
        <a
          href={url}
          download={`diagnostics-${settings.laneCode}-${new Date().toISOString().slice(0, 10)}.json`}
          data-testid="diagnostics-download"
        >
          {t('diagnostics.download')}
        </a>
      )}
      {text && (
        <pre className="diagnostics-json" data-testid="diagnostics">
          {text}
        </pre>
      )}
    </section>
  );
}
