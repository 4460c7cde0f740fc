// The 微课堂 list: how far the rider has got, topic chips, "download every lesson", and one
// card per lesson (cover, title, minutes, points, passed / best score / waiting to be sent).
import { useState } from 'preact/hooks';
import { problemMessage } from '../../api/problem';
import type { LessonCard, LessonCategory } from '../../api/lessons';
import { AgeLine } from '../../components/AgeLine';
import { OfflineState } from '../../components/OfflineState';
import { Button } from '../../components/Button';
import { CheckIcon, RefreshIcon } from '../../components/Icons';
import { useI18n } from '../../i18n/context';
import { categoryKey, completed, presentCategories } from '../../lib/lessonCache';
import type { Outbox } from '../../lib/lessonOutbox';
import { useOnline } from '../../lib/useOnline';
import { PullHint, usePullToRefresh } from '../../lib/usePullToRefresh';
import type { DownloadState, ListState } from './useLessons';

interface Props {
  list: ListState;
  outbox: Outbox;
  download: DownloadState;
  onRefresh(): void;
  onDownload(items: LessonCard[]): void;
  onOpen(slug: string): void;
}

export function LessonList({ list, outbox, download, onRefresh, onDownload, onOpen }: Props) {
  const { t } = useI18n();
  const online = useOnline();
  const [category, setCategory] = useState<LessonCategory | 'all'>('all');
  const pull = usePullToRefresh<HTMLDivElement>(onRefresh, !list.loading);
  const items = list.items;

  if (!items) {
    if (list.problem) {
      return (
        <OfflineState problem={online ? list.problem : null} busy={list.loading} onRetry={onRefresh} testid="lessons-error" hint={t('ln_none_cached')} />
      );
    }
    return (
      <section class="card center" role="status" aria-busy="true" data-testid="lessons-loading">
        <span class="spinner spinner-big" aria-hidden="true" />
        <p>{t('ln_loading')}</p>
      </section>
    );
  }

  const cats = presentCategories(items);
  const shown = category === 'all' ? items : items.filter((i) => i.category === category);
  const prog = completed(items);

  return (
    <section class="lessons" data-testid="lessons-list">
      <div class="card lessons-summary">
        <p class="lessons-progress" data-testid="lessons-progress" data-done={prog.done} data-total={prog.total}>
          <strong>{t('ln_progress', { done: prog.done, total: prog.total })}</strong>
        </p>
        <div class="bar" aria-hidden="true">
          <span style={{ width: `${prog.total ? Math.round((prog.done / prog.total) * 100) : 0}%` }} />
        </div>
        <ListStatus list={list} onRefresh={onRefresh} />
        <DownloadAll items={items} download={download} online={online} onDownload={onDownload} />
      </div>

      {cats.length > 1 ? (
        <div class="chips" role="group" aria-label={t('ln_categories')} data-testid="lesson-chips">
          {(['all', ...cats] as const).map((c) => (
            <button
              key={c}
              type="button"
              class={c === category ? 'chip chip-on' : 'chip'}
              aria-pressed={c === category}
              data-testid={`lesson-chip-${c}`}
              onClick={() => setCategory(c)}
            >
              {c === 'all' ? t('ln_all') : t(categoryKey(c))}
            </button>
          ))}
        </div>
      ) : null}

      <div ref={pull.ref} class="pull-area">
        <PullHint pull={pull} />
        {shown.length === 0 ? (
          <p class="card center" data-testid="lessons-empty">
            {t('ln_empty')}
          </p>
        ) : null}
        <ol class="lesson-list">
          {shown.map((c) => (
            <LessonItem key={c.slug} card={c} queued={outbox.get(c.slug) !== null} offline={c.slug in download.offline} onOpen={onOpen} />
          ))}
        </ol>
      </div>
    </section>
  );
}

function ListStatus({ list, onRefresh }: { list: ListState; onRefresh(): void }) {
  const { t } = useI18n();
  const online = useOnline();
  const stale = !list.fresh || !!list.problem || !online;
  return (
    <>
      <div class="lessons-status">
        <AgeLine savedAt={list.savedAt} stale={stale} testid="lessons-age" showFresh />
        {online ? (
          <button
            type="button"
            class="btn btn-secondary btn-small"
            disabled={list.loading}
            aria-busy={list.loading}
            aria-label={list.loading ? t('refreshing') : t('refresh')}
            data-testid="lessons-refresh"
            onClick={onRefresh}
          >
            {list.loading ? <span class="spinner" aria-hidden="true" /> : <RefreshIcon size={20} />}
            <span>{t('refresh')}</span>
          </button>
        ) : null}
      </div>
      {list.problem && online ? (
        <p class="form-error" role="alert" data-testid="lessons-refresh-error">
          {problemMessage(list.problem, t)}
        </p>
      ) : null}
    </>
  );
}

function DownloadAll({ items, download: d, online, onDownload }: { items: LessonCard[]; download: DownloadState; online: boolean; onDownload(items: LessonCard[]): void }) {
  const { t } = useI18n();
  const all = items.length > 0 && items.every((c) => c.slug in d.offline);
  return (
    <div class="download-all">
      {d.running ? (
        <div role="status" aria-busy="true" data-testid="lessons-download-progress" data-done={d.done} data-total={d.total}>
          <p class="progress-line">
            <span class="spinner" aria-hidden="true" />
            {t('ln_downloading', { done: d.done, total: d.total })}
          </p>
          <div class="bar" aria-hidden="true">
            <span style={{ width: `${d.total ? Math.round((d.done / d.total) * 100) : 0}%` }} />
          </div>
        </div>
      ) : all ? (
        <p class="saved" data-testid="lessons-downloaded">
          <CheckIcon size={18} /> {t('ln_downloaded', { n: items.length })}
        </p>
      ) : online ? (
        <Button variant="secondary" data-testid="lessons-download" onClick={() => onDownload(items)}>
          <svg width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" aria-hidden="true">
            <path d="M12 3v12M7 10l5 5 5-5M5 21h14" />
          </svg>
          {t('ln_download_all')}
        </Button>
      ) : null}
      {!d.running && d.failed > 0 ? (
        <p class="form-error" role="alert" data-testid="lessons-download-failed">
          {d.full ? t('ln_download_full') : t('ln_download_failed', { n: d.failed })}
        </p>
      ) : null}
    </div>
  );
}

function LessonItem({ card: c, queued, offline, onOpen }: { card: LessonCard; queued: boolean; offline: boolean; onOpen(slug: string): void }) {
  const { t } = useI18n();
  const p = c.progress;
  return (
    <li data-testid="lesson-card" data-slug={c.slug} data-passed={p?.passed ? 'true' : 'false'}>
      <button type="button" class="lesson-card" onClick={() => onOpen(c.slug)}>
        <span class="lesson-cover" aria-hidden="true">
          {c.cover}
        </span>
        <span class="lesson-card-main">
          <strong class="lesson-card-title" data-testid="lesson-card-title">
            {c.title}
          </strong>
          <span class="lesson-card-summary">{c.summary}</span>
          <span class="lesson-meta">
            <span>{t(categoryKey(c.category))}</span>
            <span>{t('ln_minutes', { n: c.minutes })}</span>
            <span class="lesson-points">{t('ln_points', { n: c.points })}</span>
          </span>
          <span class="lesson-badges">
            {p?.passed ? (
              <span class="tag tag-ok" data-testid="lesson-card-passed">
                <CheckIcon size={16} /> {t('ln_passed')}
              </span>
            ) : null}
            {p && p.attempts > 0 ? (
              <span class="tag" data-testid="lesson-card-best">
                {t('ln_best', { score: p.best_score })}
              </span>
            ) : null}
            {queued ? (
              <span class="tag tag-warn" data-testid="lesson-card-queued">
                {t('ln_queued_badge')}
              </span>
            ) : null}
            {offline ? <span class="tag tag-plain">{t('ln_offline_badge')}</span> : null}
          </span>
        </span>
      </button>
    </li>
  );
}
