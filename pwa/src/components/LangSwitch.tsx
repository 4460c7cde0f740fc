import { useState } from 'preact/hooks';
import { LOCALES, type Locale, type MessageKey } from '../i18n';
import { useI18n } from '../i18n/context';

const LABEL: Record<Locale, MessageKey> = { 'zh-CN': 'lang_zh_CN', en: 'lang_en' };

/** Two big buttons, 中文 | English; the current one is pressed. */
export function LangSwitch() {
  const { locale, t, chooseLocale } = useI18n();
  const [saving, setSaving] = useState(false);
  const choose = async (next: Locale) => {
    if (next === locale || saving) return;
    setSaving(true);
    try {
      await chooseLocale(next);
    } finally {
      setSaving(false);
    }
  };
  return (
    <div class="lang-switch" role="group" aria-label={t('lang_label')} data-testid="lang-switch">
      <span class="lang-switch-label" aria-hidden="true">
        {t('lang_label')}
      </span>
      <div class="segmented">
        {LOCALES.map((l) => (
          <button
            key={l}
            type="button"
            lang={l}
            class={l === locale ? 'seg seg-on' : 'seg'}
            aria-pressed={l === locale}
            disabled={saving}
            data-testid={`lang-${l}`}
            onClick={() => void choose(l)}
          >
            {t(LABEL[l])}
          </button>
        ))}
      </div>
      {saving ? (
        <p class="muted small" role="status" data-testid="lang-saving">
          {t('profile_language_saving')}
        </p>
      ) : null}
    </div>
  );
}
