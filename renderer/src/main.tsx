import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { App, type BootState } from './App';
import { seedCatalog } from './db/catalog';
import { terminalDb } from './db/database';
import { laneSettings, profileFor } from './db/settings';
import { connectHost } from './host/connect';
import { initI18n } from './i18n';
import './styles.css';

const TERMINAL_KEY = 'terminal';

async function boot(onConnection: (c: boolean) => void): Promise<BootState> {
  const db = terminalDb();
  const settings = await laneSettings(db);
  const profile = profileFor(settings);
  await seedCatalog(db, profile);
  let terminal = (await db.settings.get(TERMINAL_KEY))?.value as { terminalId: string } | undefined;
  if (!terminal) {
    terminal = { terminalId: crypto.randomUUID() };
    await db.settings.put({ key: TERMINAL_KEY, value: terminal });
  }
  await initI18n(profile.locale);
  document.documentElement.lang = profile.locale.slice(0, 2);
  const host = connectHost(onConnection);
  return {
    db,
    host,
    settings,
    profile,
    terminalId: terminal.terminalId,
  };
}

// Boot once per page, even when React runs effects twice in development.
let booting: Promise<BootState> | null = null;
const listeners = new Set<(c: boolean) => void>();

function Root() {
  const [state, setState] = useState<BootState | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    listeners.add(setConnected);
    booting ??= boot((c) => listeners.forEach((l) => l(c)));
    booting.then(setState, (e: unknown) => setFailure(e instanceof Error ? e.message : String(e)));
    return () => {
      listeners.delete(setConnected);
    };
  }, []);
  if (failure) {
    return (
      <p role="alert" className="error boot-error">
        The terminal could not start: {failure}
      </p>
    );
  }
  return state ? (
    <App boot={state} hostConnected={connected} />
  ) : (
    <p className="muted boot">Starting…</p>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
