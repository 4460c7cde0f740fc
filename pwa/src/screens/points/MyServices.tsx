// 我接受的服务: what stations logged in the rider's name (after the rider showed their code),
// newest first; the first page is kept for offline use.
import { useState } from 'preact/hooks';
import { fetchMyServices, type ReceivedService } from '../../api/serviceLogs';
import { AgeLine } from '../../components/AgeLine';
import { Button } from '../../components/Button';
import { ServiceIcon } from '../../components/ServiceIcon';
import { useI18n } from '../../i18n/context';
import { formatDate } from '../../lib/format';
import { FALLBACK_SERVICE_TYPES, serviceLabel } from '../../lib/serviceTypes';
import { clockTime } from '../../lib/stations';
import { useOnline } from '../../lib/useOnline';
import { ProblemLine } from '../help/parts';
import { useCachedLoad } from '../help/store';

const PER_PAGE = 10;

export function MyServices({ owner }: { owner: string }) {
  const { t, locale } = useI18n();
  const online = useOnline();
  const first = useCachedLoad(`warmnew.my-services.${owner}`, () => fetchMyServices(1, PER_PAGE), []);
  const [more, setMore] = useState<{ page: number; items: ReceivedService[] }>({ page: 1, items: [] });
  const [loadingMore, setLoadingMore] = useState(false);
  const items = [...(first.data?.items ?? []), ...more.items.filter((x) => !first.data?.items.some((y) => y.id === x.id))];
  const total = first.data?.total ?? 0;

  const loadMore = async () => {
    setLoadingMore(true);
    const r = await fetchMyServices(more.page + 1, PER_PAGE);
    setLoadingMore(false);
    if (r.ok) setMore({ page: more.page + 1, items: [...more.items, ...r.data.items] });
  };
  const icon = (code: string) => FALLBACK_SERVICE_TYPES.find((x) => x.code === code)?.icon ?? 'dots';

  return (
    <section class="card" data-testid="my-services">
      <h3>{t('ms_title')}</h3>
      <AgeLine savedAt={first.savedAt} stale={!first.fresh || !online} testid="ms-age" />
      <ProblemLine problem={first.data ? null : first.problem} testid="ms-error" />
      {first.loading && !first.data ? (
        <p class="progress-line" role="status" aria-busy="true">
          <span class="spinner" aria-hidden="true" /> {t('ms_loading')}
        </p>
      ) : null}
      {first.data && items.length === 0 ? <p class="muted">{t('ms_empty')}</p> : null}
      <ol class="ledger" data-testid="ms-list">
        {items.map((s) => (
          <li key={s.id} class="ledger-row" data-testid="ms-item" data-type={s.service_type} data-quantity={s.quantity}>
            <ServiceIcon icon={icon(s.service_type)} size={26} />
            <span class="ledger-main">
              <strong>
                {serviceLabel(FALLBACK_SERVICE_TYPES, s.service_type, locale)}
                {s.quantity > 1 ? ` ×${s.quantity}` : ''}
              </strong>
              <span class="ledger-label">{s.station_name}</span>
              <span class="muted small">
                {formatDate(s.occurred_at, locale)} {clockTime(s.occurred_at, locale)}
              </span>
            </span>
          </li>
        ))}
      </ol>
      {items.length < total && online ? (
        <Button variant="secondary" busy={loadingMore} busyLabel={t('loading')} data-testid="ms-more" onClick={() => void loadMore()}>
          {t('ms_more')}
        </Button>
      ) : null}
    </section>
  );
}
