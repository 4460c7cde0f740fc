// What the outbox holds: "待同步 N" (back to "已全部同步" once the server has everything),
// why it waits, and the entries the server refused, for the operator to check and delete.
import { problemMessage, type Problem } from '../../api/problem';
import type { ServiceTypeDto } from '../../api/serviceLogs';
import { Button } from '../../components/Button';
import { CheckIcon, RefreshIcon } from '../../components/Icons';
import { useI18n } from '../../i18n/context';
import { isMessageKey, type Translate } from '../../i18n';
import type { LogEntry } from '../../lib/logStore';
import { pendingEntries } from '../../lib/serviceCounters';
import { serviceLabel } from '../../lib/serviceTypes';
import { clockTime } from '../../lib/stations';
import { useOnline } from '../../lib/useOnline';
import type { OutboxView } from './outbox';

/** Our words for why the server refused an entry. */
function refusalText(p: Problem, t: Translate): string {
  for (const e of p.errors) {
    const key = `sl_err_${e.code}`;
    if (isMessageKey(key)) return t(key);
  }
  if (p.status === 403) return t('sl_err_forbidden');
  return problemMessage(p, t);
}

export function PendingLine({ view }: { view: OutboxView }) {
  const { t } = useI18n();
  const online = useOnline();
  const n = pendingEntries(view.entries).length;
  const why = n === 0 ? null : !online || view.sync.problem?.code === 'network' ? t('sl_waiting_network') : view.sync.problem ? t('sl_waiting_server') : null;
  return (
    <div class="sl-sync">
      <p class={n > 0 ? 'sl-pending sl-pending-on' : 'sl-pending'} role="status" aria-live="polite" data-testid="sl-pending" data-count={n}>
        {n > 0 ? (
          <>
            {view.sync.syncing && online ? <span class="spinner" aria-hidden="true" /> : null}
            {t('sl_pending', { n })}
          </>
        ) : (
          <>
            <CheckIcon size={18} /> {t('sl_all_synced')}
          </>
        )}
      </p>
      {n > 0 && online ? (
        <Button variant="secondary" busy={view.sync.syncing} busyLabel={t('sl_syncing')} data-testid="sl-sync-now" onClick={() => void view.box.flush()}>
          <RefreshIcon size={20} /> {t('sl_sync_now')}
        </Button>
      ) : null}
      {why ? (
        <p class="muted small sl-why" data-testid="sl-waiting">
          {why}
        </p>
      ) : null}
    </div>
  );
}

export function FailedList({ view, types }: { view: OutboxView; types: readonly ServiceTypeDto[] }) {
  const { t, locale } = useI18n();
  const failed = view.entries.filter((e) => e.failed || e.voidFailed);
  if (failed.length === 0) return null;
  const row = (e: LogEntry) => (
    <li key={e.id} class="sl-failed-row" data-testid="sl-failed-item" data-code={(e.failed ?? e.voidFailed)!.code}>
      <span class="sl-failed-main">
        <strong>
          {serviceLabel(types, e.body.service_type, locale)} ×{e.body.quantity}
        </strong>
        <span class="muted small">{t('sl_failed_when', { time: clockTime(e.body.occurred_at, locale) })}</span>
        <span class="field-error" data-testid="sl-failed-reason">
          {e.failed ? refusalText(e.failed, t) : t('sl_void_failed', { reason: refusalText(e.voidFailed!, t) })}
        </span>
      </span>
      <button type="button" class="btn btn-danger btn-small" data-testid="sl-failed-discard" onClick={() => void view.box.discard(e.id)}>
        {t('sl_failed_discard')}
      </button>
    </li>
  );
  return (
    <section class="card sl-failed" data-testid="sl-failed">
      <h3>{t('sl_failed_title', { n: failed.length })}</h3>
      <p class="muted small">{t('sl_failed_hint')}</p>
      <ul class="sl-failed-list">{failed.map(row)}</ul>
    </section>
  );
}
