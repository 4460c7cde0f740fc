// 诉求办理: how requests were handled, by category and by the tier that holds them now —
// 响应率 (answered within the deadline / received), 解决率 (resolved / finished), 满意率
// (rated 4–5 / rated), median minutes to accept and to resolve, and deadlines missed.
import { fetchCsv, fetchHelpStats, type HelpGroup, type Period } from '../../api/analytics';
import { useI18n } from '../../i18n/context';
import type { MessageKey } from '../../i18n';
import { formatCount, formatMinutes, formatRate } from '../../lib/trends';
import { label } from '../help/parts';
import { CsvButton, Loading, PanelHead, ProblemNote } from './parts';
import { useLoad } from './useLoad';

const TIER_ORDER = ['station', 'street', 'district', 'city'];

export function HelpPanel({ period }: { period: Period }) {
  const { t } = useI18n();
  const key = JSON.stringify(period);
  const h = useLoad(key, () => fetchHelpStats(period));
  const tiers = [...(h.data?.by_tier ?? [])].sort((a, b) => TIER_ORDER.indexOf(a.key) - TIER_ORDER.indexOf(b.key));
  const categories = [...(h.data?.by_category ?? [])].sort((a, b) => b.received - a.received || a.key.localeCompare(b.key));
  return (
    <section class="card db-panel" aria-labelledby="db-help-title" data-testid="db-help" data-loading={h.loading}>
      <PanelHead title={t('db_help_title')} id="db-help-title">
        <CsvButton testid="db-help-csv" base="help-requests" period={period} fetchFile={() => fetchCsv('help', period)} />
      </PanelHead>
      <p class="muted small">{t('db_help_hint')}</p>
      <Loading on={h.loading} />
      <ProblemNote problem={h.problem} testid="db-help-error" onRetry={h.reload} />
      {h.data ? (
        <>
          <HelpTable testid="db-help-tier" caption="db_help_by_tier" groups={tiers} total={h.data.total} prefix="hr_tier_" />
          <HelpTable testid="db-help-category" caption="db_help_by_category" groups={categories} total={h.data.total} prefix="hr_cat_" />
        </>
      ) : null}
    </section>
  );
}

function HelpTable({ testid, caption, groups, total, prefix }: { testid: string; caption: MessageKey; groups: HelpGroup[]; total: HelpGroup; prefix: string }) {
  const { t, locale } = useI18n();
  const row = (g: HelpGroup, name: string, isTotal = false) => (
    <tr key={g.key} class={isTotal ? 'db-total' : undefined} data-testid={isTotal ? `${testid}-total` : `${testid}-row`} data-key={g.key}>
      <th scope="row">{name}</th>
      <td class="num" data-col="received">{formatCount(g.received, locale)}</td>
      <td class="num" data-col="response_rate" title={`${g.responded_in_time} / ${g.received}`}>
        {formatRate(g.response_rate)}
      </td>
      <td class="num" data-col="resolution_rate" title={`${g.resolved} / ${g.finished}`}>
        {formatRate(g.resolution_rate)}
      </td>
      <td class="num" data-col="satisfaction_rate" title={`${g.satisfied} / ${g.rated}`}>
        {formatRate(g.satisfaction_rate)}
      </td>
      <td class="num" data-col="median_accept">{formatMinutes(g.median_minutes_to_accept, locale)}</td>
      <td class="num" data-col="median_resolve">{formatMinutes(g.median_minutes_to_resolve, locale)}</td>
      <td class={g.breached > 0 ? 'num db-bad' : 'num'} data-col="breached">
        {formatCount(g.breached, locale)}
      </td>
    </tr>
  );
  return (
    <div class="db-table-wrap">
      <table class="db-table" data-testid={testid}>
        <caption>{t(caption)}</caption>
        <thead>
          <tr>
            <th scope="col">{t(prefix === 'hr_tier_' ? 'db_col_tier' : 'db_col_category')}</th>
            <th scope="col" class="num">{t('db_col_received')}</th>
            <th scope="col" class="num">{t('db_kpi_response_rate')}</th>
            <th scope="col" class="num">{t('db_kpi_resolution_rate')}</th>
            <th scope="col" class="num">{t('db_kpi_satisfaction_rate')}</th>
            <th scope="col" class="num">{t('db_col_median_accept')}</th>
            <th scope="col" class="num">{t('db_col_median_resolve')}</th>
            <th scope="col" class="num">{t('db_col_breached')}</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g) => row(g, label(t, prefix, g.key)))}
          {groups.length === 0 ? (
            <tr>
              <td colSpan={8} class="muted center">
                {t('db_empty')}
              </td>
            </tr>
          ) : null}
        </tbody>
        <tfoot>{row(total, t('db_total'), true)}</tfoot>
      </table>
    </div>
  );
}
