// `#/help/sos`: in an emergency the calls come first (120 / 110 / 122, no network needed),
// then the SOS request to the nearby station and the street, filed as from the help home.
// Also the help home's bottom bar: SOS and "ask for help" where the thumb is.
import type { User } from '../../api/types';
import { Button } from '../../components/Button';
import { BackIcon } from '../../components/Icons';
import { useI18n } from '../../i18n/context';
import { EmergencyCalls } from './Emergency';
import { SosButton } from './Sos';

export function SosScreen({ user, navigate }: { user: User | null; navigate(hash: string, replace?: boolean): void }) {
  const { t } = useI18n();
  return (
    <section class="hr hr-sos-screen" data-testid="sos-screen">
      <button type="button" class="btn btn-secondary back" data-testid="hr-back" onClick={() => navigate('#/help', true)}>
        <BackIcon size={22} />
        {t('hr_back')}
      </button>
      <h2>{t('hr_sos')}</h2>
      <EmergencyCalls />
      <div class="card stack">
        <h3>{t('hr_sos_file_title')}</h3>
        <p class="muted small">{t('hr_sos_file_hint')}</p>
        <SosButton userId={user?.id ?? null} testid="hr-sos-send" onFiled={() => navigate('#/help', true)} />
      </div>
    </section>
  );
}

/** The help home's actions, docked above the tab bar: SOS (to the SOS screen) and 我要求助. */
export function HelpActionBar({ open }: { open(hash: string): void }) {
  const { t } = useI18n();
  return (
    <div class="hr-actionbar" data-testid="hr-actionbar">
      <a class="hr-sos hr-sos-compact" href="#/help/sos" data-testid="hr-sos" onClick={(e) => (e.preventDefault(), open('#/help/sos'))}>
        <span class="hr-sos-big">SOS</span>
        <span class="hr-sos-text">
          <strong>{t('hr_sos')}</strong>
        </span>
      </a>
      <Button data-testid="hr-new" onClick={() => open('#/help/new')}>
        {t('hr_new')}
      </Button>
    </div>
  );
}
