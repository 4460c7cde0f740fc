import type { ComponentChildren } from 'preact';
import { useI18n } from '../i18n/context';

/** An honest "not yet": what will be here, and that it comes in a later release. */
export function Placeholder(p: { icon: ComponentChildren; title: string; detail: string; testid: string }) {
  const { t } = useI18n();
  return (
    <section class="card placeholder" data-testid={p.testid}>
      <div class="placeholder-icon">{p.icon}</div>
      <h2>{p.title}</h2>
      <p>{p.detail}</p>
      <span class="badge">{t('coming_later')}</span>
    </section>
  );
}
