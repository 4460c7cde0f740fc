import rosetta from 'rosetta';
import zhCN from './zh-CN';
import en from './en';
import type helpZh from './help.zh-CN';
import type learnZh from './learn.zh-CN';
import type operatorZh from './operator.zh-CN';
import type dashboardZh from './dashboard.zh-CN';

// The main catalogue (zh-CN.ts / en.ts) is in the first load; the parts of the screens that
// are loaded on demand (help, lessons and points, operator, dashboard) register themselves
// when their screen's chunk loads (i18n/help.ts etc.), so the rider's first screen carries
// only what it shows. i18n.test.ts checks every key is in both languages; split.test.ts that
// a screen registers the parts whose keys it uses.

/** Every key, of the main catalogue and of the parts. */
export type MessageKey = keyof typeof zhCN | keyof typeof helpZh | keyof typeof learnZh | keyof typeof operatorZh | keyof typeof dashboardZh;
export type Messages = Record<MessageKey, string>;
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

/** What is loaded so far, per locale (the main catalogue, then each registered part). */
export const catalogues: Record<Locale, Record<string, string>> = { 'zh-CN': { ...zhCN }, en: { ...en } };

const i18n = rosetta<Record<string, string>>(catalogues);

/** Adds a part of the catalogue in both languages (idempotent). */
export function registerMessages(part: Record<Locale, Record<string, string>>): void {
  for (const locale of LOCALES) i18n.set(locale, part[locale]);
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** A key loaded so far (server codes are mapped to keys with this). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(catalogues[DEFAULT_LOCALE], key);
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** A translate function bound to one locale. */
export function translator(locale: Locale): Translate {
  return (key, params) => i18n.t(key, params ?? {}, locale);
}
