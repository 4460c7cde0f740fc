// The emergency numbers as one-tap calls. A phone call needs no data connection, and this is
// static content of the help chunk (precached by the service worker), so it works offline.
import { useI18n } from '../../i18n/context';
import type { MessageKey } from '../../i18n';

const NUMBERS = [
  { number: '120', label: 'hr_call_120' },
  { number: '110', label: 'hr_call_110' },
  { number: '122', label: 'hr_call_122' },
] as const satisfies readonly { number: string; label: MessageKey }[];

export function EmergencyCalls({ testid = 'emergency-calls' }: { testid?: string }) {
  const { t } = useI18n();
  return (
    <section class="card hr-calls" data-testid={testid} aria-labelledby={`${testid}-title`}>
      <h2 id={`${testid}-title`}>{t('hr_calls_title')}</h2>
      <p class="muted small">{t('hr_calls_hint')}</p>
      <div class="hr-calls-grid">
        {NUMBERS.map((n) => (
          <a key={n.number} class={`hr-call hr-call-${n.number}`} href={`tel:${n.number}`} data-testid={`call-${n.number}`}>
            <svg width={26} height={26} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
              <path
                d="M6.6 10.8a15.1 15.1 0 0 0 6.6 6.6l2.2-2.2a1 1 0 0 1 1-.25 11.4 11.4 0 0 0 3.6.57 1 1 0 0 1 1 1V20a1 1 0 0 1-1 1A17 17 0 0 1 3 4a1 1 0 0 1 1-1h3.5a1 1 0 0 1 1 1c0 1.25.2 2.45.57 3.57a1 1 0 0 1-.25 1z"
                fill="currentColor"
              />
            </svg>
            <span class="hr-call-number">{n.number}</span>
            <span class="hr-call-label">{t(n.label)}</span>
          </a>
        ))}
      </div>
    </section>
  );
}

/** Categories where a call comes before any form. */
export const CALL_FIRST = new Set(['medical', 'traffic_accident']);
