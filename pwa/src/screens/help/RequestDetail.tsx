// `#/help/{id}`: one of my requests — where it stands, its deadline, the timeline; rate it once
// resolved, reopen it while that is still possible, or cancel it while open.
import { useEffect, useState } from 'preact/hooks';
import { fetchHelpRequest, sendFeedback, transitionHelpRequest, type HelpRequestDetail } from '../../api/help';
import type { Problem } from '../../api/problem';
import type { User } from '../../api/types';
import { AgeLine } from '../../components/AgeLine';
import { Button } from '../../components/Button';
import { OfflineState } from '../../components/OfflineState';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { BackIcon } from '../../components/Icons';
import { useI18n } from '../../i18n/context';
import { canRate, canReopen, formatWhen } from '../../lib/helpRequests';
import { useNow } from '../../lib/useNow';
import { useOnline } from '../../lib/useOnline';
import { LiveLine } from './HelpHome';
import { useHelpLive } from './live';
import { CategoryName, DueLine, helpProblem, label, NoteField, ProblemLine, Stars, StatusChip, Timeline, UrgencyBadge } from './parts';
import { detailKey, rememberDetail, useCachedLoad } from './store';

const NOTE_MAX = 500;

export function RequestDetail({ user, id, navigate }: { user: User; id: string; navigate(hash: string, replace?: boolean): void }) {
  const { t } = useI18n();
  const d = useCachedLoad(detailKey(user.id, id), () => fetchHelpRequest(id), []);
  useEffect(() => rememberDetail(user.id, id), [user.id, id]);
  const live = useHelpLive({
    onEvent: (e) => e.request_id === id && void d.reload(),
    onSync: () => void d.reload(),
  });
  const online = useOnline();
  const now = useNow(15_000);
  const r = d.data;

  return (
    <section class="hr detail" data-testid="hr-detail" data-id={id}>
      <button type="button" class="btn btn-secondary back" data-testid="hr-back" onClick={() => navigate('#/help', true)}>
        <BackIcon size={22} />
        {t('hr_back')}
      </button>
      {d.loading && !r && !d.problem ? (
        <p class="card center" role="status" aria-busy="true">
          <span class="spinner" aria-hidden="true" /> {t('loading')}
        </p>
      ) : null}
      {r ? <ProblemLine problem={d.problem} testid="hr-detail-error" /> : null}
      {!r && d.problem ? <OfflineState problem={d.problem} busy={d.loading} onRetry={() => void d.reload()} testid="hr-detail-offline" /> : null}
      {r ? <AgeLine savedAt={d.savedAt} stale={!d.fresh || !online} testid="hr-detail-age" everyMs={15_000} /> : null}
      {r ? (
        <>
          <div class="card">
            <div class="hr-card-head">
              <CategoryName category={r.category} />
              <StatusChip status={r.status} testid="hr-detail-status" />
            </div>
            <p class="hr-meta">
              <UrgencyBadge urgency={r.urgency} />
              <DueLine r={r} now={now} />
            </p>
            <LiveLine live={live === 'open'} />
            <h3>{t('hr_detail_description')}</h3>
            <p class="hr-description" data-testid="hr-detail-description">
              {r.description}
            </p>
            <dl class="hr-facts">
              {r.station_name ? (
                <>
                  <dt>{t('hr_detail_station')}</dt>
                  <dd data-testid="hr-detail-station">{r.station_name}</dd>
                </>
              ) : null}
              <dt>{t('hr_detail_tier')}</dt>
              <dd data-testid="hr-detail-tier">{label(t, 'hr_tier_', r.tier)}</dd>
              {r.reopen_count > 0 ? (
                <>
                  <dt />
                  <dd>{t('hr_detail_reopened', { n: r.reopen_count })}</dd>
                </>
              ) : null}
            </dl>
            {r.feedback ? (
              <p class="success" data-testid="hr-rated">
                {t('hr_rated', { n: r.feedback.rating })}
                {r.feedback.comment ? ` · ${r.feedback.comment}` : ''}
              </p>
            ) : null}
          </div>
          <RiderActions r={r} now={now.getTime()} onChanged={d.set} onStale={() => void d.reload()} />
          <div class="card">
            <h3>{t('hr_detail_timeline')}</h3>
            <Timeline events={r.timeline} />
          </div>
        </>
      ) : null}
    </section>
  );
}

function RiderActions({ r, now, onChanged, onStale }: { r: HelpRequestDetail; now: number; onChanged(d: HelpRequestDetail): void; onStale(): void }) {
  const { t, locale } = useI18n();
  const [rating, setRating] = useState(0);
  const [comment, setComment] = useState('');
  const [reopenNote, setReopenNote] = useState('');
  const [busy, setBusy] = useState<'rate' | 'reopen' | 'cancel' | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [ratingError, setRatingError] = useState<string | null>(null);
  const [confirmCancel, setConfirmCancel] = useState(false);

  const done = (r2: { ok: true; data: HelpRequestDetail } | { ok: false; problem: Problem }) => {
    setBusy(null);
    if (r2.ok) {
      setProblem(null);
      setConfirmCancel(false);
      onChanged(r2.data);
    } else {
      setProblem(r2.problem);
      if (r2.problem.status === 409 || r2.problem.status === 403) onStale();
    }
  };

  const rate = async () => {
    if (rating < 1) {
      setRatingError(t('hr_rate_required'));
      return;
    }
    setRatingError(null);
    setBusy('rate');
    const text = comment.trim();
    done(await sendFeedback(r.id, { rating, ...(text ? { comment: text } : {}) }));
  };
  const act = async (action: 'reopen' | 'cancel') => {
    setBusy(action);
    const note = action === 'reopen' ? reopenNote.trim() : '';
    done(await transitionHelpRequest(r.id, { action, ...(note ? { note } : {}) }));
  };

  const rateable = canRate(r);
  const reopenable = canReopen(r, now);
  const cancellable = r.allowed_actions.includes('cancel');
  if (!rateable && !reopenable && !cancellable && !problem) return null;

  return (
    <div class="card hr-actions" data-testid="hr-rider-actions">
      <ProblemLine problem={problem} testid="hr-action-error" />
      {rateable ? (
        <div class="hr-rate" data-testid="hr-rate">
          <h3>{t('hr_rate_title')}</h3>
          <Stars value={rating} onChange={(n) => (setRating(n), setRatingError(null))} disabled={busy !== null} />
          {ratingError ? <p class="field-error">{ratingError}</p> : null}
          <NoteField id="hr-rate-comment" label={t('hr_rate_comment')} value={comment} max={NOTE_MAX} onInput={setComment} rows={2} disabled={busy !== null} />
          <Button busy={busy === 'rate'} busyLabel={t('hr_rate_sending')} disabled={busy !== null} data-testid="hr-rate-submit" onClick={() => void rate()}>
            {t('hr_rate_submit')}
          </Button>
        </div>
      ) : null}
      {reopenable ? (
        <div class="hr-reopen stack" data-testid="hr-reopen">
          {r.reopen_until ? <p class="muted small">{t('hr_reopen_until', { time: formatWhen(r.reopen_until, locale) })}</p> : null}
          <NoteField id="hr-reopen-note" label={t('hr_reopen_note')} value={reopenNote} max={NOTE_MAX} onInput={setReopenNote} rows={2} disabled={busy !== null} />
          <Button variant="secondary" busy={busy === 'reopen'} busyLabel={t('hr_reopening')} disabled={busy !== null} data-testid="hr-action-reopen" onClick={() => void act('reopen')}>
            {t('hr_action_reopen')}
          </Button>
        </div>
      ) : null}
      {cancellable ? (
        <Button variant="danger" disabled={busy !== null} data-testid="hr-action-cancel" onClick={() => setConfirmCancel(true)}>
          {t('hr_action_cancel')}
        </Button>
      ) : null}
      {confirmCancel ? (
        <ConfirmDialog
          testid="hr-cancel-dialog"
          title={t('hr_cancel_confirm_title')}
          body={t('hr_cancel_confirm_body')}
          confirmLabel={t('hr_action_cancel')}
          busyLabel={t('hr_cancelling')}
          cancelLabel={t('hr_cancel_keep')}
          busy={busy === 'cancel'}
          error={problem ? helpProblem(problem, t) : undefined}
          onConfirm={() => void act('cancel')}
          onCancel={() => setConfirmCancel(false)}
        />
      ) : null}
    </div>
  );
}
