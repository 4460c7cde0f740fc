// The rider's 驿站 tab: where am I (asked once, with the reason) → the nearest stations,
// filters, pull to refresh, a lazy map, and a station's detail with navigation and check-in.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentType } from 'preact';
import { problemMessage } from '../../api/problem';
import type { StationCard } from '../../api/types';
import { AgeLine } from '../../components/AgeLine';
import { Button } from '../../components/Button';
import { AmenityIcon, AmenityRow } from '../../components/AmenityIcon';
import { LocateIcon, OfflineIcon, RefreshIcon } from '../../components/Icons';
import { useI18n } from '../../i18n/context';
import { useOnline } from '../../lib/useOnline';
import { useNow } from '../../lib/useNow';
import { PullHint, usePullToRefresh } from '../../lib/usePullToRefresh';
import { FILTER_CHIPS, type FilterChipId } from '../../lib/stations';
import { DistanceLine, HoursLine, OccupancyBar, OpenBadge, stationName } from './parts';
import { DEFAULT_RADIUS_M, useNearby, visibleItems, type District, type NearbyState } from './useNearby';
import { StationDetailView } from './StationDetail';
import { CheckInEntry, CheckInLink, useCheckInResume } from './CheckIn';
import type { StationMapProps } from './StationMap';

export interface StationsRoute {
  /** `#/stations/{id}`: a station's detail. */
  stationId: string | null;
  /** `/checkin/{id}?code=…`: what a station's QR opens. */
  checkin: { stationId: string; code: string } | null;
}

export function StationsTab({ route, navigate }: { route: StationsRoute; navigate(hash: string, replace?: boolean): void }) {
  const nearby = useNearby();
  const { locale } = useI18n();
  const cards = nearby.state.snapshot?.items ?? [];
  useCheckInResume();
  // Where the rider may be standing, for a typed code: the nearest listed stations first.
  const here = visibleItems({ ...nearby.state, chips: [], openNow: false }, new Date())
    .slice(0, 6)
    .map((c) => ({ id: c.id, name: stationName(c, locale) }));
  const scrollY = useRef(0);
  const showingList = !route.stationId && !route.checkin;

  // The list stays mounted under the detail, so going back keeps its place.
  useEffect(() => {
    if (showingList) window.scrollTo(0, scrollY.current);
    else window.scrollTo(0, 0);
  }, [showingList]);

  const open = (id: string) => {
    scrollY.current = window.scrollY;
    navigate(`#/stations/${encodeURIComponent(id)}`);
  };

  return (
    <>
      <div hidden={!showingList}>
        {/* Only with the list: the detail has its own check-in (one set of results on screen). */}
        {showingList ? <CheckInEntry stations={here} /> : null}
        <NearbyView nearby={nearby} onOpen={open} />
      </div>
      {route.checkin ? (
        <CheckInLink stationId={route.checkin.stationId} code={route.checkin.code} onOpenStation={(id) => navigate(`#/stations/${id}`, true)} />
      ) : route.stationId ? (
        <StationDetailView
          id={route.stationId}
          card={cards.find((c) => c.id === route.stationId) ?? null}
          fromCentre={nearby.state.snapshot?.query.source === 'district'}
          onBack={() => navigate('#/stations', true)}
        />
      ) : null}
    </>
  );
}

type Nearby = ReturnType<typeof useNearby>;

function NearbyView({ nearby, onOpen }: { nearby: Nearby; onOpen(id: string): void }) {
  const { state: s } = nearby;
  const { t } = useI18n();
  const [view, setView] = useState<'list' | 'map'>('list');

  if (s.phase === 'consent' && !s.snapshot) return <Consent nearby={nearby} />;
  if (s.phase === 'pick') return <DistrictPicker nearby={nearby} />;
  if (s.phase === 'locating' && !s.snapshot) {
    return (
      <section class="card center" role="status" aria-busy="true" data-testid="stations-locating">
        <span class="spinner spinner-big" aria-hidden="true" />
        <p>{s.choice?.mode === 'district' ? t('loading') : t('locating')}</p>
      </section>
    );
  }

  if (!s.snapshot && s.problem && !s.loading) return <OfflineState nearby={nearby} />;

  return (
    <section class="nearby" data-testid="stations-nearby">
      <Toolbar nearby={nearby} view={view} onView={setView} />
      <Filters nearby={nearby} />
      <Status state={s} />
      {view === 'map' ? <LazyMap state={s} onOpen={onOpen} /> : <List nearby={nearby} onOpen={onOpen} />}
    </section>
  );
}

/** Nothing kept and no answer (offline, or a connection that hangs): say so, offer a retry. */
function OfflineState({ nearby }: { nearby: Nearby }) {
  const { t } = useI18n();
  const s = nearby.state;
  const network = s.problem?.status === 0;
  return (
    <section class="card center stations-offline" role="alert" data-testid="stations-offline" data-code={s.problem?.code}>
      <div class="placeholder-icon">
        <OfflineIcon size={48} />
      </div>
      <h2>{network ? t('stations_offline_title') : t('stations_failed_title')}</h2>
      <p>{network ? t('stations_offline_body') : s.problem ? problemMessage(s.problem, t) : ''}</p>
      <div class="stack">
        <Button data-testid="stations-retry" onClick={() => void nearby.refresh()}>
          <RefreshIcon size={22} />
          {t('retry')}
        </Button>
        <Button variant="secondary" data-testid="change-location" onClick={nearby.pickDistrict}>
          {t('change_location')}
        </Button>
      </div>
    </section>
  );
}

function Consent({ nearby }: { nearby: Nearby }) {
  const { t } = useI18n();
  return (
    <section class="card consent" data-testid="location-consent">
      <div class="placeholder-icon">
        <LocateIcon size={48} />
      </div>
      <h2>{t('location_ask_title')}</h2>
      <p>{t('location_ask_why')}</p>
      <p class="muted">{t('location_ask_privacy')}</p>
      <div class="stack">
        <Button data-testid="location-allow" onClick={() => void nearby.chooseGps()}>
          {t('location_allow')}
        </Button>
        <Button variant="secondary" data-testid="location-manual" onClick={nearby.pickDistrict}>
          {t('location_manual')}
        </Button>
      </div>
    </section>
  );
}

function DistrictPicker({ nearby }: { nearby: Nearby }) {
  const { t, locale } = useI18n();
  const s = nearby.state;
  const reason = s.locError;
  return (
    <section class="card" data-testid="district-picker">
      {reason ? (
        <p class="notice" role="status" data-testid="location-error" data-reason={reason}>
          {reason === 'denied' ? t('location_denied') : t('location_failed')}
        </p>
      ) : null}
      <h2>{t('district_pick_title')}</h2>
      <p class="muted">{t('district_pick_hint')}</p>
      {s.districtsProblem ? (
        <div class="stack">
          <p class="form-error" role="alert">
            {problemMessage(s.districtsProblem, t)}
          </p>
          <Button variant="secondary" onClick={() => void nearby.loadDistricts()}>
            {t('retry')}
          </Button>
        </div>
      ) : !s.districts ? (
        <p role="status" aria-busy="true" class="center">
          <span class="spinner" aria-hidden="true" /> {t('loading')}
        </p>
      ) : (
        <div class="district-grid">
          {s.districts.map((d: District) => (
            <button
              key={d.code}
              type="button"
              class="btn btn-secondary"
              data-testid={`district-${d.code}`}
              onClick={() => void nearby.chooseDistrict(d)}
            >
              {locale === 'en' && d.name_en ? d.name_en : d.name_zh}
            </button>
          ))}
        </div>
      )}
      <div class="stack">
        {reason !== 'denied' ? (
          <Button variant="secondary" data-testid="location-retry" onClick={() => void nearby.chooseGps()}>
            <LocateIcon size={22} />
            {reason ? t('location_retry') : t('location_allow')}
          </Button>
        ) : null}
        {s.snapshot && (s.point || s.choice) ? (
          <Button variant="secondary" data-testid="district-cancel" onClick={nearby.cancelPick}>
            {t('back_to_list')}
          </Button>
        ) : null}
      </div>
    </section>
  );
}

function Toolbar({ nearby, view, onView }: { nearby: Nearby; view: 'list' | 'map'; onView(v: 'list' | 'map'): void }) {
  const { t, locale } = useI18n();
  const s = nearby.state;
  const busy = s.loading || s.phase === 'locating';
  const online = useOnline();
  const stale = !!s.snapshot && (!s.fresh || !!s.problem || !online);
  const where =
    s.choice?.mode === 'district'
      ? t('where_district', { name: s.district ? (locale === 'en' && s.district.name_en ? s.district.name_en : s.district.name_zh) : '…' })
      : t('where_here');
  return (
    <div class="toolbar toolbar-compact">
      <div class="toolbar-where">
        <span class="toolbar-where-text">
          <span data-testid="stations-where">{where}</span>
          <AgeLine savedAt={s.snapshot?.savedAt} stale={stale} testid="stations-age" showFresh />
        </span>
        <button type="button" class="btn-link" data-testid="change-location" onClick={nearby.pickDistrict}>
          {t('change_location_short')}
        </button>
      </div>
      <div class="toolbar-actions">
        <div class="segmented" role="group" aria-label={t('view_label')}>
          {(['list', 'map'] as const).map((v) => (
            <button
              key={v}
              type="button"
              class={v === view ? 'seg seg-on' : 'seg'}
              aria-pressed={v === view}
              data-testid={`view-${v}`}
              onClick={() => onView(v)}
            >
              {t(v === 'list' ? 'view_list' : 'view_map')}
            </button>
          ))}
        </div>
        <button
          type="button"
          class="btn btn-secondary btn-icon"
          disabled={busy}
          aria-busy={busy}
          aria-label={busy ? t('refreshing') : t('refresh')}
          title={t('refresh')}
          data-testid="stations-refresh"
          onClick={() => void nearby.refresh()}
        >
          {busy ? <span class="spinner" aria-hidden="true" /> : <RefreshIcon size={22} />}
        </button>
      </div>
    </div>
  );
}

function Filters({ nearby }: { nearby: Nearby }) {
  const { t } = useI18n();
  const { chips, openNow } = nearby.state;
  const toggle = (id: FilterChipId) =>
    nearby.setFilters(chips.includes(id) ? chips.filter((c) => c !== id) : [...chips, id], openNow);
  return (
    <div class="chips" role="group" aria-label={t('filters_label')} data-testid="filters">
      <button
        type="button"
        class={openNow ? 'chip chip-on' : 'chip'}
        aria-pressed={openNow}
        data-testid="chip-open_now"
        onClick={() => nearby.setFilters(chips, !openNow)}
      >
        {t('filter_open_now')}
      </button>
      {FILTER_CHIPS.map((c) => (
        <button
          key={c.id}
          type="button"
          class={chips.includes(c.id) ? 'chip chip-on' : 'chip'}
          aria-pressed={chips.includes(c.id)}
          data-testid={`chip-${c.id}`}
          onClick={() => toggle(c.id)}
        >
          <AmenityIcon amenity={c.amenities[0]} size={20} />
          <span>{t(`chip_${c.id}`)}</span>
        </button>
      ))}
    </div>
  );
}

/** Progress, errors and the age of what is shown. */
function Status({ state: s }: { state: NearbyState }) {
  const { t } = useI18n();
  return (
    <div class="nearby-status">
      {s.loading || s.phase === 'locating' ? (
        <p class="progress-line" role="status" aria-busy="true" data-testid="stations-loading">
          <span class="spinner" aria-hidden="true" />
          {s.phase === 'locating' ? t('locating') : t('stations_loading')}
        </p>
      ) : null}
      {s.problem ? (
        <p class="form-error" role="alert" data-testid="stations-error" data-code={s.problem.code}>
          {problemMessage(s.problem, t)}
        </p>
      ) : null}
      {s.fresh && s.radius > DEFAULT_RADIUS_M ? (
        <p class="muted small" data-testid="stations-widened">
          {t('radius_widened', { km: s.radius / 1000 })}
        </p>
      ) : null}
    </div>
  );
}

function List({ nearby, onOpen }: { nearby: Nearby; onOpen(id: string): void }) {
  const { t } = useI18n();
  const s = nearby.state;
  const now = useNow();
  const items = visibleItems(s, now);
  const pull = usePullToRefresh<HTMLDivElement>(() => void nearby.refresh(), !s.loading);
  return (
    <div ref={pull.ref} class="pull-area">
      <PullHint pull={pull} testid="pull-hint" />
      {items.length === 0 && s.snapshot && !s.loading ? (
        <p class="card center" data-testid="stations-empty">
          {t('stations_none')}
        </p>
      ) : null}
      <ol class="station-list" data-testid="station-list">
        {items.map((c) => (
          <StationListItem key={c.id} card={c} now={now} onOpen={onOpen} fromCentre={s.snapshot?.query.source === 'district'} />
        ))}
      </ol>
    </div>
  );
}

function StationListItem({ card, now, onOpen, fromCentre }: { card: StationCard; now: Date; onOpen(id: string): void; fromCentre: boolean }) {
  const { locale } = useI18n();
  return (
    <li class="station-item" data-testid="station-card" data-station-id={card.id} data-status={card.status}>
      <button type="button" class="station-card" onClick={() => onOpen(card.id)}>
        <span class="station-head">
          <strong class="station-name" data-testid="station-name">
            {stationName(card, locale)}
          </strong>
          <OpenBadge card={card} now={now} />
        </span>
        <DistanceLine distance={card.distance_m} fromCentre={fromCentre} />
        <span class="station-hours-row">
          <HoursLine hours={card.opening_hours} />
          <OccupancyBar card={card} />
        </span>
        <AmenityRow amenities={card.amenities} testid="station-amenities" labels max={3} />
      </button>
    </li>
  );
}

/** Leaflet and its CSS load only when the map is first opened. */
function LazyMap({ state, onOpen }: { state: NearbyState; onOpen(id: string): void }) {
  const { t } = useI18n();
  const now = useNow();
  const [Map, setMap] = useState<ComponentType<StationMapProps> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    import('./StationMap').then(
      (m) => live && setMap(() => m.StationMap),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, []);
  if (failed) {
    return (
      <p class="form-error" role="alert" data-testid="map-failed">
        {t('map_failed')}
      </p>
    );
  }
  if (!Map) {
    return (
      <p class="card center" role="status" aria-busy="true" data-testid="map-loading">
        <span class="spinner" aria-hidden="true" /> {t('map_loading')}
      </p>
    );
  }
  return (
    <Map
      items={visibleItems(state, now)}
      point={state.point}
      fromCentre={state.snapshot?.query.source === 'district'}
      now={now}
      onOpen={onOpen}
    />
  );
}
