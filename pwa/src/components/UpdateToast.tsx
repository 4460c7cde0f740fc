import { useRegisterSW } from 'virtual:pwa-register/preact';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/context';
import { Toast } from './Toast';

let acted = false;

/** True once the person has tapped something on this page. The "ready offline" toast grows the
 * app bar and pushes the screen down; it waits for a tap so that never happens on its own
 * while the first screen is being read (a layout shift nobody caused: Lighthouse CLS). */
function useActed(): boolean {
  const [now, setNow] = useState(acted);
  useEffect(() => {
    if (acted) return;
    // After the tap has done its work, so the tap itself lands where it was aimed.
    const onTap = () => setTimeout(() => ((acted = true), setNow(true)), 0);
    window.addEventListener('click', onTap, { capture: true, once: true });
    return () => window.removeEventListener('click', onTap, { capture: true });
  }, []);
  return now;
}

/** Registers the service worker; offers a reload when a new version is waiting. */
export function UpdateToast() {
  const tapped = useActed();
  const { t } = useI18n();
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    offlineReady: [offlineReady, setOfflineReady],
    updateServiceWorker,
    // After the page's load event: the precache download (every chunk, for offline use)
    // must not compete with the first screen.
  } = useRegisterSW({ immediate: false });

  if (needRefresh) {
    return (
      <Toast id="update" role="alertdialog" aria-live="polite" data-testid="update-toast">
        <span>{t('update_available')}</span>
        <div class="toast-actions">
          <button type="button" class="btn btn-primary" data-testid="update-reload" onClick={() => void updateServiceWorker(true)}>
            {t('update_reload')}
          </button>
          <button type="button" class="btn btn-secondary" onClick={() => setNeedRefresh(false)}>
            {t('update_later')}
          </button>
        </div>
      </Toast>
    );
  }
  if (offlineReady && tapped) {
    return (
      <Toast id="offline-ready" role="status" data-testid="offline-ready-toast">
        <span>{t('offline_ready')}</span>
        <div class="toast-actions">
          <button type="button" class="btn btn-secondary" onClick={() => setOfflineReady(false)}>
            {t('close')}
          </button>
        </div>
      </Toast>
    );
  }
  return null;
}
