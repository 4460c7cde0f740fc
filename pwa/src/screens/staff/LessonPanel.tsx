// 微课堂: lesson uptake among the area's riders — attempts, passes, first completions (hidden
// below 5 riders) and the pass rate.
import { fetchCsv, fetchLessonStats, type Period } from '../../api/analytics';
import { useI18n } from '../../i18n/context';
import { formatCount, formatRate } from '../../lib/trends';
import { CsvButton, Loading, PanelHead, ProblemNote } from './parts';
import { useLoad } from './useLoad';

export function LessonPanel({ period }: { period: Period }) {
  const { t, locale } = useI18n();
  const key = JSON.stringify(period);
  const l = useLoad(key, () => fetchLessonStats(period));
  const items = [...(l.data?.items ?? [])].sort((a, b) => b.attempts - a.attempts || a.title.localeCompare(b.title));
  return (
    <section class="card db-panel" aria-labelledby="db-lessons-title" data-testid="db-lessons" data-loading={l.loading}>
      <PanelHead title={t('db_lessons_title')} id="db-lessons-title">
        <CsvButton testid="db-lessons-csv" base="lessons" period={period} fetchFile={() => fetchCsv('lessons', period)} />
      </PanelHead>
      <p class="muted small">{t('db_lessons_hint')}</p>
      <Loading on={l.loading} />
      <ProblemNote problem={l.problem} testid="db-lessons-error" onRetry={l.reload} />
      {l.data ? (
        <div class="db-table-wrap">
          <table class="db-table" data-testid="db-lessons-table">
            <thead>
              <tr>
                <th scope="col">{t('db_col_lesson')}</th>
                <th scope="col" class="num">{t('db_col_attempts')}</th>
                <th scope="col" class="num">{t('db_col_passed')}</th>
                <th scope="col" class="num">{t('db_col_completions')}</th>
                <th scope="col">{t('db_col_pass_rate')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((x) => (
                <tr key={x.slug} data-testid="lesson-row" data-slug={x.slug}>
                  <th scope="row">{x.title}</th>
                  <td class="num">{formatCount(x.attempts, locale)}</td>
                  <td class="num">{formatCount(x.passed, locale)}</td>
                  <td class="num" title={x.completions === null ? t('db_suppressed') : undefined}>
                    {formatCount(x.completions, locale)}
                  </td>
                  <td>
                    <span class="db-rate">
                      <span class="db-bar" aria-hidden="true">
                        <span style={{ width: `${Math.round((x.pass_rate ?? 0) * 100)}%` }} />
                      </span>
                      {formatRate(x.pass_rate)}
                    </span>
                  </td>
                </tr>
              ))}
              {items.length === 0 ? (
                <tr>
                  <td colSpan={5} class="muted center">
                    {t('db_empty')}
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
