import { useI18n } from '../i18n/context';
import { OfflineIcon } from './Icons';

export function OfflineBanner() {
  const { t } = useI18n();
  return (
    <div class="offline-banner" role="status" data-testid="offline-banner">
      <OfflineIcon size={22} />
      <span>{t('offline_banner')}</span>
    </div>
  );
}
