// Rider 我的 tab, above the profile: the balance, "show my code" (`#/me/code`, full screen),
// the rewards, the history, the services received and the star-rider list.
import { useEffect, useRef, useState } from 'preact/hooks';
import { problemMessage } from '../../api/problem';
import { fetchLessons } from '../../api/lessons';
import type { PointsEntry, Reward } from '../../api/points';
import { AgeLine } from '../../components/AgeLine';
import { OfflineState } from '../../components/OfflineState';
import { Button } from '../../components/Button';
import { QrIcon, RefreshIcon } from '../../components/Icons';
import { useI18n } from '../../i18n/context';
import { formatDate } from '../../lib/format';
import { loadList, saveList } from '../../lib/lessonCache';
import { groupedNumber, reasonKey, rewardName, shortfall, signedPoints, sortRewards, stockOf } from '../../lib/points';
import { clockTime } from '../../lib/stations';
import { browserStore } from '../../lib/storage';
import { useOnline } from '../../lib/useOnline';
import { useOutbox } from '../lessons/outbox';
import type { TabProps } from '../tabs';
import { CodeScreen } from './CodeScreen';
import { MyServices } from './MyServices';
import { StarRiders } from './StarRiders';
import { usePoints, useRewards, type PointsState } from './usePoints';

const store = browserStore();

export function MyPoints(props: TabProps) {
  if (props.user.role !== 'rider') return null;
  return <RiderPoints {...props} />;
}

function RiderPoints({ user, sub, navigate }: TabProps) {
  const { t } = useI18n();
  const points = usePoints(user.id);
  const rewards = useRewards();
  const outbox = useOutbox(user.id);
  const openedHere = useRef(false);

  // Quiz answers sent from the offline queue have changed the balance.
  const changes = outbox.version();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) first.current = false;
    else if (outbox.pending().length === 0) void points.refresh();
  }, [changes]);

  const showCode = () => {
    openedHere.current = true;
    navigate('#/me/code');
  };
  const closeCode = () => {
    if (openedHere.current) {
      openedHere.current = false;
      history.back();
    } else navigate('#/me', true);
  };

  return (
    <section class="my-points" data-testid="my-points">
      <Balance state={points.state} onRefresh={() => void points.refresh()} onShowCode={showCode} />
      <section class="card">
        <h3>
          <span aria-hidden="true">🎁</span> {t('pt_rewards')}
        </h3>
        <p class="muted small">{t('pt_rewards_hint')}</p>
        {rewards.items === null ? (
          rewards.problem ? (
            <p class="muted">{problemMessage(rewards.problem, t)}</p>
          ) : (
            <p class="progress-line" role="status" aria-busy="true">
              <span class="spinner" aria-hidden="true" /> {t('pt_rewards_loading')}
            </p>
          )
        ) : (
          <RewardList items={rewards.items} balance={points.state.balance} />
        )}
      </section>
      <History owner={user.id} state={points.state} rewards={rewards.items ?? []} onMore={() => void points.more()} />
      <MyServices owner={user.id} />
      <StarRiders />
      {sub === 'code' ? <CodeScreen onClose={closeCode} onRedeemed={() => void points.refresh()} /> : null}
      <h2 class="section-title">{t('pt_account')}</h2>
    </section>
  );
}

function Balance({ state: s, onRefresh, onShowCode }: { state: PointsState; onRefresh(): void; onShowCode(): void }) {
  const { t } = useI18n();
  const online = useOnline();
  const stale = !s.fresh || !online || !!s.problem;
  return (
    <section class="card balance-card" data-testid="points-card">
      <div class="balance-head">
        <div>
          <p class="balance-label">{t('pt_balance_label')}</p>
          <p class="balance" data-testid="points-balance" data-balance={s.balance ?? ''} aria-live="polite">
            {s.balance === null ? (s.loading ? <span class="spinner" aria-hidden="true" /> : '—') : groupedNumber(s.balance)}
          </p>
        </div>
        <Button variant="secondary" busy={s.loading} busyLabel={t('refreshing')} data-testid="points-refresh" onClick={onRefresh} aria-label={t('refresh')}>
          <RefreshIcon size={22} />
        </Button>
      </div>
      <AgeLine savedAt={s.savedAt} stale={stale} testid="points-age" />
      {s.problem && s.balance === null ? <OfflineState problem={s.problem} busy={s.loading} onRetry={onRefresh} testid="points-error" /> : null}
      <Button data-testid="show-code" onClick={onShowCode}>
        <QrIcon size={24} /> {t('pt_show_code')}
      </Button>
    </section>
  );
}

const REWARDS_FOLDED = 4;

function RewardList({ items, balance }: { items: Reward[]; balance: number | null }) {
  const { t } = useI18n();
  const [all, setAll] = useState(false);
  const sorted = sortRewards(items, balance);
  if (sorted.length === 0) return <p class="muted">{t('pt_rewards_empty')}</p>;
  const shown = all ? sorted : sorted.slice(0, REWARDS_FOLDED);
  return (
    <>
      <ul class="reward-list" data-testid="reward-list">
        {shown.map((r) => (
          <RewardRow key={r.id} r={r} balance={balance} />
        ))}
      </ul>
      {sorted.length > REWARDS_FOLDED ? (
        <Button variant="secondary" data-testid="rewards-toggle" aria-expanded={all} onClick={() => setAll(!all)}>
          {all ? t('pt_rewards_fewer') : t('pt_rewards_all', { n: sorted.length })}
        </Button>
      ) : null}
    </>
  );
}

function RewardRow({ r, balance }: { r: Reward; balance: number | null }) {
  const { t, locale } = useI18n();
  const stock = stockOf(r);
  const need = balance === null ? 0 : shortfall(balance, r.cost);
  return (
    <li class={stock.kind === 'out' ? 'reward reward-out' : 'reward'} data-testid="reward" data-reward-id={r.id}>
      <span class="reward-emoji" aria-hidden="true">
        {r.emoji}
      </span>
      <span class="reward-main">
        <strong>{rewardName(r, locale)}</strong>
        <span class="muted small">{r.station_name ? t('pt_at_station', { name: r.station_name }) : t('pt_anywhere')}</span>
        <span class="reward-tags">
          {stock.kind === 'out' ? (
            <span class="tag tag-bad">{t('pt_stock_out')}</span>
          ) : stock.kind === 'few' ? (
            <span class="tag tag-warn">{t('pt_stock_few', { n: stock.n })}</span>
          ) : stock.kind === 'some' ? (
            <span class="tag tag-plain">{t('pt_stock_some', { n: stock.n })}</span>
          ) : null}
          {stock.kind !== 'out' && balance !== null ? (
            need > 0 ? (
              <span class="tag tag-plain">{t('pt_need_more', { n: groupedNumber(need) })}</span>
            ) : (
              <span class="tag tag-ok">{t('pt_affordable')}</span>
            )
          ) : null}
        </span>
      </span>
      <span class="reward-cost" data-testid="reward-cost">
        {t('pt_cost', { n: groupedNumber(r.cost) })}
      </span>
    </li>
  );
}

/** slug → title of the lessons, from the offline list (fetched once when it lacks one the
 * ledger names), so a lesson entry reads as its title. */
function useLessonTitles(owner: string, slugs: string[]): Map<string, string> {
  const { locale } = useI18n();
  const [titles, setTitles] = useState(() => new Map((loadList(store, locale, owner)?.data ?? []).map((c) => [c.slug, c.title])));
  const asked = useRef(false);
  useEffect(() => {
    setTitles(new Map((loadList(store, locale, owner)?.data ?? []).map((c) => [c.slug, c.title])));
    asked.current = false;
  }, [locale, owner]);
  const missing = slugs.some((slug) => !titles.has(slug));
  useEffect(() => {
    if (!missing || asked.current || !navigator.onLine) return;
    asked.current = true;
    void fetchLessons(locale).then((r) => {
      if (!r.ok) return;
      saveList(store, locale, owner, r.data.items);
      setTitles(new Map(r.data.items.map((c) => [c.slug, c.title])));
    });
  }, [missing, locale, owner]);
  return titles;
}

function History({ owner, state: s, rewards, onMore }: { owner: string; state: PointsState; rewards: Reward[]; onMore(): void }) {
  const { t, locale } = useI18n();
  const online = useOnline();
  const titles = useLessonTitles(
    owner,
    s.items.filter((e) => e.reason === 'lesson' && e.source_label).map((e) => e.source_label!),
  );
  // The server names sources in Chinese (a reward "🥤 矿泉水") or by code (a lesson's slug):
  // the lesson's title and the reward's name in the app's language, when known.
  const rewardNames = new Map(rewards.map((r) => [`${r.emoji} ${r.name}`, rewardName(r, locale)]));
  const label = (e: PointsEntry) => {
    if (e.reason === 'lesson' && e.source_label) return titles.get(e.source_label) ?? null;
    if (e.reason === 'redemption' && e.source_label) {
      const name = rewardNames.get(e.source_label);
      return name ? `${e.source_label.split(' ')[0]} ${name}` : e.source_label;
    }
    return e.source_label;
  };
  return (
    <section class="card" data-testid="points-history">
      <h3>{t('pt_history')}</h3>
      {s.items.length === 0 && s.balance !== null ? <p class="muted">{t('pt_history_empty')}</p> : null}
      <ol class="ledger">
        {s.items.map((e) => (
          <li key={e.id} class="ledger-row" data-testid="points-entry" data-reason={e.reason} data-delta={e.delta}>
            <span class="ledger-main">
              <strong>{t(reasonKey(e.reason))}</strong>
              {label(e) ? <span class="ledger-label">{label(e)}</span> : null}
              <span class="muted small">
                {formatDate(e.created_at, locale)} {clockTime(e.created_at, locale)}
              </span>
            </span>
            <span class={e.delta >= 0 ? 'ledger-delta ledger-plus' : 'ledger-delta ledger-minus'}>{signedPoints(e.delta)}</span>
          </li>
        ))}
      </ol>
      {s.items.length < s.total && online ? (
        <Button variant="secondary" busy={s.loadingMore} busyLabel={t('loading')} data-testid="points-more" onClick={onMore}>
          {t('pt_more')}
        </Button>
      ) : null}
    </section>
  );
}
