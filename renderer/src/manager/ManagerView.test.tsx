import { readFileSync } from 'node:fs';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import i18next from 'i18next';
import { renderToString } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { TerminalDatabase } from '../db/database';
import { syncStrings } from '../i18n/sync-strings';
import { ManagerView } from './ManagerView';

/** Every literal key the sync UI asks for, found in its source. */
function usedKeys(): string[] {
  const files = ['./ManagerView.tsx', '../sync/SyncStatus.tsx'].map((f) =>
    readFileSync(new URL(f, import.meta.url), 'utf8'),
  );
  const keys = new Set<string>();
  for (const src of files) for (const m of src.matchAll(/\bt\('([a-zA-Z.]+)'/g)) keys.add(m[1]!);
  return [...keys];
}

function lookup(tree: unknown, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>(
      (node, part) =>
        node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined,
      tree,
    );
}

describe('sync UI strings', () => {
  it('exist in English, German and Korean for every key the components use', () => {
    const keys = usedKeys();
    expect(keys.length).toBeGreaterThan(30);
    for (const lang of ['en', 'de', 'ko'] as const) {
      for (const key of keys) {
        const plural = key === 'sync.pending' || key === 'sync.rejected';
        const value = plural
          ? lookup(syncStrings[lang], `${key}_other`)
          : lookup(syncStrings[lang], key);
        expect(typeof value, `${lang}: ${key}`).toBe('string');
      }
    }
  });
});

describe('ManagerView', () => {
  it('starts locked behind the manager PIN, with a labelled input', async () => {
    const i18n = i18next.createInstance();
    await i18n.use(initReactI18next).init({
      lng: 'de',
      resources: { de: { translation: syncStrings.de } },
      interpolation: { escapeValue: false },
    });
    const db = new TerminalDatabase('manager-view-test', { indexedDB, IDBKeyRange });
    const html = renderToString(
      <I18nextProvider i18n={i18n}>
        <ManagerView db={db} engine={null} locale="de-DE" />
      </I18nextProvider>,
    );
    expect(html).toContain('Leitungs-PIN eingeben');
    expect(html).toMatch(/<label for="manager-pin-input">/);
    expect(html).toContain('type="password"');
    expect(html).not.toContain('Warteschlange'); // nothing of the queue before the PIN
    db.close();
  });
});
