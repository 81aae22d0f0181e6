import { readFileSync } from 'node:fs';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import i18next from 'i18next';
import { renderToString } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { describe, expect, it } from 'vitest';
import { TerminalDatabase } from '../db/database';
import { palmTenderStrings } from '../i18n/palm-tender-strings';
import { staffStrings } from '../i18n/staff-strings';
import { de, en, ko } from '../i18n/strings';
import { syncStrings } from '../i18n/sync-strings';
import { CredentialDialog } from '../staff/CredentialDialog';
import { ManagerView } from './ManagerView';

/** Every literal key the sync and credential UI asks for, found in its source. */
function usedKeys(): string[] {
  const files = [
    './ManagerView.tsx',
    '../sync/SyncStatus.tsx',
    '../staff/CredentialDialog.tsx',
    '../settings/SettingsView.tsx',
  ].map((f) => readFileSync(new URL(f, import.meta.url), 'utf8'));
  const keys = new Set<string>();
  for (const src of files) for (const m of src.matchAll(/\bt\('([a-zA-Z.]+)'/g)) keys.add(m[1]!);
  return [...keys];
}

const base = { en, de, ko };

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
        const plural = ['sync.pending', 'sync.rejected', 'staff.wrong'].includes(key);
        const tree = {
          ...base[lang],
          ...syncStrings[lang],
          ...staffStrings[lang],
          ...palmTenderStrings[lang],
        };
        const value = plural ? lookup(tree, `${key}_other`) : lookup(tree, key);
        expect(typeof value, `${lang}: ${key}`).toBe('string');
      }
    }
  });
});

describe('ManagerView', () => {
  it('shows nothing of the queue before a manager’s credential; the dialog has a labelled passcode', async () => {
    const i18n = i18next.createInstance();
    await i18n.use(initReactI18next).init({
      lng: 'de',
      resources: { de: { translation: { ...syncStrings.de, ...staffStrings.de } } },
      interpolation: { escapeValue: false },
    });
    const db = new TerminalDatabase('manager-view-test', { indexedDB, IDBKeyRange });
    const view = renderToString(
      <I18nextProvider i18n={i18n}>
        <ManagerView db={db} engine={null} locale="de-DE" />
      </I18nextProvider>,
    );
    expect(view).not.toContain('Warteschlange');
    expect(view).not.toContain('manager-stats');
    const dialog = renderToString(
      <I18nextProvider i18n={i18n}>
        <CredentialDialog
          db={db}
          purpose="Die Leitungsansicht öffnen."
          action="test"
          onApproved={() => undefined}
          onCancel={() => undefined}
        />
      </I18nextProvider>,
    );
    expect(dialog).toContain('Freigabe durch die Filialleitung');
    expect(dialog).toMatch(/<label for="credential-passcode">Code<\/label>/);
    expect(dialog).toContain('type="password"');
    expect(dialog).toContain('role="dialog"');
    db.close();
  });
});
