import { useRegisterSW } from 'virtual:pwa-register/preact';
import { useI18n } from '../i18n/context';

/** Registers the service worker; offers a reload when a new version is waiting. */
export function UpdateToast() {
  const { t } = useI18n();
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
  } = useRegisterSW({ immediate: true });

  if (needRefresh) {
    return (
      <div class="toast" role="alertdialog" aria-live="polite" data-testid="update-toast">
        <span>{t('update_available')}</span>
        <div class="toast-actions">
          <button type="button" class="btn btn-primary" data-testid="update-reload" onClick={() => void updateServiceWorker(true)}>
            {t('update_reload')}
          </button>
          <button type="button" class="btn btn-secondary" onClick={() => setNeedRefresh(false)}>
            {t('update_later')}
          </button>
        </div>
      </div>
    );
  }
  if (offlineReady) {
    return (
      <div class="toast" role="status" data-testid="offline-ready-toast">
        <span>{t('offline_ready')}</span>
        <div class="toast-actions">
          <button type="button" class="btn btn-secondary" onClick={() => setOfflineReady(false)}>
            {t('close')}
          </button>
        </div>
      </div>
    );
  }
  return null;
}
