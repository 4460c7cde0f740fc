// 驿站: every station of the area with its numbers for the period, sorted by the server (a tap on
// a column head; again for the other way), paged, and the whole list as CSV.
import { useState } from 'preact/hooks';
import { fetchCsv, fetchStationStats, type Period, type SortOrder, type StationQuery, type StationSort } from '../../api/analytics';
import type { Region } from '../../api/types';
import { Button } from '../../components/Button';
import { useI18n } from '../../i18n/context';
import type { MessageKey } from '../../i18n';
import { formatDate } from '../../lib/format';
import { regionName } from '../../lib/regionScope';
import { formatCount } from '../../lib/trends';
import { CsvButton, Loading, PanelHead, ProblemNote } from './parts';
import { useLoad } from './useLoad';

const PER_PAGE = 50;

type Column = { id: string; label: MessageKey; sort: StationSort | null; num: boolean };

const COLUMNS: readonly Column[] = [
  { id: 'name', label: 'db_col_station', sort: 'name', num: false },
  { id: 'region', label: 'db_col_region', sort: null, num: false },
  { id: 'status', label: 'db_col_status', sort: null, num: false },
  { id: 'check_ins', label: 'db_col_check_ins', sort: 'check_ins', num: true },
  { id: 'visitors', label: 'db_col_visitors', sort: null, num: true },
  { id: 'services', label: 'db_col_services', sort: 'services', num: true },
  { id: 'peak_occupancy', label: 'db_col_peak', sort: 'peak_occupancy', num: true },
  { id: 'help_handled', label: 'db_col_help_handled', sort: 'help_handled', num: true },
  { id: 'last_verified_at', label: 'db_col_verified', sort: 'last_verified_at', num: false },
];

/** First tap on a column: names A→Z, numbers and dates biggest / newest first. */
const firstOrder = (s: StationSort): SortOrder => (s === 'name' ? 'asc' : 'desc');

export function StationTable({ period, regions }: { period: Period; regions: readonly Region[] | null }) {
  const { t, locale } = useI18n();
  const periodKey = JSON.stringify(period);
  const [state, setState] = useState<StationQuery & { periodKey: string }>({ sort: 'check_ins', order: 'desc', page: 1, perPage: PER_PAGE, periodKey });
  // Another period or region: back to the first page (the sort stays).
  const q: StationQuery = { sort: state.sort, order: state.order, perPage: state.perPage, page: state.periodKey === periodKey ? state.page : 1 };
  const setQ = (next: StationQuery) => setState({ ...next, periodKey });
  const key = JSON.stringify([period, q]);
  const s = useLoad(key, () => fetchStationStats(period, q));
  const byCode = new Map((regions ?? []).map((r) => [r.code, r]));
  const pages = s.data ? Math.max(1, Math.ceil(s.data.total / s.data.per_page)) : 1;

  const sortBy = (sort: StationSort) => setQ({ ...q, sort, order: q.sort === sort ? (q.order === 'asc' ? 'desc' : 'asc') : firstOrder(sort), page: 1 });

  return (
    <section class="card db-panel" aria-labelledby="db-stations-title" data-testid="db-stations" data-loading={s.loading} data-sort={q.sort} data-order={q.order} data-page={q.page}>
      <PanelHead title={t('db_stations_title')} id="db-stations-title">
        <CsvButton testid="db-stations-csv" base="stations" period={period} fetchFile={() => fetchCsv('stations', period, { sort: q.sort, order: q.order })} />
      </PanelHead>
      <p class="muted small">{t('db_stations_hint')}</p>
      <Loading on={s.loading} testid="db-stations-loading" />
      <ProblemNote problem={s.problem} testid="db-stations-error" onRetry={s.reload} />
      {s.data ? (
        <>
          <div class="db-table-wrap">
            <table class="db-table db-table-stations" data-testid="db-stations-table">
              <thead>
                <tr>
                  {COLUMNS.map((c) => {
                    const on = c.sort !== null && c.sort === q.sort;
                    return (
                      <th key={c.id} scope="col" class={c.num ? 'num' : undefined} aria-sort={on ? (q.order === 'asc' ? 'ascending' : 'descending') : undefined}>
                        {c.sort ? (
                          <button type="button" class={on ? 'db-sort db-sort-on' : 'db-sort'} data-testid={`st-sort-${c.id}`} onClick={() => sortBy(c.sort!)}>
                            {t(c.label)}
                            <span aria-hidden="true">{on ? (q.order === 'asc' ? ' ▲' : ' ▼') : ' ↕'}</span>
                          </button>
                        ) : (
                          t(c.label)
                        )}
                      </th>
                    );
                  })}
                </tr>
              </thead>
              <tbody>
                {s.data.items.map((r) => {
                  const region = byCode.get(r.region_code);
                  return (
                    <tr key={r.station_id} data-testid="st-row" data-id={r.station_id}>
                      <th scope="row" class="db-station-name">
                        {r.name}
                      </th>
                      <td>{region ? regionName(region, locale) : r.region_code}</td>
                      <td>
                        <span class={`db-status db-status-${r.status}`}>{statusLabel(t, r.status)}</span>
                      </td>
                      <td class="num" data-col="check_ins">
                        {formatCount(r.check_ins, locale)}
                      </td>
                      <td class="num" data-col="visitors" title={r.visitors === null ? t('db_suppressed') : undefined}>
                        {formatCount(r.visitors, locale)}
                      </td>
                      <td class="num" data-col="services">
                        {formatCount(r.services, locale)}
                      </td>
                      <td class="num" data-col="peak_occupancy">
                        {formatCount(r.peak_occupancy, locale)}
                      </td>
                      <td class="num" data-col="help_handled">
                        {formatCount(r.help_handled, locale)}
                      </td>
                      <td data-col="last_verified_at">{r.last_verified_at ? formatDate(r.last_verified_at, locale) : t('db_never')}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {s.data.items.length === 0 ? <p class="muted center">{t('db_empty')}</p> : null}
          <div class="db-pager">
            <Button variant="secondary" disabled={q.page <= 1 || s.loading} data-testid="st-prev" onClick={() => setQ({ ...q, page: q.page - 1 })}>
              {t('db_prev')}
            </Button>
            <span data-testid="st-page" data-total={s.data.total}>
              {t('db_page', { page: q.page, pages, total: formatCount(s.data.total, locale) })}
            </span>
            <Button variant="secondary" disabled={q.page >= pages || s.loading} data-testid="st-next" onClick={() => setQ({ ...q, page: q.page + 1 })}>
              {t('db_next')}
            </Button>
          </div>
        </>
      ) : null}
    </section>
  );
}

const statusLabel = (t: (k: MessageKey) => string, status: string): string => {
  const known = ['open', 'full', 'temporarily_closed', 'closed_permanently'] as const;
  const s = known.find((k) => k === status);
  return s ? t(`status_${s}`) : status;
};
