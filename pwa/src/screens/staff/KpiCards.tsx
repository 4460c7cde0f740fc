// The headline numbers: each with its change against the period of equal length before it
// (↑/↓ with %, rates in percentage points; "—" when suppressed or nothing to compare with).
import type { Overview, RateTrend, Trend } from '../../api/analytics';
import { useI18n } from '../../i18n/context';
import type { MessageKey } from '../../i18n';
import { countChange, formatCount, formatMinutes, formatRate, rateChange, toneOf, type Change } from '../../lib/trends';

type Kpi =
  | { id: string; label: MessageKey; kind: 'count'; better: 'up' | 'down'; pick(o: Overview): Trend }
  | { id: string; label: MessageKey; kind: 'rate'; better: 'up' | 'down'; pick(o: Overview): RateTrend }
  | { id: string; label: MessageKey; kind: 'minutes'; better: 'up' | 'down'; pick(o: Overview): number | null | undefined };

export const KPIS: readonly Kpi[] = [
  { id: 'check_ins', label: 'db_kpi_check_ins', kind: 'count', better: 'up', pick: (o) => o.check_ins },
  { id: 'unique_riders', label: 'db_kpi_unique_riders', kind: 'count', better: 'up', pick: (o) => o.unique_riders },
  { id: 'services_total', label: 'db_kpi_services_total', kind: 'count', better: 'up', pick: (o) => o.services_total },
  { id: 'help_opened', label: 'db_kpi_help_opened', kind: 'count', better: 'down', pick: (o) => o.help.opened },
  { id: 'help_resolved', label: 'db_kpi_help_resolved', kind: 'count', better: 'up', pick: (o) => o.help.resolved },
  { id: 'response_rate', label: 'db_kpi_response_rate', kind: 'rate', better: 'up', pick: (o) => o.help.response_rate },
  { id: 'resolution_rate', label: 'db_kpi_resolution_rate', kind: 'rate', better: 'up', pick: (o) => o.help.resolution_rate },
  { id: 'satisfaction_rate', label: 'db_kpi_satisfaction_rate', kind: 'rate', better: 'up', pick: (o) => o.help.satisfaction_rate },
  { id: 'sla_breach_rate', label: 'db_kpi_sla_breach_rate', kind: 'rate', better: 'down', pick: (o) => o.help.sla_breach_rate },
  { id: 'median_accept', label: 'db_kpi_median_accept', kind: 'minutes', better: 'down', pick: (o) => o.help.median_minutes_to_accept },
  { id: 'median_resolve', label: 'db_kpi_median_resolve', kind: 'minutes', better: 'down', pick: (o) => o.help.median_minutes_to_resolve },
  { id: 'lesson_completions', label: 'db_kpi_lesson_completions', kind: 'count', better: 'up', pick: (o) => o.lesson_completions },
  { id: 'points_earned', label: 'db_kpi_points_earned', kind: 'count', better: 'up', pick: (o) => o.points_earned },
  { id: 'points_spent', label: 'db_kpi_points_spent', kind: 'count', better: 'up', pick: (o) => o.points_spent },
];

function ChangeLine({ id, change, better, compared }: { id: string; change: Change; better: 'up' | 'down'; compared: string }) {
  const { t } = useI18n();
  const tone = toneOf(change.direction, better);
  return (
    <p class={`kpi-change kpi-${tone}`} data-testid={`kpi-${id}-change`} data-direction={change.direction}>
      <strong>{change.arrow}</strong> <span class="muted">{change.direction === 'none' ? t('db_change_none') : compared}</span>
    </p>
  );
}

function KpiCard({ kpi, o }: { kpi: Kpi; o: Overview }) {
  const { t, locale } = useI18n();
  const compared = t('db_change_vs');
  let value: string;
  let raw: string;
  let detail: string | null = null;
  let change: Change | null = null;
  if (kpi.kind === 'count') {
    const tr = kpi.pick(o);
    value = formatCount(tr.value, locale);
    raw = tr.value === null || tr.value === undefined ? '' : String(tr.value);
    detail = tr.value === null || tr.value === undefined ? t('db_suppressed') : t('db_previous', { n: formatCount(tr.previous, locale) });
    change = countChange(tr.change);
  } else if (kpi.kind === 'rate') {
    const r = kpi.pick(o);
    value = formatRate(r.value);
    raw = r.value === null || r.value === undefined ? '' : String(r.value);
    detail = t('db_rate_parts', { n: formatCount(r.numerator, locale), d: formatCount(r.denominator, locale) });
    change = rateChange(r.change, t('db_points_unit'));
  } else {
    const m = kpi.pick(o);
    value = formatMinutes(m, locale);
    raw = m === null || m === undefined ? '' : String(m);
    detail = t('db_minutes_unit');
  }
  return (
    <article class="kpi" data-testid={`kpi-${kpi.id}`} data-value={raw}>
      <h3 class="kpi-label">{t(kpi.label)}</h3>
      <p class="kpi-value" data-testid={`kpi-${kpi.id}-value`}>
        {value}
      </p>
      {detail ? <p class="kpi-detail muted small">{detail}</p> : null}
      {change ? <ChangeLine id={kpi.id} change={change} better={kpi.better} compared={compared} /> : null}
    </article>
  );
}

export function KpiCards({ o }: { o: Overview }) {
  return (
    <div class="kpi-grid" data-testid="kpi-grid">
      {KPIS.map((k) => (
        <KpiCard key={k.id} kpi={k} o={o} />
      ))}
    </div>
  );
}

const STATUSES = ['open', 'full', 'temporarily_closed', 'closed_permanently'] as const;

export function StationCounts({ o }: { o: Overview }) {
  const { t, locale } = useI18n();
  return (
    <dl class="db-station-counts" data-testid="kpi-stations">
      <div class="db-count db-count-total">
        <dt>{t('db_stations_total')}</dt>
        <dd data-testid="kpi-stations-total">{formatCount(o.stations.total, locale)}</dd>
      </div>
      {STATUSES.map((s) => (
        <div key={s} class={`db-count db-count-${s}`}>
          <dt>{t(`status_${s}`)}</dt>
          <dd data-testid={`kpi-stations-${s}`}>{formatCount(o.stations[s], locale)}</dd>
        </div>
      ))}
    </dl>
  );
}
