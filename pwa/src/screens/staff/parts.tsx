// Small pieces the dashboard panels share: a panel head with its actions, the progress line,
// an error in our words, and the CSV button.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { CsvFile, Period } from '../../api/analytics';
import type { Result } from '../../api/client';
import type { Problem } from '../../api/problem';
import { Button } from '../../components/Button';
import { useI18n } from '../../i18n/context';
import { csvFileName, downloadCsv } from '../../lib/csvDownload';
import { dashboardProblemKey } from '../../lib/dashboardProblem';

export function PanelHead({ title, children, id }: { title: string; id?: string; children?: ComponentChildren }) {
  return (
    <div class="db-panel-head">
      <h2 id={id}>{title}</h2>
      {children ? <div class="db-panel-actions">{children}</div> : null}
    </div>
  );
}

export function Loading({ on, label, testid }: { on: boolean; label?: string; testid?: string }) {
  const { t } = useI18n();
  if (!on) return null;
  return (
    <p class="progress-line" role="status" aria-busy="true" data-testid={testid}>
      <span class="spinner" aria-hidden="true" /> {label ?? t('db_loading')}
    </p>
  );
}

export function ProblemNote({ problem, testid, onRetry }: { problem: Problem | null; testid: string; onRetry?: () => void }) {
  const { t } = useI18n();
  if (!problem) return null;
  return (
    <div class="form-error db-problem" role="alert" data-testid={testid} data-code={problem.code}>
      <span>{t(dashboardProblemKey(problem))}</span>
      {onRetry ? (
        <button type="button" class="btn btn-secondary btn-small" onClick={onRetry}>
          {t('db_retry')}
        </button>
      ) : null}
    </div>
  );
}

/** Downloads a table as CSV with the token; shows progress and, on failure, why. */
export function CsvButton({ fetchFile, base, period, testid }: { fetchFile: () => Promise<Result<CsvFile>>; base: string; period: Period; testid: string }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const go = async () => {
    setBusy(true);
    setProblem(null);
    setProblem(await downloadCsv(fetchFile, base, period));
    setBusy(false);
  };
  return (
    <span class="db-csv">
      <Button variant="secondary" busy={busy} busyLabel={t('db_csv_busy')} data-testid={testid} title={csvFileName(base, period)} onClick={() => void go()}>
        {t('db_csv')}
      </Button>
      <ProblemNote problem={problem} testid={`${testid}-error`} />
    </span>
  );
}
