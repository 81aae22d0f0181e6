import i18next, { type TFunction } from 'i18next';
import { describe, expect, it } from 'vitest';
import { memoiseT } from './use-translation';

async function instance(lng: string) {
  const i = i18next.createInstance();
  await i.init({
    lng,
    resources: {
      en: {
        translation: {
          hi: 'Hello',
          n: 'Receipt {{no}}',
          item_one: '{{count}} item',
          item_other: '{{count}} items',
        },
      },
      de: {
        translation: {
          hi: 'Hallo',
          n: 'Beleg {{no}}',
          item_one: '{{count}} Artikel',
          item_other: '{{count}} Artikel',
        },
      },
    },
    interpolation: { escapeValue: false },
  });
  return i;
}

/** i18next's `t` for `lng`, counting the calls that reach it. */
async function counting(lng: string) {
  const i = await instance(lng);
  const seen = { calls: 0 };
  const t = ((...a: Parameters<TFunction>) => {
    seen.calls++;
    return i.t(...a);
  }) as TFunction;
  return { t, seen };
}

describe('memoiseT', () => {
  it('gives what i18next gives, for fixed strings, interpolations and plurals', async () => {
    const i = await instance('en');
    const t = memoiseT(i.t);
    for (let round = 0; round < 2; round++) {
      expect(t('hi')).toBe('Hello');
      expect(t('n', { no: 7 })).toBe('Receipt 7');
      expect(t('n', { no: 8 })).toBe('Receipt 8');
      expect(t('item', { count: 1 })).toBe('1 item');
      expect(t('item', { count: 3 })).toBe('3 items');
      expect(t('missing.key')).toBe('missing.key');
    }
  });

  it('asks i18next once per distinct call', async () => {
    const { t: counted, seen } = await counting('en');
    const t = memoiseT(counted);
    t('hi');
    t('hi');
    t('n', { no: 1 });
    t('n', { no: 1 });
    t('n', { no: 2 });
    expect(seen.calls).toBe(3);
  });

  it('passes through options it cannot key exactly (objects, functions, NaN)', async () => {
    const { t: counted, seen } = await counting('en');
    const t = memoiseT(counted);
    t('n', { no: Number.NaN });
    t('n', { no: Number.NaN });
    t('n', { no: { nested: 1 } } as never);
    t('n', { no: { nested: 1 } } as never);
    expect(seen.calls).toBe(4);
  });

  it('keeps a memo per t, so a new language is never answered from the old one', async () => {
    const en = memoiseT((await instance('en')).t);
    const de = memoiseT((await instance('de')).t);
    expect(en('hi')).toBe('Hello');
    expect(de('hi')).toBe('Hallo');
    expect(de('n', { no: 3 })).toBe('Beleg 3');
  });

  it('shares one memo between components of a language (a receipt mounts afresh each sale)', async () => {
    const { t: counted, seen } = await counting('en');
    const memo = new Map<string, string>();
    expect(memoiseT(counted, memo)('n', { no: 5 })).toBe('Receipt 5');
    expect(memoiseT(counted, memo)('n', { no: 5 })).toBe('Receipt 5');
    expect(seen.calls).toBe(1);
  });
});
