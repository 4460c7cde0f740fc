// One lesson: the reader (large text, readable in sunlight) and its quiz, which share the
// rider's answers while the lesson stays open. Works from the offline copy.
import { useEffect, useState } from 'preact/hooks';
import { problemMessage, type Problem } from '../../api/problem';
import { submitAttempt, type AttemptAnswer, type AttemptResult, type LessonDetail } from '../../api/lessons';
import { AgeLine } from '../../components/AgeLine';
import { OfflineState } from '../../components/OfflineState';
import { Button } from '../../components/Button';
import { BackIcon, CheckIcon } from '../../components/Icons';
import { useI18n } from '../../i18n/context';
import { categoryKey } from '../../lib/lessonCache';
import type { Outbox } from '../../lib/lessonOutbox';
import { loginGate, useResume } from '../../lib/loginGate';
import { fromAnswers, newQuiz, retry, toAnswers, type QuizState } from '../../lib/quiz';
import { useOnline } from '../../lib/useOnline';
import { flushOutbox, rememberResult } from './outbox';
import { QuizQuestions, QuizQueued, QuizResult } from './Quiz';
import { useLesson } from './useLessons';

export interface Graded {
  answers: AttemptAnswer[];
  result: AttemptResult;
  /** Sent from the offline queue (not just now). */
  fromQueue: boolean;
}

interface Props {
  slug: string;
  quiz: boolean;
  owner: string;
  /** Logged in as a rider; without an account the answers wait for the login (lib/loginGate). */
  loggedIn: boolean;
  outbox: Outbox;
  progress: { done: number; total: number };
  navigate(hash: string, replace?: boolean): void;
  /** The offline copy changed (a lesson saved, an attempt graded). */
  onSaved(): void;
}

export function LessonView({ slug, quiz: showQuiz, owner, loggedIn, outbox, progress, navigate, onSaved }: Props) {
  const { t, locale } = useI18n();
  const online = useOnline();
  const lesson = useLesson(slug, locale);
  const detail = lesson.state.cached?.data ?? null;
  const [quiz, setQuiz] = useState<QuizState>(newQuiz);
  const [graded, setGraded] = useState<Graded | null>(null);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  useEffect(() => {
    if (lesson.state.fresh) onSaved();
  }, [lesson.state.fresh]);
  useEffect(() => window.scrollTo(0, 0), [showQuiz]);

  const queued = outbox.get(slug);
  const delivered = outbox.delivered(slug);
  const rejected = outbox.rejected(slug);
  // What the result screen shows: this visit's answer, else one sent from the queue.
  const shown: Graded | null = graded ?? (delivered && !queued ? { answers: delivered.answers, result: delivered.result, fromQueue: true } : null);

  const toLesson = () => navigate(`#/lessons/${encodeURIComponent(slug)}`, true);
  const toQuiz = () => navigate(`#/lessons/${encodeURIComponent(slug)}/quiz`);
  const toList = () => navigate('#/lessons', true);

  const submit = async (d: LessonDetail, state: QuizState = quiz) => {
    if (!loggedIn) {
      loginGate.ask('quiz', { slug, answers: state.answers });
      return;
    }
    const answers = toAnswers(d.quiz.questions, state);
    setProblem(null);
    outbox.dismiss(slug);
    const enqueue = () =>
      outbox.enqueue({ slug, locale, version: d.version, title: d.title, answers, queuedAt: Date.now() });
    if (!navigator.onLine) {
      enqueue();
      return;
    }
    setBusy(true);
    const r = await submitAttempt(slug, { answers, locale, version: d.version });
    setBusy(false);
    if (r.ok) {
      rememberResult(owner, locale, slug, r.data);
      onSaved();
      setGraded({ answers, result: r.data, fromQueue: false });
    } else if (r.problem.code === 'network') {
      enqueue(); // the network went while sending: keep the answers for later
    } else {
      setProblem(r.problem);
    }
  };

  // Answers given before logging in are submitted once the lesson is at hand.
  useResume(
    'quiz',
    loggedIn && detail !== null,
    (p) => {
      const state: QuizState = { index: quiz.index, answers: p.answers };
      setQuiz(state);
      if (detail) void submit(detail, state);
    },
    (p) => p.slug === slug,
  );

  /** The lesson changed on the server since it was read: read it again, answer again. */
  const reread = () => {
    setProblem(null);
    setQuiz(newQuiz());
    void lesson.reload();
    toLesson();
  };

  const again = (d: LessonDetail, g: Graded) => {
    setQuiz(retry(d.quiz.questions, g.answers, g.result));
    setGraded(null);
    outbox.dismiss(slug);
  };

  if (!detail) {
    return (
      <section class="lesson" data-testid="lesson-missing">
        <BackButton onClick={toList} />
        {lesson.state.loading ? (
          <p class="card center" role="status" aria-busy="true" data-testid="lesson-loading">
            <span class="spinner spinner-big" aria-hidden="true" />
            <br />
            {t('ln_opening')}
          </p>
        ) : (
          <OfflineState problem={online ? lesson.state.problem : null} onRetry={() => void lesson.reload()} testid="lesson-error" hint={t('ln_not_downloaded')} />
        )}
      </section>
    );
  }

  if (showQuiz) {
    const questions = detail.quiz.questions;
    return (
      <section class="lesson lesson-quiz" data-testid="lesson-quiz" data-slug={slug}>
        <BackButton onClick={toLesson} label={t('ln_back_to_lesson')} />
        <h2 class="quiz-title">
          <span aria-hidden="true">{detail.cover}</span> {detail.title}
        </h2>
        {queued ? (
          <QuizQueued
            sending={outbox.sending(slug)}
            online={online}
            onSendNow={() => void flushOutbox(owner)}
            onEdit={() => {
              setQuiz(fromAnswers(queued.answers));
              outbox.discard(slug);
            }}
          />
        ) : shown ? (
          <QuizResult
            detail={detail}
            graded={shown}
            progress={progress}
            onRetry={() => again(detail, shown)}
            onLesson={toLesson}
            onList={toList}
          />
        ) : (
          <>
            {rejected ? (
              <p class="form-error" role="alert" data-testid="quiz-rejected" data-code={rejected.code}>
                {t('ln_rejected')}
              </p>
            ) : null}
            <QuizQuestions questions={questions} state={quiz} onChange={setQuiz} busy={busy} onSubmit={() => void submit(detail)} />
            {problem ? (
              <div class="stack">
                <p class="form-error" role="alert" data-testid="quiz-error" data-code={problem.code}>
                  {problem.code === 'conflict' ? t('ln_lesson_changed') : problemMessage(problem, t)}
                </p>
                {problem.code === 'conflict' ? (
                  <Button variant="secondary" data-testid="quiz-reread" onClick={reread}>
                    {t('ln_back_to_lesson')}
                  </Button>
                ) : null}
              </div>
            ) : null}
          </>
        )}
      </section>
    );
  }

  return (
    <Reader
      detail={detail}
      state={lesson.state}
      queued={queued !== null}
      last={shown}
      onBack={toList}
      onQuiz={toQuiz}
    />
  );
}

function BackButton({ onClick, label }: { onClick(): void; label?: string }) {
  const { t } = useI18n();
  return (
    <button type="button" class="btn btn-link back" data-testid="lesson-back" onClick={onClick}>
      <BackIcon size={22} /> {label ?? t('ln_back')}
    </button>
  );
}

function Reader({
  detail: d,
  state,
  queued,
  last,
  onBack,
  onQuiz,
}: {
  detail: LessonDetail;
  state: ReturnType<typeof useLesson>['state'];
  queued: boolean;
  last: Graded | null;
  onBack(): void;
  onQuiz(): void;
}) {
  const { t, locale } = useI18n();
  const online = useOnline();
  const stale = !state.fresh || !online;
  const n = d.quiz.questions.length;
  return (
    <article class="lesson" data-testid="lesson-reader" data-slug={d.slug} data-locale={d.locale}>
      <BackButton onClick={onBack} />
      <header class="lesson-head">
        <span class="lesson-cover lesson-cover-big" aria-hidden="true">
          {d.cover}
        </span>
        <h2 class="lesson-title" data-testid="lesson-title">
          {d.title}
        </h2>
        <p class="lesson-meta">
          <span>{t(categoryKey(d.category))}</span>
          <span>{t('ln_minutes', { n: d.minutes })}</span>
          <span class="lesson-points">{t('ln_meta_points', { n: d.points })}</span>
        </p>
        {state.loading && state.cached ? (
          <p class="progress-line small" role="status" aria-busy="true">
            <span class="spinner" aria-hidden="true" /> {t('refreshing')}
          </p>
        ) : null}
        {!state.loading ? <AgeLine savedAt={state.cached?.savedAt} stale={stale} testid="lesson-age" /> : null}
        {d.locale !== locale ? (
          <p class="notice small" data-testid="lesson-other-language">
            {t('ln_other_language')}
          </p>
        ) : null}
      </header>
      {queued ? (
        <p class="notice" role="status" data-testid="lesson-queued">
          {t('ln_queued')}
        </p>
      ) : last ? (
        <p class={last.result.passed ? 'success' : 'notice'} data-testid="lesson-last-result">
          {last.result.passed ? <CheckIcon size={22} /> : null}
          <span>{t('ln_result_banner', { score: last.result.score })}</span>
          <button type="button" class="btn-link" onClick={onQuiz}>
            {t('ln_view_result')}
          </button>
        </p>
      ) : null}
      {/* The server sanitises the lesson's HTML (it is rendered from Markdown there). */}
      <div class="lesson-body" data-testid="lesson-body" lang={d.locale} dangerouslySetInnerHTML={{ __html: d.body_html }} />
      <div class="card lesson-cta">
        {n > 0 ? (
          <>
            <p class="muted">
              {t('ln_pass_mark', { mark: d.pass_mark })} · {t('ln_meta_points', { n: d.points })}
            </p>
            <Button data-testid="lesson-start-quiz" onClick={onQuiz}>
              {t('ln_start_quiz', { n })}
            </Button>
          </>
        ) : (
          <p class="muted">{t('ln_no_quiz')}</p>
        )}
      </div>
    </article>
  );
}
