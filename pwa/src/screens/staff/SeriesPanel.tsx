// A metric over time: the metric, the bucket (day / week / hour for a week or less), the chart
// and its CSV.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { fetchCsv, fetchTimeseries, METRICS, type Interval, type Metric, type Period } from '../../api/analytics';
import { useI18n } from '../../i18n/context';
import { hourlyAllowed } from '../../lib/dateRange';
import { bucketLabel } from '../../lib/trends';
import { CsvButton, Loading, PanelHead, ProblemNote } from './parts';
import { SeriesChart } from './SeriesChart';
import { useLoad } from './useLoad';

const INTERVALS: Interval[] = ['hour', 'day', 'week'];

export function SeriesPanel({ period }: { period: Period }) {
  const { t, locale } = useI18n();
  const [metric, setMetric] = useState<Metric>('check_ins');
  const [interval, setBucket] = useState<Interval>('day');
  const hourly = hourlyAllowed(period);
  // A longer range than a week: hourly buckets are not offered, so fall back to days.
  useEffect(() => {
    if (!hourly && interval === 'hour') setBucket('day');
  }, [hourly, interval]);
  const shown: Interval = !hourly && interval === 'hour' ? 'day' : interval;
  const key = JSON.stringify([period, metric, shown]);
  const s = useLoad(key, () => fetchTimeseries(period, metric, shown));
  const label = t(`db_metric_${metric}`);
  const data = useMemo(
    () => ({
      labels: (s.data?.points ?? []).map((p) => bucketLabel(p.start, shown, locale)),
      values: (s.data?.points ?? []).map((p) => p.value ?? null),
      label,
    }),
    [s.data, shown, locale, label],
  );

  return (
    <section class="card db-panel db-series" aria-labelledby="db-series-title" data-testid="db-series" data-loading={s.loading} data-metric={metric} data-interval={shown}>
      <PanelHead title={t('db_series_title')} id="db-series-title">
        <CsvButton testid="db-series-csv" base={`timeseries-${metric}`} period={period} fetchFile={() => fetchCsv('timeseries', period, { metric, interval: shown })} />
      </PanelHead>
      <div class="chips db-chips" role="group" aria-label={t('db_metric')}>
        {METRICS.map((m) => (
          <button key={m} type="button" class={m === metric ? 'chip chip-on' : 'chip'} aria-pressed={m === metric} data-testid={`db-metric-${m}`} onClick={() => setMetric(m)}>
            {t(`db_metric_${m}`)}
          </button>
        ))}
      </div>
      <div class="segmented db-intervals" role="group" aria-label={t('db_interval')}>
        {INTERVALS.map((i) => (
          <button
            key={i}
            type="button"
            class={i === shown ? 'seg seg-on' : 'seg'}
            aria-pressed={i === shown}
            disabled={i === 'hour' && !hourly}
            title={i === 'hour' && !hourly ? t('db_interval_hour_hint') : undefined}
            data-testid={`db-interval-${i}`}
            onClick={() => setBucket(i)}
          >
            {t(`db_interval_${i}`)}
          </button>
        ))}
      </div>
      <Loading on={s.loading} />
      <ProblemNote problem={s.problem} testid="db-series-error" onRetry={s.reload} />
      {s.data ? <SeriesChart data={data} caption={label} /> : null}
    </section>
  );
}
