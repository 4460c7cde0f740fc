import rosetta from 'rosetta';
import zhCN from './zh-CN';
import en from './en';

export type MessageKey = keyof typeof zhCN;
export type Messages = Record<MessageKey, string>;
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export const catalogues: Record<Locale, Messages> = { 'zh-CN': zhCN, en };

const i18n = rosetta<Messages>(catalogues);

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(zhCN, key);
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** A translate function bound to one locale. */
export function translator(locale: Locale): Translate {
  return (key, params) => i18n.t(key, params ?? {}, locale);
}
