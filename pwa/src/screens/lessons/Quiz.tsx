// The quiz, one question at a time with big options; the answers waiting for a network; and
// the result: score, which questions were wrong, the points earned and the way to try again.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { LessonDetail, QuizQuestion } from '../../api/lessons';
import { Button } from '../../components/Button';
import { CheckIcon } from '../../components/Icons';
import { useI18n } from '../../i18n/context';
import { groupedNumber } from '../../lib/points';
import { answeredCount, choose, firstUnanswered, goTo, isComplete, progressPercent, review, type QuizState } from '../../lib/quiz';
import type { Graded } from './LessonView';

export function QuizQuestions({
  questions,
  state,
  onChange,
  busy,
  onSubmit,
}: {
  questions: QuizQuestion[];
  state: QuizState;
  onChange(s: QuizState): void;
  busy: boolean;
  onSubmit(): void;
}) {
  const { t } = useI18n();
  const [nudge, setNudge] = useState(false);
  const prompt = useRef<HTMLHeadingElement>(null);
  const total = questions.length;
  const index = Math.min(state.index, total - 1);
  const q = questions[index];
  const last = index === total - 1;
  const missing = total - answeredCount(questions, state);

  useEffect(() => {
    prompt.current?.focus({ preventScroll: true });
  }, [index]);

  if (!q) return null;
  const chosen = state.answers[q.id];

  const submit = () => {
    if (!isComplete(questions, state)) {
      setNudge(true);
      return;
    }
    setNudge(false);
    onSubmit();
  };

  return (
    <div class="quiz" data-testid="quiz" data-index={index} data-total={total}>
      <div class="quiz-progress">
        <span data-testid="quiz-counter">{t('ln_question_of', { n: index + 1, total })}</span>
        <span class="muted">{t('ln_answered_of', { n: total - missing, total })}</span>
      </div>
      <div class="bar" aria-hidden="true">
        <span style={{ width: `${progressPercent(questions, state)}%` }} />
      </div>
      <h3 class="quiz-prompt" id={`quiz-q-${q.id}`} tabIndex={-1} ref={prompt} data-testid="quiz-prompt" data-question-id={q.id}>
        {q.prompt}
      </h3>
      <div class="quiz-options" role="radiogroup" aria-labelledby={`quiz-q-${q.id}`}>
        {q.options.map((o, i) => (
          <button
            key={o.id}
            type="button"
            role="radio"
            aria-checked={chosen === o.id}
            class={chosen === o.id ? 'quiz-option quiz-option-on' : 'quiz-option'}
            data-testid="quiz-option"
            data-option-id={o.id}
            disabled={busy}
            onClick={() => {
              onChange(choose(state, q.id, o.id));
              setNudge(false);
            }}
          >
            <span class="quiz-letter" aria-hidden="true">
              {String.fromCharCode(65 + i)}
            </span>
            <span>{o.text}</span>
          </button>
        ))}
      </div>
      {nudge && missing > 0 ? (
        <div class="notice quiz-nudge" role="alert" data-testid="quiz-unanswered">
          <span>{t('ln_unanswered', { n: missing })}</span>
          <button type="button" class="btn-link" onClick={() => onChange(goTo(state, firstUnanswered(questions, state), total))}>
            {t('ln_goto_unanswered')}
          </button>
        </div>
      ) : null}
      <div class="quiz-nav">
        <Button variant="secondary" disabled={index === 0 || busy} data-testid="quiz-prev" onClick={() => onChange(goTo(state, index - 1, total))}>
          {t('ln_prev')}
        </Button>
        {last ? (
          <Button busy={busy} busyLabel={t('ln_submitting')} disabled={!chosen} data-testid="quiz-submit" onClick={submit}>
            {t('ln_submit')}
          </Button>
        ) : (
          <Button disabled={!chosen} data-testid="quiz-next" onClick={() => onChange(goTo(state, index + 1, total))}>
            {t('ln_next')}
          </Button>
        )}
      </div>
    </div>
  );
}

export function QuizQueued({ sending, online, onSendNow, onEdit }: { sending: boolean; online: boolean; onSendNow(): void; onEdit(): void }) {
  const { t } = useI18n();
  return (
    <div class="card quiz-queued stack" data-testid="quiz-queued" data-sending={sending ? 'true' : 'false'}>
      <p class="queued-title" role="status">
        <span aria-hidden="true">💾</span> <strong>{t('ln_queued')}</strong>
      </p>
      <p class="muted">{t('ln_queued_detail')}</p>
      {sending ? (
        <p class="progress-line" role="status" aria-busy="true" data-testid="quiz-queued-sending">
          <span class="spinner" aria-hidden="true" /> {t('ln_queued_sending')}
        </p>
      ) : (
        <>
          {online ? (
            <Button data-testid="quiz-send-now" onClick={onSendNow}>
              {t('retry')}
            </Button>
          ) : null}
          <Button variant="secondary" data-testid="quiz-edit" onClick={onEdit}>
            {t('ln_queued_edit')}
          </Button>
        </>
      )}
    </div>
  );
}

export function QuizResult({
  detail: d,
  graded: g,
  progress,
  onRetry,
  onLesson,
  onList,
}: {
  detail: LessonDetail;
  graded: Graded;
  progress: { done: number; total: number };
  onRetry(): void;
  onLesson(): void;
  onList(): void;
}) {
  const { t } = useI18n();
  const r = g.result;
  const rows = review(d.quiz.questions, g.answers, r);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus({ preventScroll: true }), []);
  return (
    <div class="quiz-result" data-testid="quiz-result" data-passed={r.passed ? 'true' : 'false'} data-score={r.score}>
      {g.fromQueue ? (
        <p class="success small" data-testid="quiz-from-queue">
          <CheckIcon size={18} /> {t('ln_delivered_note')}
        </p>
      ) : null}
      <div class={r.passed ? 'card result-card result-pass' : 'card result-card result-fail'}>
        <h3 class="result-title" tabIndex={-1} ref={heading}>
          {t('ln_result_title')}
        </h3>
        <p class="result-score" data-testid="quiz-score">
          {t('ln_score', { score: r.score })}
        </p>
        <p class="result-verdict" data-testid="quiz-verdict">
          {r.passed ? t('ln_pass') : t('ln_fail', { mark: d.pass_mark })}
        </p>
        <p class="muted" data-testid="quiz-correct">
          {t('ln_correct_of', { correct: r.correct, total: r.total })}
        </p>
        {r.points_awarded > 0 ? (
          <p class="result-points" data-testid="quiz-points" data-points={r.points_awarded}>
            <span class="muted small">{t('ln_earned_label')}</span>
            <strong>{t('ln_earned', { n: groupedNumber(r.points_awarded) })}</strong>
          </p>
        ) : r.already_awarded ? (
          <p class="muted" data-testid="quiz-already-awarded">
            {t('ln_already_awarded')}
          </p>
        ) : !r.passed ? (
          <p class="muted" data-testid="quiz-pass-to-earn">
            {t('ln_pass_to_earn', { n: d.points })}
          </p>
        ) : null}
        <p class="result-balance" data-testid="quiz-balance" data-balance={r.balance}>
          {t('ln_balance', { n: groupedNumber(r.balance) })}
        </p>
        <p class="muted small" data-testid="quiz-progress">
          {t('ln_progress', { done: progress.done, total: progress.total })}
        </p>
      </div>
      <ol class="review">
        {rows.map((row) => (
          <li key={row.id} class={row.right ? 'review-row review-right' : 'review-row review-wrong'} data-testid="review-row" data-right={row.right ? 'true' : 'false'} data-question-id={row.id}>
            <span class="review-mark" aria-hidden="true">
              {row.right ? '✓' : '✗'}
            </span>
            <span>
              <strong>
                {row.number}. {row.right ? t('ln_right') : row.chosen === null ? t('ln_skipped') : t('ln_wrong')}
              </strong>
              <span class="review-prompt">{row.prompt}</span>
              {row.chosen !== null ? <span class="muted small">{t('ln_your_answer', { text: row.chosen })}</span> : null}
            </span>
          </li>
        ))}
      </ol>
      <div class="stack">
        {!r.passed || r.wrong_question_ids.length > 0 ? (
          <Button data-testid="quiz-retry" onClick={onRetry}>
            {t('ln_retry')}
          </Button>
        ) : null}
        <Button variant="secondary" data-testid="quiz-to-lesson" onClick={onLesson}>
          {t('ln_back_to_lesson')}
        </Button>
        <Button variant="secondary" data-testid="quiz-to-list" onClick={onList}>
          {t('ln_to_list')}
        </Button>
      </div>
    </div>
  );
}
