import i18next from 'i18next';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { I18nextProvider, initReactI18next } from 'react-i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScannerStatus as Info } from '../../common/host/contract';
import { scannerStrings } from '../../renderer/src/i18n/scanner-strings';
import { ScannerStatus } from '../../renderer/src/shell/ScannerStatus';

/** The status-bar entry for the palm scanner, rendered in each language (it lives in renderer/). */

const i18n = i18next.createInstance();
beforeAll(async () => {
  await i18n.use(initReactI18next).init({
    resources: {
      en: { translation: scannerStrings.en },
      de: { translation: scannerStrings.de },
      ko: { translation: scannerStrings.ko },
    },
    lng: 'en',
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
  });
});

const base: Info = {
  state: 'ready',
  kind: 'hardware',
  model: 'PalmScan One',
  serial: 'PS1-0042-77',
  firmware: '2.3.44',
  keyState: 'approved',
  keyFingerprint: '0123456789abcdef',
  publicKey: `04${'ab'.repeat(64)}`,
  rejectedCaptures: 0,
  lastError: null,
};

async function render(scanner: Info | null, lng = 'en'): Promise<string> {
  await i18n.changeLanguage(lng);
  return renderToStaticMarkup(
    createElement(I18nextProvider, { i18n }, createElement(ScannerStatus, { scanner })),
  );
}

describe('ScannerStatus', () => {
  it('shows each state', async () => {
    expect(await render(null)).toContain('Palm scanner: not connected');
    expect(await render(base)).toMatch(/class="dev ready".*Palm scanner: ready/);
    expect(await render({ ...base, state: 'capturing' })).toContain('reading palm…');
    expect(await render({ ...base, state: 'fault', lastError: 'SENSOR_FAULT' })).toMatch(
      /dev fault.*out of order.*The palm scanner is out of order/,
    );
  });
  it('flags a pending or mismatched key, the emulator and refused captures', async () => {
    expect(await render({ ...base, keyState: 'pending' })).toMatch(
      /warn.*key awaits manager approval/,
    );
    expect(
      await render({ ...base, state: 'fault', keyState: 'mismatch', lastError: null }),
    ).toContain('unknown device key');
    expect(await render({ ...base, kind: 'emulator', rejectedCaptures: 2 })).toContain(
      'emulated · 2 captures refused',
    );
  });
  it('speaks German and Korean', async () => {
    expect(await render(base, 'de')).toContain('Handflächenscanner: bereit');
    expect(await render({ ...base, state: 'absent' }, 'ko')).toContain('손바닥 스캐너: 연결 안 됨');
  });
  it('has the same keys in every language', () => {
    const keys = (o: object, p = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === 'object' ? keys(v as object, `${p}${k}.`) : [`${p}${k}`],
      );
    const en = keys(scannerStrings.en).sort();
    expect(keys(scannerStrings.de).sort()).toEqual(en);
    expect(keys(scannerStrings.ko).sort()).toEqual(en);
  });
});
