import { DEFAULT_LOCALE, isLocale, translator, type Locale } from '../i18n';
import type { KeyValueStore } from '../lib/storage';

export const LOCALE_KEYS = {
  locale: 'warmnew.locale',
  /** A language chosen on this device that the server has not been told about yet. */
  pending: 'warmnew.locale_pending',
} as const;

export interface LocaleStore {
  get(): Locale;
  /** The user picked a language here; it stays pending until the server has it. */
  choose(locale: Locale): void;
  /** Takes the server's saved choice (at login, when nothing is pending). */
  adopt(locale: Locale): void;
  pending(): Locale | null;
  clearPending(): void;
  subscribe(listener: () => void): () => void;
}

export function applyToDocument(locale: Locale, doc: Document | undefined = globalThis.document): void {
  if (!doc) return;
  doc.documentElement.lang = locale;
  doc.title = translator(locale)('app_name');
}

export function createLocaleStore(store: KeyValueStore, onChange: (l: Locale) => void = applyToDocument): LocaleStore {
  const saved = store.getItem(LOCALE_KEYS.locale);
  let current: Locale = isLocale(saved) ? saved : DEFAULT_LOCALE;
  const listeners = new Set<() => void>();
  const set = (locale: Locale) => {
    const changed = locale !== current;
    current = locale;
    store.setItem(LOCALE_KEYS.locale, locale);
    onChange(locale);
    if (changed) listeners.forEach((l) => l());
  };
  onChange(current);

  return {
    get: () => current,
    choose(locale) {
      store.setItem(LOCALE_KEYS.pending, locale);
      set(locale);
    },
    adopt(locale) {
      store.removeItem(LOCALE_KEYS.pending);
      set(locale);
    },
    pending() {
      const p = store.getItem(LOCALE_KEYS.pending);
      return isLocale(p) ? p : null;
    },
    clearPending: () => store.removeItem(LOCALE_KEYS.pending),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
