// 今日: the station's day as the server counts it (Asia/Shanghai) — services by type,
// check-ins, riders, the busiest moment, help and points — and today's check-in list.
import { useEffect } from 'preact/hooks';
import { problemMessage } from '../../api/problem';
import { AgeLine } from '../../components/AgeLine';
import { Button } from '../../components/Button';
import { RefreshIcon } from '../../components/Icons';
import { ServiceIcon } from '../../components/ServiceIcon';
import { useI18n } from '../../i18n/context';
import { formatDate } from '../../lib/format';
import { groupedNumber } from '../../lib/points';
import { shanghaiDay } from '../../lib/serviceCounters';
import { FALLBACK_SERVICE_TYPES, serviceLabel } from '../../lib/serviceTypes';
import { clockTime } from '../../lib/stations';
import { useOnline } from '../../lib/useOnline';
import { PosterButton } from './PosterButton';
import type { SummaryState } from './useSummary';
import { useServiceTypes } from './useServiceTypes';

export function TodaySummary({ stationId, summary, pending }: { stationId: string; summary: SummaryState; pending: number }) {
  const { t, locale } = useI18n();
  const online = useOnline();
  const types = useServiceTypes();
  // Opening the tab asks again: the figures change all day.
  useEffect(() => {
    void summary.reload();
  }, []);
  const s = summary.data && summary.data.date === shanghaiDay(Date.now()) ? summary.data : null;
  const icon = (code: string) => (types.items.find((x) => x.code === code) ?? FALLBACK_SERVICE_TYPES.find((x) => x.code === code))?.icon ?? 'dots';
  const fact = (testid: string, label: string, value: string) => (
    <div class="td-fact" data-testid={testid}>
      <dt>{label}</dt>
      <dd data-testid={`${testid}-value`}>{value}</dd>
    </div>
  );

  return (
    <section class="today" data-testid="today-summary">
      <div class="card">
        <div class="hr-section-head">
          <h2>{t('td_title')}</h2>
          <Button variant="secondary" busy={summary.loading} busyLabel={t('refreshing')} data-testid="td-refresh" onClick={() => void summary.reload()} aria-label={t('refresh')}>
            <RefreshIcon size={22} />
          </Button>
        </div>
        <p class="muted">{t('td_date', { date: formatDate(new Date().toISOString(), locale) })}</p>
        <AgeLine savedAt={summary.askedAt} stale={!online || !!summary.problem} testid="td-age" />
        {summary.problem && !s ? (
          <p class={online ? 'form-error' : 'notice'} role="alert" data-testid="td-error">
            {problemMessage(summary.problem, t)}
          </p>
        ) : null}
        {!s && summary.loading ? (
          <p class="progress-line" role="status" aria-busy="true">
            <span class="spinner" aria-hidden="true" /> {t('td_loading')}
          </p>
        ) : null}
        {s ? (
          <dl class="td-facts">
            {fact('td-services', t('td_services'), groupedNumber(s.services_total))}
            {fact('td-check-ins', t('td_check_ins'), groupedNumber(s.check_ins))}
            {fact('td-riders', t('td_unique_riders'), groupedNumber(s.unique_riders))}
            {fact('td-peak', t('td_peak'), groupedNumber(s.peak_occupancy))}
            {fact('td-help', t('td_help'), `${groupedNumber(s.help_opened)} / ${groupedNumber(s.help_resolved)}`)}
            {fact('td-points', t('td_points'), groupedNumber(s.points_redeemed))}
          </dl>
        ) : null}
        {pending > 0 ? (
          <p class="notice" data-testid="td-pending">
            {t('td_pending_note', { n: pending })}
          </p>
        ) : null}
      </div>
      {s ? (
        <div class="card">
          <h3>{t('td_by_type')}</h3>
          {s.services.filter((x) => x.quantity > 0).length === 0 ? (
            <p class="muted" data-testid="td-no-services">
              {t('td_none')}
            </p>
          ) : (
            <ul class="td-types" data-testid="td-types">
              {s.services
                .filter((x) => x.quantity > 0)
                .map((x) => (
                  <li key={x.service_type} data-testid="td-type" data-type={x.service_type} data-quantity={x.quantity}>
                    <ServiceIcon icon={icon(x.service_type)} size={24} />
                    <span class="td-type-name">{serviceLabel(types.items, x.service_type, locale)}</span>
                    <strong>{groupedNumber(x.quantity)}</strong>
                  </li>
                ))}
            </ul>
          )}
        </div>
      ) : null}
      {s ? (
        <div class="card">
          <h3>{t('td_check_in_list')}</h3>
          {(s.check_in_list ?? []).length === 0 ? (
            <p class="muted">{t('td_no_check_ins')}</p>
          ) : (
            <ol class="ledger" data-testid="td-check-in-list">
              {(s.check_in_list ?? []).map((c, i) => (
                <li key={`${c.at}-${i}`} class="ledger-row" data-testid="td-check-in">
                  <span class="td-time">{clockTime(c.at, locale)}</span>
                  <span class="ledger-main">
                    <strong>{c.display_name}</strong>
                    <span class="muted small">{c.rider}</span>
                  </span>
                </li>
              ))}
            </ol>
          )}
        </div>
      ) : null}
      <div class="card">
        <PosterButton stationId={stationId} testid="td-poster" />
      </div>
    </section>
  );
}
