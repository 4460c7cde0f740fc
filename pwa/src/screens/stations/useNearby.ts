// The rider's nearby search: where the rider is (GPS or a district picked by hand), the
// filters, the last answer (kept in localStorage for offline use) and the loading state.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { fetchNearby } from '../../api/stations';
import { api, call } from '../../api/client';
import type { Problem } from '../../api/problem';
import type { Region, StationCard } from '../../api/types';
import { geolocationPermission, locate, type Located } from '../../lib/geo';
import { browserStore } from '../../lib/storage';
import {
  chipAmenities,
  FILTER_CHIPS,
  isAvailable,
  loadLocationChoice,
  loadNearby,
  matchesChips,
  openState,
  saveLocationChoice,
  saveNearby,
  type LocationChoice,
  type NearbySnapshot,
} from '../../lib/stations';

export const DEFAULT_RADIUS_M = 3000;
export const WIDE_RADIUS_M = 20000;
const LIMIT = 20;
const LIMIT_CLIENT_FILTERED = 50;

export type District = Region & { lat: number; lng: number };

export type Phase =
  | 'consent' // not asked yet: explain first
  | 'locating'
  | 'pick' // choose a district (denied, failed, or by choice)
  | 'ready';

export interface NearbyState {
  phase: Phase;
  choice: LocationChoice | null;
  locError: Exclude<Located, { ok: true }>['reason'] | null;
  districts: District[] | null;
  districtsProblem: Problem | null;
  district: District | null;
  /** The rider's point, in memory only (never stored). */
  point: { lat: number; lng: number } | null;
  snapshot: NearbySnapshot<StationCard> | null;
  /** True once the server has answered in this visit. */
  fresh: boolean;
  loading: boolean;
  problem: Problem | null;
  radius: number;
  chips: string[];
  openNow: boolean;
}

const store = browserStore();

function isDistrict(r: Region): r is District {
  const x = r as Region & { lat?: unknown; lng?: unknown };
  return r.level === 'district' && typeof x.lat === 'number' && typeof x.lng === 'number';
}

/** The list to show: the snapshot with the current filters applied here too, so that a
 * filter changed offline still narrows the cached list, and a card's hours are judged now. */
export function visibleItems(s: Pick<NearbyState, 'snapshot' | 'chips' | 'openNow'>, now: Date): StationCard[] {
  const items = s.snapshot?.items ?? [];
  return items
    .filter((c) => matchesChips(c, s.chips))
    .filter((c) => !s.openNow || ['open', 'closing_soon'].includes(openState(c, now).kind))
    .sort((a, b) => a.distance_m - b.distance_m);
}

export { isAvailable };

export function useNearby() {
  const initial = useRef(loadNearby<StationCard>(store));
  const [s, setS] = useState<NearbyState>(() => ({
    phase: 'consent',
    choice: loadLocationChoice(store),
    locError: null,
    districts: null,
    districtsProblem: null,
    district: null,
    point: null,
    snapshot: initial.current,
    fresh: false,
    loading: false,
    problem: null,
    radius: DEFAULT_RADIUS_M,
    chips: (initial.current?.query.filters ?? []).filter((f) => FILTER_CHIPS.some((c) => c.id === f)),
    openNow: initial.current?.query.openNow ?? false,
  }));
  const stateRef = useRef(s);
  stateRef.current = s;
  const patch = (p: Partial<NearbyState>) => setS((prev) => ({ ...prev, ...p }));
  const seq = useRef(0);

  const search = useCallback(async (point: { lat: number; lng: number }, source: 'gps' | 'district', districtCode: string | null) => {
    const { chips, openNow } = stateRef.current;
    const mine = ++seq.current;
    patch({ loading: true, problem: null });
    const clientOnly = chips.some((id) => FILTER_CHIPS.find((c) => c.id === id)!.amenities.length > 1);
    const ask = (radiusM: number) =>
      fetchNearby({
        ...point,
        radiusM,
        limit: clientOnly ? LIMIT_CLIENT_FILTERED : LIMIT,
        amenities: chipAmenities(chips),
        openNow,
      });
    let radius = DEFAULT_RADIUS_M;
    let r = await ask(radius);
    const matching = (items: StationCard[]) => items.filter((c) => matchesChips(c, chips));
    // Nothing within 3 km: look as far as the server allows rather than show an empty list.
    if (r.ok && matching(r.data.items).length === 0) {
      radius = WIDE_RADIUS_M;
      r = await ask(radius);
    }
    if (mine !== seq.current) return; // a newer search has started
    if (!r.ok) {
      patch({ loading: false, problem: r.problem });
      return;
    }
    const snapshot: NearbySnapshot<StationCard> = {
      savedAt: Date.now(),
      query: { source, district: districtCode, filters: chips, openNow },
      items: matching(r.data.items),
    };
    saveNearby(store, snapshot);
    patch({ loading: false, problem: null, snapshot, fresh: true, radius });
  }, []);

  const loadDistricts = useCallback(async (): Promise<District[] | null> => {
    if (stateRef.current.districts) return stateRef.current.districts;
    patch({ districtsProblem: null });
    const r = await call(api.GET('/api/v1/regions'));
    if (!r.ok) {
      patch({ districtsProblem: r.problem });
      return null;
    }
    const districts = r.data.items.filter(isDistrict);
    patch({ districts });
    return districts;
  }, []);

  const chooseGps = useCallback(async () => {
    saveLocationChoice(store, { mode: 'gps' });
    patch({ choice: { mode: 'gps' }, phase: 'locating', locError: null, district: null });
    const where = await locate();
    if (!where.ok) {
      // Denied (or no fix): offer the district list instead.
      if (where.reason === 'denied') saveLocationChoice(store, null);
      patch({ phase: 'pick', locError: where.reason, choice: where.reason === 'denied' ? null : { mode: 'gps' } });
      void loadDistricts();
      return;
    }
    const point = { lat: where.lat, lng: where.lng };
    patch({ phase: 'ready', point });
    await search(point, 'gps', null);
  }, [search, loadDistricts]);

  const chooseDistrict = useCallback(
    async (d: District) => {
      const choice: LocationChoice = { mode: 'district', code: d.code };
      saveLocationChoice(store, choice);
      const point = { lat: d.lat, lng: d.lng };
      patch({ choice, phase: 'ready', district: d, point, locError: null });
      await search(point, 'district', d.code);
    },
    [search],
  );

  const pickDistrict = useCallback(() => {
    patch({ phase: 'pick' });
    void loadDistricts();
  }, [loadDistricts]);

  /** Leaves the district list without choosing (back to the list there was). */
  const cancelPick = useCallback(() => {
    const cur = stateRef.current;
    if (cur.snapshot && (cur.point || cur.choice)) patch({ phase: 'ready' });
  }, []);

  const refresh = useCallback(async () => {
    const cur = stateRef.current;
    if (cur.choice?.mode === 'gps') return chooseGps();
    if (cur.district && cur.point) return search(cur.point, 'district', cur.district.code);
    if (cur.choice?.mode === 'district') {
      const list = await loadDistricts();
      const d = list?.find((x) => x.code === (cur.choice as { code: string }).code);
      if (d) return chooseDistrict(d);
      return pickDistrict();
    }
  }, [chooseGps, search, loadDistricts, chooseDistrict, pickDistrict]);

  const setFilters = useCallback(
    (chips: string[], openNow: boolean) => {
      patch({ chips, openNow });
      stateRef.current = { ...stateRef.current, chips, openNow };
      const cur = stateRef.current;
      if (cur.phase === 'ready' && cur.point) {
        void search(cur.point, cur.choice?.mode === 'district' ? 'district' : 'gps', cur.district?.code ?? null);
      }
    },
    [search],
  );

  // On opening the tab: with a choice made before, go straight to it (the browser does not
  // ask twice); otherwise explain first. A cached list shows meanwhile.
  useEffect(() => {
    const choice = stateRef.current.choice;
    if (choice?.mode === 'gps') {
      void geolocationPermission().then((state) => {
        if (state === 'denied') {
          saveLocationChoice(store, null);
          patch({ choice: null, phase: 'pick', locError: 'denied' });
          void loadDistricts();
        } else void chooseGps();
      });
    } else if (choice?.mode === 'district') {
      patch({ phase: stateRef.current.snapshot ? 'ready' : 'locating' });
      void refresh();
    }
  }, []);

  return { state: s, chooseGps, chooseDistrict, pickDistrict, cancelPick, refresh, setFilters, loadDistricts };
}
