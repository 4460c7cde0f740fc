import { useEffect, useState } from 'preact/hooks';
import { fetchStation } from '../../api/stations';
import { problemMessage, type Problem } from '../../api/problem';
import type { StationCard, StationDetail } from '../../api/types';
import { AmenityIcon, amenityKey } from '../../components/AmenityIcon';
import { BackIcon, NavigateIcon, PhoneIcon } from '../../components/Icons';
import { useI18n } from '../../i18n/context';
import { formatDate } from '../../lib/format';
import { useNow } from '../../lib/useNow';
import { amapUrl, baiduUrl, clockTime, geoUri, isAmenity, type CardLike } from '../../lib/stations';
import { CheckInPanel } from './CheckIn';
import { DistanceLine, HoursLine, OccupancyBar, OpenBadge, stationName } from './parts';

type Shown = CardLike & Partial<Pick<StationDetail, 'opening_hours' | 'contact_phone' | 'last_verified_at' | 'updated_at'>>;

/** A station: live status and hours, a call button, check-in near the top; navigate; amenities. */
export function StationDetailView({ id, card, fromCentre = false, onBack }: { id: string; card: StationCard | null; fromCentre?: boolean; onBack(): void }) {
  const { t, locale } = useI18n();
  const now = useNow();
  const [detail, setDetail] = useState<StationDetail | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let live = true;
    setLoading(true);
    setProblem(null);
    void fetchStation(id).then((r) => {
      if (!live) return;
      setLoading(false);
      if (r.ok) setDetail(r.data);
      else setProblem(r.problem);
    });
    return () => {
      live = false;
    };
  }, [id]);

  // The list's card shows at once (also offline); the detail fills in when it comes.
  const s: Shown | null = detail ? { ...card, ...detail } : card;

  return (
    <section class="detail" data-testid="station-detail" data-station-id={id}>
      <button type="button" class="btn btn-secondary back" data-testid="station-back" onClick={onBack}>
        <BackIcon size={22} />
        {t('back_to_list')}
      </button>
      {loading ? (
        <p class="progress-line" role="status" aria-busy="true" data-testid="detail-loading">
          <span class="spinner" aria-hidden="true" />
          {t('loading')}
        </p>
      ) : null}
      {problem ? (
        <p class="form-error" role="alert" data-testid="detail-error" data-code={problem.code}>
          {problemMessage(problem, t)}
        </p>
      ) : null}
      {s ? (
        <>
          <div class="card">
            <h2 data-testid="detail-name">{stationName(s, locale)}</h2>
            <p class="muted" data-testid="detail-address">
              {s.address}
            </p>
            <div class="detail-state">
              <OpenBadge card={s} now={now} testid="detail-open-state" />
              <span class={`status status-${s.status}`} data-testid="detail-status" data-status={s.status}>
                {t(`status_${statusKey(s.status)}`)}
              </span>
            </div>
            {typeof s.distance_m === 'number' ? <DistanceLine distance={s.distance_m} fromCentre={fromCentre} /> : null}
            <p class="detail-hours">
              <strong>{t('detail_hours')}</strong> <HoursLine hours={s.opening_hours ?? null} testid="detail-hours" />
              {s.closes_at && s.open_now ? <span class="muted small"> · {t('closes_at', { time: clockTime(s.closes_at, locale) })}</span> : null}
            </p>
            <OccupancyBar card={s} testid="detail-occupancy" />
            {s.contact_phone ? (
              <a class="btn btn-primary btn-call" href={`tel:${s.contact_phone.replace(/[\s-]/g, '')}`} data-testid="detail-call">
                <PhoneIcon size={24} />
                <span>{t('detail_call')}</span>
                <span class="btn-call-number" data-testid="detail-phone">
                  {s.contact_phone}
                </span>
              </a>
            ) : null}
          </div>

          <CheckInPanel stationId={id} stationName={stationName(s, locale)} />

          <div class="card nav-buttons" data-testid="navigate">
            <h3>
              <NavigateIcon size={22} /> {t('navigate_title')}
            </h3>
            <a class="btn btn-primary" href={amapUrl(s)} target="_blank" rel="noopener noreferrer" data-testid="nav-amap">
              {t('navigate_amap')}
            </a>
            <a class="btn btn-secondary" href={baiduUrl(s)} target="_blank" rel="noopener noreferrer" data-testid="nav-baidu">
              {t('navigate_baidu')}
            </a>
            <a class="btn btn-secondary" href={geoUri(s)} data-testid="nav-geo">
              {t('navigate_system')}
            </a>
          </div>

          <dl class="card rows">
            <div class="row row-amenities">
              <dt>{t('detail_amenities')}</dt>
              <dd>
                <ul class="amenity-list" data-testid="detail-amenities">
                  {s.amenities.filter(isAmenity).map((a) => (
                    <li key={a} data-amenity={a}>
                      <AmenityIcon amenity={a} />
                      <span>{t(amenityKey(a))}</span>
                    </li>
                  ))}
                </ul>
              </dd>
            </div>
            {s.last_verified_at ? (
              <div class="row row-wide">
                <dt>{t('detail_verified')}</dt>
                <dd data-testid="detail-verified">{formatDate(s.last_verified_at, locale)}</dd>
              </div>
            ) : null}
          </dl>
        </>
      ) : null}
    </section>
  );
}

export const statusKey = (status: string) =>
  (['open', 'full', 'temporarily_closed', 'closed_permanently'] as const).find((x) => x === status) ?? 'open';
