import { useI18n } from '../i18n/context';

/** The rider's SOS, always above the tab bar where the thumb is: opens `#/help/sos` (the
 * emergency calls, then the SOS request). Hidden where the help screens show their own. */
export function SosFab() {
  const { t } = useI18n();
  return (
    <a
      class="sos-fab"
      href="/#/help/sos"
      data-testid="sos-fab"
      aria-label={t('sos_fab_label')}
      onClick={(e) => {
        // Also from a /checkin/… path: the rider home follows history (popstate).
        e.preventDefault();
        history.pushState(null, '', '/#/help/sos');
        window.dispatchEvent(new PopStateEvent('popstate'));
      }}
    >
      {t('sos_fab')}
    </a>
  );
}
