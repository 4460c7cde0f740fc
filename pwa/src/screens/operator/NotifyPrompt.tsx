// Asks once, on a tap (browsers ignore a question nobody tapped for), whether new help
// requests may show a system notification. Either answer is kept; a "no" is never asked again.
import { useState } from 'preact/hooks';
import { Button } from '../../components/Button';
import { useI18n } from '../../i18n/context';
import { askNotify, declineNotify, notifyState, type NotifyState } from '../../lib/alarm';
import { browserStore } from '../../lib/storage';

const store = browserStore();

export function NotifyPrompt() {
  const { t } = useI18n();
  const [state, setState] = useState<NotifyState>(() => notifyState(store));
  const [asking, setAsking] = useState(false);
  if (state === 'denied') {
    return (
      <p class="muted small" data-testid="notify-off">
        {t('al_notify_off')}
      </p>
    );
  }
  if (state !== 'ask') return null;
  return (
    <section class="card notify-ask" data-testid="notify-ask">
      <h3>{t('al_ask_title')}</h3>
      <p class="muted">{t('al_ask_body')}</p>
      <div class="dialog-actions">
        <button
          type="button"
          class="btn btn-secondary"
          data-testid="notify-no"
          onClick={() => {
            declineNotify(store);
            setState('denied');
          }}
        >
          {t('al_ask_no')}
        </button>
        <Button
          busy={asking}
          data-testid="notify-yes"
          onClick={async () => {
            setAsking(true);
            setState(await askNotify(store));
            setAsking(false);
          }}
        >
          {t('al_ask_yes')}
        </Button>
      </div>
    </section>
  );
}
