// The coverage map (Leaflet, loaded with import() only when the map opens). Tiles come from
// GET /api/v1/config; without them it is a plain GeoJSON map: district centres with their
// names, stations, the H3 cells coloured by minutes, blank spots outlined and the suggested
// sites numbered. Each layer has its own pane, which carries a test id and the count drawn.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { isCell, isSite, type Coverage, type StationCollection } from '../../api/analytics';
import { fetchConfig } from '../../api/stations';
import type { Region } from '../../api/types';
import { useI18n } from '../../i18n/context';
import { minutesColour } from '../../lib/coverageScale';
import { regionName } from '../../lib/regionScope';
import { formatCount, formatMinutes } from '../../lib/trends';

export interface CoverageMapProps {
  coverage: Coverage | null;
  stations: StationCollection | null;
  districts: Region[];
  limit: number;
}

const SHANGHAI: L.LatLngTuple = [31.2304, 121.4737];

/** Pane name → its test id and stacking order. */
const PANES = {
  cells: { testid: 'coverage-cell-layer', z: 410 },
  blank: { testid: 'blank-spot-layer', z: 420 },
  stations: { testid: 'station-layer', z: 430 },
  labels: { testid: 'district-layer', z: 640 },
  sites: { testid: 'site-layer', z: 650 },
} as const;
type PaneId = keyof typeof PANES;

const STATION_COLOURS: Record<string, string> = { open: '#0b57d0', full: '#b3261e', temporarily_closed: '#555555', closed_permanently: '#999999' };

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function CoverageMap({ coverage, stations, districts, limit }: CoverageMapProps) {
  const { t, locale } = useI18n();
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const groups = useRef<Record<PaneId, L.LayerGroup> | null>(null);
  const [tiles, setTiles] = useState<'loading' | 'on' | 'off'>('loading');
  const framed = useRef('');

  useEffect(() => {
    if (!el.current) return;
    const m = L.map(el.current, { zoomControl: true, attributionControl: true });
    m.attributionControl.setPrefix(false);
    m.setView(SHANGHAI, 12);
    const made = {} as Record<PaneId, L.LayerGroup>;
    for (const [id, p] of Object.entries(PANES) as [PaneId, (typeof PANES)[PaneId]][]) {
      const pane = m.createPane(id);
      pane.style.zIndex = String(p.z);
      pane.dataset.testid = p.testid;
      pane.dataset.count = '0';
      made[id] = L.layerGroup().addTo(m);
    }
    groups.current = made;
    map.current = m;
    L.control.scale({ imperial: false }).addTo(m);
    let live = true;
    void fetchConfig().then((r) => {
      if (!live) return;
      const url = r.ok ? r.data.map_tile_url : null;
      if (url) {
        L.tileLayer(url, { maxZoom: 19, attribution: (r.ok && r.data.map_attribution) || '' }).addTo(m);
        setTiles('on');
      } else setTiles('off');
    });
    return () => {
      live = false;
      m.remove();
      map.current = null;
      groups.current = null;
    };
  }, []);

  useEffect(() => {
    const m = map.current;
    const g = groups.current;
    if (!m || !g) return;
    for (const layer of Object.values(g)) layer.clearLayers();
    const count = (id: PaneId, n: number) => (m.getPane(id)!.dataset.count = String(n));
    const bounds: L.LatLngTuple[] = [];

    const cells = (coverage?.features ?? []).filter(isCell);
    let blanks = 0;
    for (const f of cells) {
      const ring = (f.geometry.coordinates[0] ?? []).map(([lng, lat]) => [lat, lng] as L.LatLngTuple);
      const p = f.properties;
      const tip = `${p.minutes === null ? t('db_legend_none') : t('db_legend_minutes', { n: formatMinutes(p.minutes, locale) })} · ${
        p.demand === null ? t('db_suppressed') : t('db_cov_demand', { n: formatCount(p.demand, locale) })
      }`;
      L.polygon(ring, { pane: 'cells', className: 'coverage-cell', color: '#ffffff', weight: 1, fillColor: minutesColour(p.minutes, limit), fillOpacity: 0.62 })
        .bindTooltip(tip)
        .addTo(g.cells);
      if (p.blank_spot) {
        blanks++;
        L.polygon(ring, { pane: 'blank', className: 'blank-spot', color: '#111111', weight: 3.5, dashArray: '6 4', fill: false, interactive: false }).addTo(g.blank);
      }
      bounds.push(...ring);
    }
    count('cells', cells.length);
    count('blank', blanks);

    const points = stations?.features ?? [];
    for (const s of points) {
      const [lng, lat] = s.geometry.coordinates as [number, number];
      L.circleMarker([lat, lng], { pane: 'stations', className: 'coverage-station', radius: 6, color: '#ffffff', weight: 2, fillColor: STATION_COLOURS[s.properties.status] ?? '#555555', fillOpacity: 0.95 })
        .bindTooltip(locale === 'en' && s.properties.name_en ? s.properties.name_en : s.properties.name)
        .addTo(g.stations);
      bounds.push([lat, lng]);
    }
    count('stations', points.length);

    for (const d of districts) {
      if (d.lat == null || d.lng == null) continue;
      L.marker([d.lat, d.lng], {
        pane: 'labels',
        interactive: false,
        keyboard: false,
        icon: L.divIcon({ className: 'district-label', html: `<span>${esc(regionName(d, locale))}</span>`, iconSize: undefined }),
      }).addTo(g.labels);
    }
    count('labels', districts.length);

    const sites = (coverage?.features ?? []).filter(isSite);
    for (const s of sites) {
      const [lng, lat] = s.geometry.coordinates;
      L.marker([lat, lng], {
        pane: 'sites',
        icon: L.divIcon({ className: 'site-marker', html: `<span>${s.properties.rank}</span>`, iconSize: [34, 34], iconAnchor: [17, 17] }),
        title: t('db_site_title', { rank: s.properties.rank, demand: s.properties.covers_demand }),
      }).addTo(g.sites);
    }
    count('sites', sites.length);

    // Frame once per area, not on every change of the minutes.
    const key = bounds.length ? `${bounds.length}:${bounds[0]!.join(',')}` : '';
    if (key && key !== framed.current) {
      framed.current = key;
      m.fitBounds(L.latLngBounds(bounds), { padding: [24, 24], maxZoom: 15 });
    } else if (!bounds.length && districts[0]?.lat != null && districts[0].lng != null) {
      m.setView([districts[0].lat, districts[0].lng], 13);
    }
  }, [coverage, stations, districts, limit, locale]);

  return (
    <div class="map-wrap">
      <div
        ref={el}
        class={tiles === 'on' ? 'station-map coverage-map' : 'station-map coverage-map station-map-plain'}
        data-testid="coverage-map"
        data-tiles={tiles}
        role="region"
        aria-label={t('db_coverage_map')}
      />
      {tiles === 'off' ? (
        <p class="muted small" data-testid="coverage-no-tiles">
          {t('db_map_no_tiles')}
        </p>
      ) : null}
    </div>
  );
}
