// `#/help`: SOS, "ask for help", what is still on its way (the outbox) and my requests.
import { useEffect, useRef } from 'preact/hooks';
import { listHelpRequests, type HelpRequestPage, type HelpRequestSummary, type NewHelpRequest } from '../../api/help';
import type { User } from '../../api/types';
import { AgeLine } from '../../components/AgeLine';
import { Button } from '../../components/Button';
import { OfflineState } from '../../components/OfflineState';
import { RefreshIcon } from '../../components/Icons';
import { useI18n } from '../../i18n/context';
import { formatWhen, isOverdue } from '../../lib/helpRequests';
import type { OutboxItem } from '../../lib/outbox';
import { useNow } from '../../lib/useNow';
import { useOnline } from '../../lib/useOnline';
import { PullHint, usePullToRefresh } from '../../lib/usePullToRefresh';
import { CategoryIcon } from './CategoryIcon';
import { useHelpLive } from './live';
import { CategoryName, DueLine, helpProblem, label, ProblemLine, StatusChip, UrgencyBadge } from './parts';
import { HelpActionBar } from './SosScreen';
import { useCachedLoad, useHelpOutbox, type Loaded } from './store';

/** How long a delivered entry stays in the outbox list (the request itself is in "my requests"). */
const SENT_SHOWN_MS = 10 * 60 * 1000;

const myListKey = (userId: string) => `warmnew.help.mine.${userId}`;

function useMyRequests(userId: string): Loaded<HelpRequestPage> {
  return useCachedLoad(myListKey(userId), () => listHelpRequests({ per_page: 50 }), []);
}

export function HelpHome({ user, open }: { user: User; open(hash: string): void }) {
  const list = useMyRequests(user.id);
  const { box, items } = useHelpOutbox(user.id);
  const live = useHelpLive({ onEvent: () => void list.reload(), onSync: () => void list.reload() });

  // A request just delivered: read the list again so it appears there.
  const delivered = items.filter((x) => x.state === 'sent').length;
  const seen = useRef(delivered);
  useEffect(() => {
    if (delivered > seen.current) void list.reload();
    seen.current = delivered;
  }, [delivered]);

  return (
    <section class="hr" data-testid="help-home">
      <HelpActionBar open={open} />
      <OutboxList items={items} onRetry={(k) => void box.retry(k)} onRemove={(k) => box.remove(k)} onView={(id) => open(`#/help/${encodeURIComponent(id)}`)} />
      <MyList list={list} live={live === 'open'} onOpen={(id) => open(`#/help/${encodeURIComponent(id)}`)} />
    </section>
  );
}

function OutboxList({ items, onRetry, onRemove, onView }: { items: OutboxItem<NewHelpRequest>[]; onRetry(k: string): void; onRemove(k: string): void; onView(id: string): void }) {
  const { t } = useI18n();
  const online = useOnline();
  const now = useNow(15_000).getTime();
  const shown = items.filter((x) => x.state !== 'sent' || now - (x.sentAt ?? 0) < SENT_SHOWN_MS);
  if (shown.length === 0) return null;
  return (
    <div class="card hr-outbox" data-testid="hr-outbox">
      <h2>{t('hr_outbox_title')}</h2>
      <ul class="hr-outbox-list">
        {shown.map((x) => (
          <li key={x.key} class={`hr-outbox-item hr-outbox-${x.state}`} data-testid="hr-outbox-item" data-state={x.state} data-key={x.key}>
            <div class="hr-outbox-head">
              <span class="hr-cat-name">
                <CategoryIcon category={x.body.category} size={22} />
                <strong>{label(t, 'hr_cat_', x.body.category)}</strong>
                <UrgencyBadge urgency={x.body.urgency ?? 'normal'} />
              </span>
              <span class={`hr-pill hr-pill-${x.state}`} data-testid="hr-outbox-state">
                {x.state === 'sending' ? <span class="spinner" aria-hidden="true" /> : null}
                {t(`hr_outbox_${x.state}`)}
              </span>
            </div>
            <p class="hr-preview">{x.body.description.slice(0, 80)}</p>
            {x.state === 'queued' && (!online || x.problem?.code === 'network') ? (
              <p class="muted small" data-testid="hr-outbox-waiting">
                {t('hr_outbox_waiting')}
              </p>
            ) : x.problem && x.state !== 'sent' ? (
              <p class={x.state === 'failed' ? 'form-error' : 'muted small'} role={x.state === 'failed' ? 'alert' : undefined} data-testid="hr-outbox-problem" data-code={x.problem.code}>
                {helpProblem(x.problem, t)}
              </p>
            ) : null}
            <div class="hr-row-actions">
              {x.state === 'failed' || (x.state === 'queued' && online) ? (
                <button type="button" class="btn btn-secondary btn-small" data-testid="hr-outbox-retry" onClick={() => onRetry(x.key)}>
                  {t('hr_outbox_retry')}
                </button>
              ) : null}
              {x.state === 'failed' || x.state === 'queued' ? (
                <button type="button" class="btn btn-secondary btn-small" data-testid="hr-outbox-remove" onClick={() => onRemove(x.key)}>
                  {t('hr_outbox_remove')}
                </button>
              ) : null}
              {x.state === 'sent' && x.resultId ? (
                <>
                  <button type="button" class="btn btn-secondary btn-small" data-testid="hr-outbox-view" onClick={() => onView(x.resultId!)}>
                    {t('hr_outbox_view')}
                  </button>
                  <button type="button" class="btn btn-secondary btn-small" data-testid="hr-outbox-dismiss" onClick={() => onRemove(x.key)}>
                    {t('hr_outbox_dismiss')}
                  </button>
                </>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

function MyList({ list, live, onOpen }: { list: Loaded<HelpRequestPage>; live: boolean; onOpen(id: string): void }) {
  const { t } = useI18n();
  const online = useOnline();
  const now = useNow(30_000);
  const pull = usePullToRefresh<HTMLDivElement>(() => void list.reload(), !list.loading);
  const items = list.data?.items ?? [];
  const stale = !list.fresh || !!list.problem || !online;
  return (
    <div ref={pull.ref} class="pull-area hr-mine" data-testid="hr-mine">
      <div class="hr-section-head">
        <h2>{t('hr_mine')}</h2>
        <Button variant="secondary" busy={list.loading} busyLabel={t('refreshing')} data-testid="hr-refresh" onClick={() => void list.reload()}>
          <RefreshIcon size={22} />
          <span>{t('hr_refresh')}</span>
        </Button>
      </div>
      <PullHint pull={pull} />
      <LiveLine live={live} />
      {list.data ? <ProblemLine problem={list.problem} testid="hr-list-error" /> : null}
      {/* Nothing kept and no answer: say so (a retry running shows on its button). */}
      {!list.data && list.problem ? <OfflineState problem={list.problem} busy={list.loading} onRetry={() => void list.reload()} testid="hr-list-offline" /> : null}
      <AgeLine savedAt={list.savedAt} stale={stale} testid="hr-list-age" showFresh everyMs={30_000} />
      {list.loading && !list.data && !list.problem ? (
        <p class="progress-line" role="status" aria-busy="true">
          <span class="spinner" aria-hidden="true" />
          {t('hr_loading')}
        </p>
      ) : null}
      {list.data && items.length === 0 ? (
        <p class="card center" data-testid="hr-mine-empty">
          {t('hr_mine_empty')}
        </p>
      ) : null}
      <ol class="hr-list" data-testid="hr-list">
        {items.map((r) => (
          <RequestRow key={r.id} r={r} now={now} onOpen={onOpen} />
        ))}
      </ol>
    </div>
  );
}

export function LiveLine({ live }: { live: boolean }) {
  const { t } = useI18n();
  const online = useOnline();
  if (!online) return null;
  return (
    <p class={live ? 'hr-live' : 'hr-live hr-live-off'} data-testid="hr-live" data-live={live ? 'true' : 'false'}>
      <span class="hr-live-dot" aria-hidden="true" />
      {live ? t('hr_live') : t('hr_live_off')}
    </p>
  );
}

export function RequestRow({ r, now, onOpen, badge }: { r: HelpRequestSummary; now: Date; onOpen(id: string): void; badge?: boolean }) {
  const { t, locale } = useI18n();
  const late = isOverdue(r, now.getTime());
  return (
    <li class={late ? 'hr-item hr-item-late' : 'hr-item'} data-testid="hr-item" data-id={r.id} data-status={r.status} data-overdue={late ? 'true' : 'false'}>
      <button type="button" class="hr-card" onClick={() => onOpen(r.id)}>
        <span class="hr-card-head">
          <CategoryName category={r.category} />
          {badge ? (
            <span class="hr-new" data-testid="hr-new-badge">
              {t('hr_new_badge')}
            </span>
          ) : null}
          <StatusChip status={r.status} />
        </span>
        <span class="hr-preview">{r.description_preview}</span>
        <span class="hr-meta">
          <UrgencyBadge urgency={r.urgency} />
          <DueLine r={r} now={now} />
          {r.station_name ? <span>{r.station_name}</span> : null}
          <span class="muted">{t('hr_created', { time: formatWhen(r.created_at, locale) })}</span>
        </span>
      </button>
    </li>
  );
}
