// The map view. Loaded with import() only when the rider opens it, so Leaflet is not in the
// first bundle. Tiles come from GET /api/v1/config; without a tile URL (or offline) the
// stations are still drawn as points on a plain background and the map says so in words: the
// dots still show which way and how far, and each opens a preview with 导航, so the toggle
// stays (hiding it would make the tab's layout depend on a config request). A dot opens a
// preview sheet first (name, distance, open state, 导航 / 详情), not the detail page.
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useEffect, useRef, useState } from 'preact/hooks';
import { fetchConfig } from '../../api/stations';
import type { StationCard } from '../../api/types';
import { useI18n } from '../../i18n/context';
import { amapUrl, formatDistance, isAvailable, openState } from '../../lib/stations';
import { DistanceLine, OpenBadge, stationName } from './parts';

export interface StationMapProps {
  items: StationCard[];
  point: { lat: number; lng: number } | null;
  /** The point is a district's centre (no location permission), not the rider. */
  fromCentre?: boolean;
  now: Date;
  onOpen(id: string): void;
}

const SHANGHAI: L.LatLngTuple = [31.2304, 121.4737];

function markerColour(c: StationCard, now: Date): string {
  if (isAvailable(c, now)) return openState(c, now).kind === 'closing_soon' ? '#b8460a' : '#1b6e2f';
  if (c.status === 'full') return '#b3261e';
  return '#555555';
}

export function StationMap({ items, point, fromCentre = false, now, onOpen }: StationMapProps) {
  const { t, locale } = useI18n();
  const el = useRef<HTMLDivElement>(null);
  const map = useRef<L.Map | null>(null);
  const layer = useRef<L.LayerGroup | null>(null);
  const [tiles, setTiles] = useState<'loading' | 'on' | 'off'>('loading');
  const framed = useRef('');
  const [picked, setPicked] = useState<string | null>(null);
  const preview = picked ? items.find((c) => c.id === picked) ?? null : null;
  const sheet = useRef<HTMLDivElement>(null);
  // The sheet sits over the map's lower edge: bring it into view when a dot opens it.
  useEffect(() => {
    if (picked) sheet.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
  }, [picked]);

  useEffect(() => {
    if (!el.current) return;
    const m = L.map(el.current, { zoomControl: true, attributionControl: true, preferCanvas: false });
    m.attributionControl.setPrefix(false);
    m.setView(point ? [point.lat, point.lng] : SHANGHAI, 14);
    map.current = m;
    layer.current = L.layerGroup().addTo(m);
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
    };
  }, []);

  useEffect(() => {
    const m = map.current;
    const g = layer.current;
    if (!m || !g) return;
    g.clearLayers();
    const bounds: L.LatLngTuple[] = [];
    for (const c of items) {
      const colour = markerColour(c, now);
      L.circleMarker([c.lat, c.lng], {
        radius: 11,
        color: '#ffffff',
        weight: 2,
        fillColor: colour,
        fillOpacity: 0.95,
        className: `station-marker station-marker-${c.id}`,
      })
        .bindTooltip(`${stationName(c, locale)} · ${formatDistance(c.distance_m, locale)}`)
        .on('click', () => setPicked(c.id))
        .addTo(g);
      bounds.push([c.lat, c.lng]);
    }
    // Drawn last, so the rider's own point stays on top of a station next door.
    if (point) {
      L.circleMarker([point.lat, point.lng], {
        radius: 9,
        color: '#ffffff',
        weight: 3,
        fillColor: '#0b57d0',
        fillOpacity: 1,
        className: 'me-marker',
        // Taps go through to a station underneath.
        interactive: false,
      }).addTo(g);
      bounds.push([point.lat, point.lng]);
    }
    // Re-frame only when the set of points changes, not when colours are renewed.
    const key = bounds.map((b) => b.join(',')).join(';');
    if (key !== framed.current) {
      framed.current = key;
      if (bounds.length > 1) m.fitBounds(bounds, { padding: [28, 28], maxZoom: 16 });
      else if (bounds.length === 1) m.setView(bounds[0]!, 15);
    }
  }, [items, point, now, locale]);

  return (
    <div class="map-wrap">
      <div
        ref={el}
        class={tiles === 'on' ? 'station-map' : 'station-map station-map-plain'}
        data-testid="station-map"
        data-tiles={tiles}
        data-count={items.length}
        role="region"
        aria-label={t('view_map')}
      />
      {tiles === 'off' ? (
        <p class="notice small" data-testid="map-no-tiles">
          {t('map_no_tiles')}
        </p>
      ) : null}
      {preview ? (
        <div ref={sheet} class="map-preview" role="dialog" aria-label={stationName(preview, locale)} data-testid="map-preview" data-station-id={preview.id}>
          <div class="map-preview-head">
            <strong data-testid="preview-name">{stationName(preview, locale)}</strong>
            <button type="button" class="btn btn-secondary btn-icon" aria-label={t('close')} data-testid="preview-close" onClick={() => setPicked(null)}>
              ×
            </button>
          </div>
          <div class="map-preview-state">
            <OpenBadge card={preview} now={now} testid="preview-open-state" />
          </div>
          <DistanceLine distance={preview.distance_m} fromCentre={fromCentre} />
          <div class="map-preview-actions">
            <a class="btn btn-primary" href={amapUrl(preview)} target="_blank" rel="noopener noreferrer" data-testid="preview-navigate">
              {t('navigate_short')}
            </a>
            <button type="button" class="btn btn-secondary" data-testid="preview-detail" onClick={() => onOpen(preview.id)}>
              {t('preview_detail')}
            </button>
          </div>
        </div>
      ) : null}
      <p class="map-legend small">
        {point ? (
          <>
            <span class="dot dot-me" /> {fromCentre ? t('map_centre') : t('map_you')}
          </>
        ) : null}
        <span class="dot dot-open" /> {t('open_now')} <span class="dot dot-soon" /> {t('map_closing_soon')} <span class="dot dot-full" /> {t('status_full')} <span class="dot dot-closed" /> {t('closed_now')}
      </p>
    </div>
  );
}
