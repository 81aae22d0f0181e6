import { useMemo } from 'react';
import { useTranslation as useI18next } from 'react-i18next';

type Translation = ReturnType<typeof useI18next>;
type T = Translation['t'];

/** Past this many distinct strings the memo starts afresh (a long day's receipt numbers). */
const MAX_ENTRIES = 2000;

/** One memo per i18next instance and language, shared by every component (a receipt mounts
 * afresh each sale). The bundles are all loaded at start (i18n/index.ts), so a key's text in a
 * language never changes while the page lives. */
const shared = new WeakMap<object, Map<string, Map<string, string>>>();
function sharedMemo(i18n: object, language: string): Map<string, string> {
  let byLanguage = shared.get(i18n);
  if (!byLanguage) shared.set(i18n, (byLanguage = new Map()));
  let memo = byLanguage.get(language);
  if (!memo) byLanguage.set(language, (memo = new Map()));
  return memo;
}

/**
 * `t`, remembering what it returned. i18next's own call costs ~30 µs (it copies its whole
 * options object on every call), and the lane asks for a few hundred strings per sale, on the
 * main thread between a palm's match and the receipt. A string depends only on the language,
 * the key and the call's options (numbers and strings), so a memo per language returns the same
 * text for a small fraction of the cost.
 * Calls whose options are not plain data go straight through.
 */
export function memoiseT(t: T, memo = new Map<string, string>()): T {
  const call = t as unknown as (...args: unknown[]) => unknown;
  const cached = (key: unknown, options?: unknown, ...rest: unknown[]): unknown => {
    if (typeof key !== 'string' || rest.length > 0) return call(key, options, ...rest);
    let id: string | undefined;
    if (options === undefined) id = key;
    else if (options && typeof options === 'object' && isPlain(options))
      id = `${key}\u0000${JSON.stringify(options)}`;
    if (id === undefined) return call(key, options);
    const hit = memo.get(id);
    if (hit !== undefined) return hit;
    const text: unknown = call(key, options);
    if (typeof text !== 'string') return text;
    if (memo.size >= MAX_ENTRIES) memo.clear();
    memo.set(id, text);
    return text;
  };
  return cached as unknown as T;
}

/** Options of strings, numbers, booleans and null only: what JSON.stringify keys exactly. */
function isPlain(o: object): boolean {
  if (Object.getPrototypeOf(o) !== Object.prototype) return false;
  for (const v of Object.values(o)) {
    const k = typeof v;
    if (k === 'number' ? !Number.isFinite(v) : v !== null && k !== 'string' && k !== 'boolean')
      return false;
  }
  return true;
}

/** react-i18next's hook with a memoised `t` (see memoiseT); the renderer uses only this one. */
export function useTranslation(): Translation {
  const translation = useI18next();
  const { t, i18n, ready } = translation;
  const language = i18n.language;
  const memoised = useMemo(() => memoiseT(t, sharedMemo(i18n, language)), [t, i18n, language]);
  return useMemo(
    () =>
      Object.assign([memoised, i18n, ready], {
        t: memoised,
        i18n,
        ready,
      }) as unknown as Translation,
    [memoised, i18n, ready],
  );
}
