// Rules for showing stations to a rider: travel time, open/closing-soon/closed, links that
// open the map apps, and the offline copy of the last nearby results. Plain values in,
// plain values out, so all of it is unit-tested without a browser.
import type { Locale, MessageKey } from '../i18n';
import { readJson, writeJson, type KeyValueStore } from './storage';

/** The closed set of amenity codes the server knows (DESIGN.md §4). */
export const AMENITIES = [
  'drinking_water',
  'phone_charging',
  'battery_swap',
  'microwave',
  'toilet',
  'rest_area',
  'air_conditioning',
  'heating',
  'first_aid',
  'medicine',
  'wifi',
  'repair_tools',
  'umbrella',
  'shower',
  'legal_aid',
  'counselling',
  'library',
] as const;
export type Amenity = (typeof AMENITIES)[number];

export const isAmenity = (v: unknown): v is Amenity =>
  typeof v === 'string' && (AMENITIES as readonly string[]).includes(v);

/** The filter chips a rider sees first; "AC/heating" matches a station with either. */
export const FILTER_CHIPS = [
  { id: 'drinking_water', amenities: ['drinking_water'] },
  { id: 'phone_charging', amenities: ['phone_charging'] },
  { id: 'battery_swap', amenities: ['battery_swap'] },
  { id: 'microwave', amenities: ['microwave'] },
  { id: 'toilet', amenities: ['toilet'] },
  { id: 'rest_area', amenities: ['rest_area'] },
  { id: 'climate', amenities: ['air_conditioning', 'heating'] },
] as const satisfies readonly { id: string; amenities: readonly Amenity[] }[];
export type FilterChipId = (typeof FILTER_CHIPS)[number]['id'];

export const STATION_STATUSES = ['open', 'full', 'temporarily_closed', 'closed_permanently'] as const;
export type StationStatus = (typeof STATION_STATUSES)[number];

/** What the rider list needs of a station (a subset of the server's StationCard). */
export interface CardLike {
  id: string;
  name: string;
  name_en?: string | null;
  lat: number;
  lng: number;
  gcj02: { lat: number; lng: number };
  address: string;
  distance_m?: number;
  open_now: boolean;
  closes_at?: string | null;
  opens_at?: string | null;
  status: string;
  occupancy: number;
  capacity: number;
  amenities: string[];
}

/** Walking at 80 m/min, an e-bike at 250 m/min; at least one minute. */
export const WALK_M_PER_MIN = 80;
export const RIDE_M_PER_MIN = 250;

export function travelMinutes(distanceM: number, metresPerMinute: number): number {
  if (!Number.isFinite(distanceM) || distanceM <= 0) return 1;
  return Math.max(1, Math.ceil(distanceM / metresPerMinute));
}

/** 850 m → "850 米" / "850 m"; 1 234 m → "1.2 公里" / "1.2 km"; 12 345 m → "12 公里". */
export function formatDistance(distanceM: number, locale: Locale): string {
  const zh = locale !== 'en';
  if (distanceM < 1000) return zh ? `${Math.round(distanceM)} 米` : `${Math.round(distanceM)} m`;
  const km = distanceM / 1000;
  const text = km < 10 ? (Math.round(km * 10) / 10).toFixed(1) : String(Math.round(km));
  return zh ? `${text} 公里` : `${text} km`;
}

/** Closing within this many minutes counts as "closing soon". */
export const CLOSING_SOON_MIN = 30;

export type OpenState =
  | { kind: 'open' }
  | { kind: 'closing_soon'; minutes: number }
  | { kind: 'closed'; opensAt: string | null }
  | { kind: 'paused' }
  | { kind: 'gone' };

/**
 * Open now, closing soon (< 30 minutes to `closes_at`), or closed — worked out at `now`,
 * so a card cached an hour ago still tells the truth about the hours. The operator's
 * status wins: "temporarily closed" is paused whatever the hours say. A card from the
 * past whose `closes_at` has gone by counts as closed.
 */
export function openState(card: Pick<CardLike, 'open_now' | 'closes_at' | 'opens_at' | 'status'>, now: Date): OpenState {
  if (card.status === 'closed_permanently') return { kind: 'gone' };
  if (card.status === 'temporarily_closed') return { kind: 'paused' };
  const closes = card.closes_at ? Date.parse(card.closes_at) : NaN;
  const opens = card.opens_at ? Date.parse(card.opens_at) : NaN;
  let open = card.open_now;
  if (open && Number.isFinite(closes) && closes <= now.getTime()) open = false;
  if (!open && Number.isFinite(opens) && opens <= now.getTime() && (!Number.isFinite(closes) || closes > now.getTime())) {
    open = true;
  }
  if (!open) return { kind: 'closed', opensAt: Number.isFinite(opens) && opens > now.getTime() ? card.opens_at ?? null : null };
  if (Number.isFinite(closes)) {
    const minutes = Math.ceil((closes - now.getTime()) / 60_000);
    if (minutes < CLOSING_SOON_MIN) return { kind: 'closing_soon', minutes: Math.max(1, minutes) };
  }
  return { kind: 'open' };
}

/** Can a rider go there now and get in? (open or closing soon, and not full) */
export const isAvailable = (card: CardLike, now: Date): boolean => {
  const s = openState(card, now).kind;
  return (s === 'open' || s === 'closing_soon') && card.status !== 'full';
};

/** Occupancy as a share of capacity, 0–1 (1 when the operator says "full"). */
export function occupancyRatio(card: Pick<CardLike, 'occupancy' | 'capacity' | 'status'>): number {
  if (card.status === 'full') return 1;
  if (!card.capacity || card.capacity <= 0) return 0;
  return Math.min(1, Math.max(0, card.occupancy / card.capacity));
}

/** A time of day in Shanghai: "21:30". */
export function clockTime(iso: string, locale: Locale): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: 'Asia/Shanghai',
  }).format(d);
}

// ---- Navigation links -------------------------------------------------------------------
// The server sends both WGS-84 (lat/lng) and GCJ-02 (gcj02) coordinates. Chinese map apps
// want GCJ-02 and get the server's values as they are (no conversion here); the system map
// app (geo: URI, RFC 5870) wants WGS-84.

const fixed = (n: number) => (Math.round(n * 1e6) / 1e6).toFixed(6);

type NavTarget = Pick<CardLike, 'lat' | 'lng' | 'gcj02' | 'name' | 'address'>;

/** Amap (高德) web marker; opens the app when installed. `position` is lng,lat in GCJ-02. */
export function amapUrl(s: NavTarget): string {
  const q = new URLSearchParams({
    position: `${fixed(s.gcj02.lng)},${fixed(s.gcj02.lat)}`,
    name: s.name,
    src: 'warmnew',
    coordinate: 'gaode',
    callnative: '1',
  });
  return `https://uri.amap.com/marker?${q.toString()}`;
}

/** Baidu Maps web marker; `location` is lat,lng, declared as GCJ-02. */
export function baiduUrl(s: NavTarget): string {
  const q = new URLSearchParams({
    location: `${fixed(s.gcj02.lat)},${fixed(s.gcj02.lng)}`,
    title: s.name,
    content: s.address,
    output: 'html',
    coord_type: 'gcj02',
    src: 'webapp.warmnew.stations',
  });
  return `https://api.map.baidu.com/marker?${q.toString()}`;
}

/** The phone's own map app: geo:lat,lng?q=lat,lng(name), WGS-84. */
export function geoUri(s: NavTarget): string {
  const at = `${fixed(s.lat)},${fixed(s.lng)}`;
  const label = s.name.replace(/[()]/g, ' ').trim();
  return `geo:${at}?q=${at}(${encodeURIComponent(label)})`;
}

// ---- Check-in codes and links ----------------------------------------------------------

/** Check-in codes are 6 letters/digits; people type them in any case, with spaces. */
export const normalizeCode = (input: string): string => input.replace(/[\s-]/g, '').toUpperCase();
export const isValidCode = (code: string): boolean => /^[A-Z0-9]{6}$/.test(code);

/**
 * Reads what a station QR holds — `http(s)://host/checkin/{id}?code=ABC123` — or a bare
 * code. Returns null for anything else (another app's QR).
 */
export function parseCheckinPayload(text: string): { stationId: string | null; code: string } | null {
  const raw = text.trim();
  if (isValidCode(normalizeCode(raw)) && raw.length <= 8) return { stationId: null, code: normalizeCode(raw) };
  let url: URL;
  try {
    url = new URL(raw, 'http://local.invalid');
  } catch {
    return null;
  }
  const route = parseCheckinRoute(url.pathname, url.search);
  return route;
}

/** The `/checkin/{id}?code=…` route (what the station QR encodes), or null. */
export function parseCheckinRoute(pathname: string, search: string): { stationId: string; code: string } | null {
  const m = /^\/checkin\/([^/?#]+)\/?$/.exec(pathname);
  if (!m || !m[1]) return null;
  const code = normalizeCode(new URLSearchParams(search).get('code') ?? '');
  return { stationId: decodeURIComponent(m[1]), code: isValidCode(code) ? code : '' };
}

// ---- The offline copy of the last nearby results ---------------------------------------

export const NEARBY_CACHE_KEY = 'warmnew.nearby';

export interface NearbyQuery {
  /** Where the point came from: the phone's location or a district picked by hand. */
  source: 'gps' | 'district';
  district?: string | null;
  filters: string[];
  openNow: boolean;
}

export interface NearbySnapshot<T> {
  /** Epoch ms when the server answered. */
  savedAt: number;
  query: NearbyQuery;
  items: T[];
}

/** Keeps the last results (no coordinates: only what the server answered and when). */
export function saveNearby<T>(store: KeyValueStore, snap: NearbySnapshot<T>): void {
  // Storage full or disabled: the list still shows, it just won't be there offline.
  writeJson(store, NEARBY_CACHE_KEY, snap);
}

export function loadNearby<T>(store: KeyValueStore): NearbySnapshot<T> | null {
  const v = readJson<Partial<NearbySnapshot<T>>>(store, NEARBY_CACHE_KEY);
  if (!v || typeof v.savedAt !== 'number' || !Array.isArray(v.items) || !v.query) return null;
  return v as NearbySnapshot<T>;
}

/** How old data is, in words: 刚刚 / 3 分钟前 / 2 小时前 / 1 天前. */
export function ageKey(savedAt: number, now: number): { key: MessageKey; n: number } {
  const min = Math.floor(Math.max(0, now - savedAt) / 60_000);
  if (min < 1) return { key: 'age_just_now', n: 0 };
  if (min < 60) return { key: 'age_minutes', n: min };
  const h = Math.floor(min / 60);
  if (h < 24) return { key: 'age_hours', n: h };
  return { key: 'age_days', n: Math.floor(h / 24) };
}

// ---- Location preference ----------------------------------------------------------------

export const LOCATION_KEY = 'warmnew.location';

/** What the rider chose about location: the phone's GPS, or a district (by code). Never
 * coordinates. */
export type LocationChoice = { mode: 'gps' } | { mode: 'district'; code: string };

export function loadLocationChoice(store: KeyValueStore): LocationChoice | null {
  const raw = store.getItem(LOCATION_KEY);
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Partial<{ mode: string; code: string }>;
    if (v.mode === 'gps') return { mode: 'gps' };
    if (v.mode === 'district' && typeof v.code === 'string' && v.code) return { mode: 'district', code: v.code };
  } catch {
    /* fall through */
  }
  return null;
}

export const saveLocationChoice = (store: KeyValueStore, c: LocationChoice | null): void =>
  c ? store.setItem(LOCATION_KEY, JSON.stringify(c)) : store.removeItem(LOCATION_KEY);

/** The amenities query for a set of chips: every chip must match; "climate" is AC or heating,
 * which the server cannot OR, so it is checked here (see `matchesChips`). */
export function chipAmenities(chips: readonly string[]): string[] {
  const out: string[] = [];
  for (const id of chips) {
    const chip = FILTER_CHIPS.find((c) => c.id === id);
    if (chip && chip.amenities.length === 1) out.push(chip.amenities[0]!);
  }
  return out;
}

export function matchesChips(card: Pick<CardLike, 'amenities'>, chips: readonly string[]): boolean {
  return chips.every((id) => {
    const chip = FILTER_CHIPS.find((c) => c.id === id);
    return !chip || chip.amenities.some((a) => card.amenities.includes(a));
  });
}
