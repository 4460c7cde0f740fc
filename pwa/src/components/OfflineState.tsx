import { problemMessage, type Problem } from '../api/problem';
import { useI18n } from '../i18n/context';
import { Button } from './Button';
import { OfflineIcon } from './Icons';

/**
 * What a screen shows instead of its content when it has nothing to show: no copy kept on
 * this phone and the server did not answer (offline, or a request that timed out), or
 * answered with an error. Always with a retry, never an endless spinner. Screens that do have
 * a copy show it with its age (AgeLine) instead.
 */
export function OfflineState({
  problem,
  onRetry,
  busy = false,
  testid = 'offline-state',
  hint,
}: {
  problem: Problem | null;
  onRetry(): void;
  busy?: boolean;
  testid?: string;
  /** A screen's own advice when offline (e.g. "download lessons to read them offline"). */
  hint?: string;
}) {
  const { t } = useI18n();
  const network = !problem || problem.code === 'network';
  return (
    <section class="card offline-state" role="alert" data-testid={testid} data-offline-state={network ? 'network' : 'error'} data-code={problem?.code ?? 'network'}>
      <OfflineIcon size={36} />
      <h2>{network ? t('offline_state_title') : t('load_failed_title')}</h2>
      <p>{network ? t('offline_state_body') : problemMessage(problem, t)}</p>
      {hint && network ? <p class="muted">{hint}</p> : null}
      <Button variant="secondary" busy={busy} busyLabel={t('offline_state_retrying')} data-testid="offline-retry" onClick={onRetry}>
        {t('retry')}
      </Button>
    </section>
  );
}
