// 概览: the headline numbers, stations by status, a metric over time and services by type.
import { fetchCsv, fetchOverview, type Overview, type Period } from '../../api/analytics';
import { useI18n } from '../../i18n/context';
import { FALLBACK_SERVICE_TYPES, serviceLabel } from '../../lib/serviceTypes';
import { countChange, formatCount } from '../../lib/trends';
import { KpiCards, StationCounts } from './KpiCards';
import { CsvButton, Loading, PanelHead, ProblemNote } from './parts';
import { SeriesPanel } from './SeriesPanel';
import { useLoad } from './useLoad';

export function OverviewPanel({ period }: { period: Period }) {
  const { t, locale } = useI18n();
  const key = JSON.stringify(period);
  const o = useLoad(key, () => fetchOverview(period));
  const asOf = o.data?.as_of ? new Date(o.data.as_of).toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone: 'Asia/Shanghai', dateStyle: 'medium', timeStyle: 'short' }) : null;
  return (
    <div class="db-overview">
      <section class="card db-panel" aria-labelledby="db-kpi-title" data-testid="db-overview" data-loading={o.loading} data-key={o.dataKey ?? ''}>
        <PanelHead title={t('db_overview_title')} id="db-kpi-title">
          <CsvButton testid="db-overview-csv" base="overview" period={period} fetchFile={() => fetchCsv('overview', period)} />
        </PanelHead>
        {asOf ? <p class="muted small">{t('db_as_of', { time: asOf })}</p> : null}
        <Loading on={o.loading} testid="db-overview-loading" />
        <ProblemNote problem={o.problem} testid="db-overview-error" onRetry={o.reload} />
        {o.data ? (
          <>
            <StationCounts o={o.data} />
            <KpiCards o={o.data} />
          </>
        ) : null}
      </section>
      <div class="db-two">
        <SeriesPanel period={period} />
        {o.data ? <ServicesCard o={o.data} /> : null}
      </div>
    </div>
  );
}

function ServicesCard({ o }: { o: Overview }) {
  const { t, locale } = useI18n();
  const services = [...o.services].sort((a, b) => b.quantity - a.quantity || a.service_type.localeCompare(b.service_type));
  const top = Math.max(1, ...services.map((s) => s.quantity));
  return (
    <section class="card db-panel" aria-labelledby="db-services-title" data-testid="db-services">
      <PanelHead title={t('db_services_title')} id="db-services-title" />
      {services.length === 0 ? <p class="muted">{t('db_empty')}</p> : null}
      <ul class="db-bars">
        {services.map((s) => {
          const change = countChange(s.previous > 0 ? (s.quantity - s.previous) / s.previous : null);
          return (
            <li key={s.service_type} data-testid={`db-service-${s.service_type}`} data-value={s.quantity}>
              <span class="db-bar-label">{serviceLabel(FALLBACK_SERVICE_TYPES, s.service_type, locale)}</span>
              <span class="db-bar" aria-hidden="true">
                <span style={{ width: `${(s.quantity / top) * 100}%` }} />
              </span>
              <span class="db-bar-value">{formatCount(s.quantity, locale)}</span>
              <span class="db-bar-change muted small">{change.arrow}</span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
