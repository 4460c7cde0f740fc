import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { DEFAULT_LOCALE, translator, type Locale, type Translate } from './index';

export interface I18nValue {
  locale: Locale;
  t: Translate;
  /** Switches language; resolves when the server has it too (when logged in). */
  chooseLocale(locale: Locale): Promise<void>;
}

export const I18nContext = createContext<I18nValue>({
  locale: DEFAULT_LOCALE,
  t: translator(DEFAULT_LOCALE),
  chooseLocale: async () => {},
});

export const useI18n = () => useContext(I18nContext);
