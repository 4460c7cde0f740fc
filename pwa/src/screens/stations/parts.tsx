// Pieces shared by the rider's list, the station detail and the operator's screen.
import type { Locale } from '../../i18n';
import { useI18n } from '../../i18n/context';
import {
  clockTime,
  formatDistance,
  occupancyRatio,
  openState,
  RIDE_M_PER_MIN,
  travelMinutes,
  WALK_M_PER_MIN,
  type CardLike,
  type OpenState,
} from '../../lib/stations';
import { hoursInWords } from '../../lib/hoursWords';

export function openLabel(s: OpenState, locale: Locale, t: ReturnType<typeof useI18n>['t']): string {
  switch (s.kind) {
    case 'open':
      return t('open_now');
    case 'closing_soon':
      return t('closing_soon', { minutes: s.minutes });
    case 'closed':
      return s.opensAt ? t('closed_opens_at', { time: clockTime(s.opensAt, locale) }) : t('closed_now');
    case 'paused':
      return t('status_temporarily_closed');
    case 'gone':
      return t('status_closed_permanently');
  }
}

/** Open now / closing soon / closed, as a coloured badge with words (never colour alone). */
export function OpenBadge({ card, now, testid = 'station-open-state' }: { card: CardLike; now: Date; testid?: string }) {
  const { t, locale } = useI18n();
  const s = openState(card, now);
  return (
    <span class={`state state-${s.kind}`} data-testid={testid} data-state={s.kind}>
      {openLabel(s, locale, t)}
    </span>
  );
}

/** Occupancy as a bar with "12/20 人"; the operator's "full" looks different from a high count. */
export function OccupancyBar({ card, testid = 'station-occupancy' }: { card: CardLike; testid?: string }) {
  const { t } = useI18n();
  const full = card.status === 'full';
  const ratio = occupancyRatio(card);
  const level = full ? 'full' : ratio >= 0.8 ? 'high' : ratio >= 0.5 ? 'mid' : 'low';
  return (
    <div class={`occupancy occupancy-${level}`} data-testid={testid} data-full={full ? 'true' : 'false'}>
      <div
        class="occupancy-bar"
        role="meter"
        aria-valuemin={0}
        aria-valuemax={card.capacity}
        aria-valuenow={Math.min(card.occupancy, card.capacity)}
        aria-label={t('occupancy_label')}
      >
        <span style={{ width: `${Math.round(ratio * 100)}%` }} />
      </div>
      <span class="occupancy-text">
        {full ? (
          <strong class="full-tag" data-testid={`${testid}-full`}>
            {t('status_full')}
          </strong>
        ) : null}
        {t('occupancy_count', { occupancy: card.occupancy, capacity: card.capacity })}
      </span>
    </div>
  );
}

/** "850 米 · 步行 11 分钟 · 电动车 4 分钟"; measured from a district's centre (no location
 * permission) it says so: "距区中心 1.2 公里". */
export function DistanceLine({ distance, fromCentre = false }: { distance: number; fromCentre?: boolean }) {
  const { t, locale } = useI18n();
  const d = formatDistance(distance, locale);
  return (
    <p class="distance-line">
      <strong data-testid="station-distance" data-metres={distance} data-from={fromCentre ? 'district' : 'here'}>
        {fromCentre ? t('distance_from_centre', { distance: d }) : d}
      </strong>
      <span data-testid="station-walk">{t('walk_minutes', { minutes: travelMinutes(distance, WALK_M_PER_MIN) })}</span>
      <span data-testid="station-ride">{t('ride_minutes', { minutes: travelMinutes(distance, RIDE_M_PER_MIN) })}</span>
    </p>
  );
}

/** The station's opening hours in words (never the OSM rule). */
export function HoursLine({ hours, testid = 'station-hours' }: { hours: string | null | undefined; testid?: string }) {
  const { locale } = useI18n();
  const w = hoursInWords(hours, locale);
  return (
    <span class="hours-words" data-testid={testid} data-kind={w.kind}>
      {w.text}
    </span>
  );
}

/** The station's name in the current language (the Chinese name when there is no English one). */
export function stationName(card: Pick<CardLike, 'name' | 'name_en'>, locale: Locale): string {
  return locale === 'en' && card.name_en ? card.name_en : card.name;
}
