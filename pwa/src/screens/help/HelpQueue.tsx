// The handlers' queue (operator: the station's; staff: the region's; admin: all): soonest
// deadline first, overdue highlighted, filters, live; a request's detail with one-tap actions.
import { useEffect, useState } from 'preact/hooks';
import { fetchHelpRequest, listHelpRequests, transitionHelpRequest, type HelpListQuery, type HelpRequestDetail, type HelpRequestPage } from '../../api/help';
import type { Problem } from '../../api/problem';
import type { User } from '../../api/types';
import { AgeLine } from '../../components/AgeLine';
import { Button } from '../../components/Button';
import { BackIcon, CheckIcon, RefreshIcon } from '../../components/Icons';
import { useI18n } from '../../i18n/context';
import type { MessageKey } from '../../i18n';
import { formatWhen, handlerActions, isOpen, needsNote, OPEN_STATUSES, sortQueue, type HandlerAction } from '../../lib/helpRequests';
import { useNow } from '../../lib/useNow';
import { useOnline } from '../../lib/useOnline';
import { LiveLine, RequestRow } from './HelpHome';
import type { HelpAlerts } from './alerts';
import { useHelpLive } from './live';
import { CategoryName, DueLine, label, NoteField, PlaceFact, ProblemLine, StatusChip, Timeline, UrgencyBadge } from './parts';
import { useCachedLoad, type Loaded } from './store';

const FILTERS = {
  open: { label: 'hr_filter_open', query: { status: OPEN_STATUSES.join(',') } },
  overdue: { label: 'hr_filter_overdue', query: { overdue: true } },
  resolved: { label: 'hr_status_resolved', query: { status: 'resolved' } },
  closed: { label: 'hr_status_closed', query: { status: 'closed,rejected,cancelled' } },
  all: { label: 'hr_filter_all', query: {} },
} as const satisfies Record<string, { label: MessageKey; query: HelpListQuery }>;
type FilterId = keyof typeof FILTERS | 'level';

/** Staff: the level their region is at (street, district or city, read from the code's
 * length as the server does); their 'level' filter lists the open requests held there —
 * for city staff, those escalated to the city. */
export function staffLevel(user: Pick<User, 'role' | 'region_code'>): 'street' | 'district' | 'city' | null {
  const code = user.region_code ?? '';
  if (user.role !== 'staff' || !code) return null;
  return code.length >= 9 ? 'street' : code.length >= 6 ? 'district' : 'city';
}

const filterQuery = (f: FilterId, level: string | null): HelpListQuery =>
  f === 'level' ? { status: OPEN_STATUSES.join(','), ...(level ? { tier: level } : {}) } : FILTERS[f].query;

const NOTE_MAX = 500;

interface QueueProps {
  user: User;
  /** The console's alerts (new requests ring wherever the operator is); else kept here. */
  alerts?: HelpAlerts;
  /** The request shown, when the caller keeps it (e.g. in the URL). */
  selected?: string | null;
  onSelect?(id: string | null): void;
}

export function HelpQueue({ user, alerts, selected: outerSelected, onSelect }: QueueProps) {
  const { t } = useI18n();
  const [filter, setFilter] = useState<FilterId>('open');
  const [ownSelected, setOwnSelected] = useState<string | null>(null);
  const controlled = onSelect !== undefined;
  const selected = controlled ? (outerSelected ?? null) : ownSelected;
  const select = (id: string | null) => (controlled ? onSelect(id) : setOwnSelected(id));
  // Requests that arrived while this screen was open, until opened.
  const [ownFresh, setOwnFresh] = useState<ReadonlySet<string>>(new Set());
  const fresh = alerts?.fresh ?? ownFresh;
  const level = staffLevel(user);
  const filters: FilterId[] = [...(Object.keys(FILTERS) as FilterId[]), ...(level ? (['level'] as const) : [])];
  const list = useCachedLoad(`warmnew.help.queue.${user.id}.${filter}`, () => listHelpRequests({ ...filterQuery(filter, level), per_page: 100 }), [filter]);
  const live = useHelpLive({
    onEvent: (e) => {
      if (e.kind === 'created' && !alerts) setOwnFresh((s) => new Set(s).add(e.request_id));
      void list.reload();
    },
    onSync: () => void list.reload(),
  });

  const seen = (id: string) => {
    if (alerts) return alerts.seen(id);
    setOwnFresh((s) => {
      const next = new Set(s);
      next.delete(id);
      return next;
    });
  };
  const open = (id: string) => {
    select(id);
    seen(id);
  };
  // Opened from elsewhere (a notification, the back button): no longer new.
  useEffect(() => {
    if (selected) seen(selected);
  }, [selected]);

  return (
    <section class="card hq" data-testid="help-queue">
      <div class="hr-section-head">
        <h2>
          {t('hr_queue_title')}
          {fresh.size > 0 ? (
            <span class="hr-new" data-testid="hq-new-count">
              {t('hr_new_count', { n: fresh.size })}
            </span>
          ) : null}
        </h2>
        <Button variant="secondary" busy={list.loading} busyLabel={t('refreshing')} data-testid="hq-refresh" onClick={() => void list.reload()}>
          <RefreshIcon size={22} />
          <span>{t('hr_refresh')}</span>
        </Button>
      </div>
      <LiveLine live={live === 'open'} />
      {selected ? (
        <QueueDetail id={selected} onBack={() => select(null)} onChanged={() => void list.reload()} />
      ) : (
        <>
          <div class="chips" role="group" aria-label={t('filters_label')} data-testid="hq-filters">
            {filters.map((f) => (
              <button
                key={f}
                type="button"
                class={f === filter ? 'chip chip-on' : 'chip'}
                aria-pressed={f === filter}
                data-testid={`hq-filter-${f}`}
                onClick={() => setFilter(f)}
              >
                {f === 'level' ? t('hq_filter_tier', { tier: label(t, 'hr_tier_', level ?? '') }) : t(FILTERS[f].label)}
              </button>
            ))}
          </div>
          <QueueList list={list} fresh={fresh} onOpen={open} />
        </>
      )}
    </section>
  );
}

function QueueList({ list, fresh, onOpen }: { list: Loaded<HelpRequestPage>; fresh: ReadonlySet<string>; onOpen(id: string): void }) {
  const { t } = useI18n();
  const online = useOnline();
  const now = useNow(30_000);
  const all = sortQueue(list.data?.items ?? []);
  // Passed up to the street or district: nothing left for this desk to do, so not "to do".
  const reported = all.filter((r) => isOpen(r.status) && r.allowed_actions.length === 0);
  const items = all.filter((r) => !reported.includes(r));
  const stale = !list.fresh || !!list.problem || !online;
  return (
    <>
      <ProblemLine problem={list.problem} testid="hq-error" />
      <AgeLine savedAt={list.savedAt} stale={stale} testid="hq-age" everyMs={30_000} />
      {list.loading && !list.data ? (
        <p class="progress-line" role="status" aria-busy="true">
          <span class="spinner" aria-hidden="true" /> {t('hr_queue_loading')}
        </p>
      ) : null}
      {list.data && items.length === 0 && reported.length === 0 ? (
        <p class="muted center" data-testid="hq-empty">
          {t('hr_queue_empty')}
        </p>
      ) : null}
      <ol class="hr-list" data-testid="hq-list">
        {items.map((r) => (
          <RequestRow key={r.id} r={r} now={now} onOpen={onOpen} badge={fresh.has(r.id)} />
        ))}
      </ol>
      {reported.length > 0 ? (
        <section class="hq-reported" data-testid="hq-reported">
          <h3>{t('hq_reported_title', { n: reported.length })}</h3>
          <p class="muted small">{t('hq_reported_hint')}</p>
          <ol class="hr-list">
            {reported.map((r) => (
              <RequestRow key={r.id} r={r} now={now} onOpen={onOpen} badge={fresh.has(r.id)} />
            ))}
          </ol>
        </section>
      ) : null}
    </>
  );
}

function QueueDetail({ id, onBack, onChanged }: { id: string; onBack(): void; onChanged(): void }) {
  const { t, locale } = useI18n();
  const d = useCachedLoad<HelpRequestDetail>(null, () => fetchHelpRequest(id), [id]);
  useHelpLive({ onEvent: (e) => e.request_id === id && void d.reload(), onSync: () => void d.reload() });
  const now = useNow(15_000);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const r = d.data;

  const act = async (action: HandlerAction) => {
    const text = note.trim();
    if (needsNote(action) && !text) {
      setNoteError(t('hr_note_required'));
      return;
    }
    setNoteError(null);
    setProblem(null);
    setDone(null);
    setBusy(action);
    const res = await transitionHelpRequest(id, { action, ...(text ? { note: text } : {}) });
    setBusy(null);
    if (res.ok) {
      d.set(res.data);
      setNote('');
      setDone(action);
      onChanged();
    } else {
      setProblem(res.problem);
      // The request moved on meanwhile: show what can be done now.
      if (res.problem.status === 409 || res.problem.status === 403) void d.reload();
    }
  };

  const actions = r ? handlerActions(r.allowed_actions) : [];
  return (
    <div class="hq-detail" data-testid="hq-detail" data-id={id}>
      <button type="button" class="btn btn-secondary back" data-testid="hq-back" onClick={onBack}>
        <BackIcon size={22} />
        {t('hr_queue_back')}
      </button>
      {d.loading && !r ? (
        <p class="progress-line" role="status" aria-busy="true">
          <span class="spinner" aria-hidden="true" /> {t('loading')}
        </p>
      ) : null}
      <ProblemLine problem={d.problem} testid="hq-detail-error" />
      {r ? (
        <>
          <div class="hr-card-head">
            <CategoryName category={r.category} />
            <StatusChip status={r.status} testid="hq-status" />
          </div>
          <p class="hr-meta">
            <UrgencyBadge urgency={r.urgency} />
            <DueLine r={r} now={now} />
          </p>
          <dl class="hr-facts">
            {r.rider ? (
              <>
                <dt>{t('hr_detail_rider')}</dt>
                <dd data-testid="hq-rider">
                  {r.rider.display_name} ·{' '}
                  <span data-testid="hq-rider-phone">{r.rider.phone_masked}</span>
                </dd>
              </>
            ) : null}
            {r.station_name ? (
              <>
                <dt>{t('hr_detail_station')}</dt>
                <dd data-testid="hq-station">{r.station_name}</dd>
              </>
            ) : null}
            <dt>{t('hr_detail_tier')}</dt>
            <dd data-testid="hq-tier">
              {label(t, 'hr_tier_', r.tier)}
              {r.region_name ? ` · ${r.region_name}` : ''}
            </dd>
            <PlaceFact place={r.place} />
            <dt />
            <dd class="muted">{t('hr_created', { time: formatWhen(r.created_at, locale) })}</dd>
          </dl>
          <h3>{t('hr_detail_description')}</h3>
          <p class="hr-description" data-testid="hq-description">
            {r.description}
          </p>
          {actions.length > 0 ? (
            <div class="hq-actions">
              <NoteField
                id="hq-note"
                label={t('hr_note')}
                hint={t('hr_note_hint')}
                value={note}
                max={NOTE_MAX}
                rows={2}
                error={noteError ?? undefined}
                disabled={busy !== null}
                onInput={(v) => (setNote(v), setNoteError(null))}
              />
              <div class="hq-action-buttons">
                {actions.map((a) => (
                  <Button
                    key={a}
                    variant={a === 'reject' ? 'danger' : a === 'escalate' ? 'secondary' : 'primary'}
                    busy={busy === a}
                    busyLabel={t('hr_working')}
                    disabled={busy !== null}
                    data-testid={`hq-action-${a}`}
                    onClick={() => void act(a)}
                  >
                    {label(t, 'hr_action_', a)}
                  </Button>
                ))}
              </div>
            </div>
          ) : (
            <p class="muted" data-testid="hq-no-actions">
              {t('hr_no_actions')}
            </p>
          )}
          {done ? (
            <p class="saved" role="status" data-testid="hq-done" data-action={done}>
              <CheckIcon size={18} /> {t('hr_done')}
            </p>
          ) : null}
          <ProblemLine problem={problem} testid="hq-action-error" />
          <h3>{t('hr_detail_timeline')}</h3>
          <Timeline events={r.timeline} />
        </>
      ) : null}
    </div>
  );
}
