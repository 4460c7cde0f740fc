// 覆盖地图: the service circle (5–60 minutes, default 15) on the H3 grid — cells coloured by
// minutes to the nearest station, blank spots (空白点) outlined, the next sites suggested —
// with the map (Leaflet, loaded only when this opens) and the numbers beside it.
import type { FunctionComponent } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { fetchCoverage, fetchStationPoints, isSite, type Period } from '../../api/analytics';
import type { Region } from '../../api/types';
import { Button } from '../../components/Button';
import { useI18n } from '../../i18n/context';
import { downloadText } from '../../lib/download';
import { legendStops } from '../../lib/coverageScale';
import { districtCentres } from '../../lib/regionScope';
import { formatCount, formatMinutes } from '../../lib/trends';
import type { CoverageMapProps } from './CoverageMap';
import { Loading, PanelHead, ProblemNote } from './parts';
import { useLoad } from './useLoad';

export const MIN_MINUTES = 5;
export const MAX_MINUTES = 60;
const STEP = 5;
/** Taps on − / + within this time make one request. */
const SETTLE_MS = 400;

const clampMinutes = (n: number) => Math.min(MAX_MINUTES, Math.max(MIN_MINUTES, Math.round(n)));

export function CoveragePanel({ period, regions, scope }: { period: Period; regions: readonly Region[] | null; scope: string | null }) {
  const { t, locale } = useI18n();
  const [minutes, setMinutes] = useState(15);
  const [draft, setDraft] = useState('15');
  const [draftError, setDraftError] = useState(false);
  // Apply what was typed or tapped once it settles.
  useEffect(() => {
    const n = Number(draft);
    if (!Number.isInteger(n) || n < MIN_MINUTES || n > MAX_MINUTES) {
      setDraftError(draft.trim() !== '');
      return;
    }
    setDraftError(false);
    if (n === minutes) return;
    const timer = setTimeout(() => setMinutes(n), SETTLE_MS);
    return () => clearTimeout(timer);
  }, [draft]);
  const step = (d: number) => setDraft(String(clampMinutes((Number(draft) || minutes) + d)));

  const c = useLoad(JSON.stringify([period, minutes]), () => fetchCoverage(period, minutes));
  const area = period.region || scope || undefined;
  const st = useLoad(`stations:${area ?? ''}`, () => fetchStationPoints(area));
  const districts = useMemo(() => (regions ? districtCentres(regions, period.region || scope) : []), [regions, period.region, scope]);
  const meta = c.data?.metadata;
  const sites = (c.data?.features ?? []).filter(isSite);
  // The answer on screen is for the minutes asked last (not a slower older answer).
  const shownMinutes = meta?.minutes ?? minutes;

  return (
    <div class="db-coverage">
      <section class="card db-panel db-coverage-side" aria-labelledby="db-coverage-title" data-testid="db-coverage" data-loading={c.loading} data-minutes={minutes}>
        <PanelHead title={t('db_coverage_title')} id="db-coverage-title" />
        <p class="muted small">{t('db_coverage_hint')}</p>
        <div class="db-minutes">
          <label for="db-minutes-input" class="db-field-label">
            {t('db_minutes_label')}
          </label>
          <div class="stepper stepper-compact">
            <button type="button" class="step-btn" aria-label={t('db_minutes_less')} data-testid="db-minutes-less" disabled={Number(draft) <= MIN_MINUTES} onClick={() => step(-STEP)}>
              −
            </button>
            <span class="step-value">
              <input
                id="db-minutes-input"
                class="db-minutes-input"
                type="number"
                inputMode="numeric"
                min={MIN_MINUTES}
                max={MAX_MINUTES}
                step={1}
                value={draft}
                data-testid="db-minutes"
                aria-invalid={draftError || undefined}
                onInput={(e) => setDraft((e.currentTarget as HTMLInputElement).value)}
              />
              <span class="step-caption">{t('db_minutes_unit')}</span>
            </span>
            <button type="button" class="step-btn" aria-label={t('db_minutes_more')} data-testid="db-minutes-more" disabled={Number(draft) >= MAX_MINUTES} onClick={() => step(STEP)}>
              +
            </button>
          </div>
          {draftError ? (
            <p class="field-error" role="alert" data-testid="db-minutes-error">
              {t('db_problem_minutes')}
            </p>
          ) : null}
        </div>
        <Loading on={c.loading} label={t('db_coverage_loading')} testid="db-coverage-loading" />
        <ProblemNote problem={c.problem} testid="db-coverage-error" onRetry={c.reload} />
        {meta ? (
          <>
            <dl class="td-facts db-coverage-facts">
              <div class="td-fact">
                <dt>{t('db_cov_cells')}</dt>
                <dd data-testid="db-cov-cells">{formatCount(meta.cells, locale)}</dd>
              </div>
              <div class="td-fact db-fact-bad">
                <dt>{t('db_cov_blank_spots')}</dt>
                <dd data-testid="db-cov-blank-spots">{formatCount(meta.blank_spots, locale)}</dd>
              </div>
              <div class="td-fact">
                <dt>{t('db_cov_blank_demand')}</dt>
                <dd data-testid="db-cov-blank-demand">{formatCount(meta.blank_spot_demand, locale)}</dd>
              </div>
            </dl>
            <p class="muted small" data-testid="db-cov-method">
              {t('db_cov_method', { detour: meta.detour_factor, speed: meta.speed_kmh, n: meta.suppressed_below, minutes: meta.minutes })}
            </p>
            <Legend limit={shownMinutes} />
            <Sites sites={sites.map((s) => ({ rank: s.properties.rank, demand: s.properties.covers_demand, cells: s.properties.covers_cells, lat: s.geometry.coordinates[1], lng: s.geometry.coordinates[0] }))} />
            <Button variant="secondary" data-testid="db-coverage-geojson" onClick={() => c.data && downloadText(JSON.stringify(c.data), geoName(period, meta.minutes), 'application/geo+json')}>
              {t('db_geojson')}
            </Button>
          </>
        ) : null}
      </section>
      <section class="card db-panel db-coverage-map" aria-label={t('db_coverage_map')}>
        <LazyMap coverage={c.data} stations={st.data} districts={districts} limit={shownMinutes} />
      </section>
    </div>
  );
}

const geoName = (p: Period, minutes: number) => `warmnew-coverage-${minutes}min${p.region ? `-${p.region}` : ''}-${p.from}_${p.to}.geojson`;

function Legend({ limit }: { limit: number }) {
  const { t, locale } = useI18n();
  return (
    <div class="db-legend" data-testid="db-legend">
      <p class="db-legend-title">{t('db_legend_title')}</p>
      <ul>
        {legendStops(limit).map((s) => (
          <li key={String(s.minutes)}>
            <span class="db-swatch" style={{ background: s.colour }} />
            {s.minutes === null ? t('db_legend_none') : t('db_legend_minutes', { n: formatMinutes(s.minutes, locale) })}
          </li>
        ))}
        <li>
          <span class="db-swatch db-swatch-blank" />
          {t('db_legend_blank')}
        </li>
        <li>
          <span class="db-swatch db-swatch-site">1</span>
          {t('db_legend_site')}
        </li>
      </ul>
    </div>
  );
}

function Sites({ sites }: { sites: { rank: number; demand: number; cells: number; lat: number; lng: number }[] }) {
  const { t, locale } = useI18n();
  return (
    <div class="db-sites" data-testid="db-sites" data-count={sites.length}>
      <h3>{t('db_sites_title')}</h3>
      {sites.length === 0 ? <p class="muted small">{t('db_sites_none')}</p> : null}
      <ol class="db-site-list">
        {sites.map((s) => (
          <li key={s.rank} data-testid="db-site">
            <span class="db-site-rank">{s.rank}</span>
            <span>
              {t('db_site_covers', { demand: formatCount(s.demand, locale), cells: formatCount(s.cells, locale) })}
              <br />
              <span class="muted small">
                {s.lat.toFixed(4)}, {s.lng.toFixed(4)}
              </span>
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}

function LazyMap(props: CoverageMapProps) {
  const { t } = useI18n();
  const [Map, setMap] = useState<FunctionComponent<CoverageMapProps> | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    import('./CoverageMap').then(
      (m) => live && setMap(() => m.CoverageMap),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, []);
  if (failed) {
    return (
      <p class="form-error" role="alert" data-testid="coverage-map-failed">
        {t('db_map_failed')}
      </p>
    );
  }
  if (!Map) return <Loading on label={t('db_map_loading')} />;
  return <Map {...props} />;
}
