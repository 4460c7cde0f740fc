import { describe, expect, it } from 'vitest';
import { memoryStore } from './storage';
import {
  ageKey,
  amapUrl,
  baiduUrl,
  chipAmenities,
  formatDistance,
  geoUri,
  isAvailable,
  isValidCode,
  loadLocationChoice,
  loadNearby,
  matchesChips,
  NEARBY_CACHE_KEY,
  normalizeCode,
  occupancyRatio,
  openState,
  parseCheckinPayload,
  parseCheckinRoute,
  RIDE_M_PER_MIN,
  saveLocationChoice,
  saveNearby,
  travelMinutes,
  WALK_M_PER_MIN,
  type CardLike,
} from './stations';

const NOW = new Date('2026-03-05T12:00:00Z'); // 20:00 in Shanghai
const inMin = (m: number) => new Date(NOW.getTime() + m * 60_000).toISOString();

const card = (over: Partial<CardLike> = {}): CardLike => ({
  id: 's1',
  name: '静安寺街道暖新驿站',
  name_en: null,
  address: '上海市静安区南京西路 1 号',
  lat: 31.2236,
  lng: 121.4453,
  // Deliberately not a real conversion of lat/lng: the links must pass the server's values on.
  gcj02: { lat: 31.221646, lng: 121.449847 },
  distance_m: 420,
  open_now: true,
  closes_at: inMin(240),
  opens_at: null,
  status: 'open',
  occupancy: 3,
  capacity: 12,
  amenities: ['drinking_water', 'phone_charging'],
  ...over,
});

describe('travel minutes', () => {
  it('walks at 80 m/min and rides an e-bike at 250 m/min, rounding up', () => {
    expect(travelMinutes(800, WALK_M_PER_MIN)).toBe(10);
    expect(travelMinutes(801, WALK_M_PER_MIN)).toBe(11);
    expect(travelMinutes(1000, RIDE_M_PER_MIN)).toBe(4);
    expect(travelMinutes(1001, RIDE_M_PER_MIN)).toBe(5);
  });

  it('never says 0 minutes', () => {
    expect(travelMinutes(0, WALK_M_PER_MIN)).toBe(1);
    expect(travelMinutes(15, RIDE_M_PER_MIN)).toBe(1);
    expect(travelMinutes(Number.NaN, WALK_M_PER_MIN)).toBe(1);
  });

  it('formats distances in metres below a kilometre, in kilometres above', () => {
    expect(formatDistance(850, 'zh-CN')).toBe('850 米');
    expect(formatDistance(850, 'en')).toBe('850 m');
    expect(formatDistance(1234, 'zh-CN')).toBe('1.2 公里');
    expect(formatDistance(12_345, 'en')).toBe('12 km');
  });
});

describe('open, closing soon, closed', () => {
  it('is open when open now and closing in 30 minutes or more', () => {
    expect(openState(card({ closes_at: inMin(30) }), NOW)).toEqual({ kind: 'open' });
    expect(openState(card({ closes_at: null }), NOW)).toEqual({ kind: 'open' }); // 24/7
  });

  it('is closing soon under 30 minutes before closes_at, with the minutes left', () => {
    expect(openState(card({ closes_at: inMin(29) }), NOW)).toEqual({ kind: 'closing_soon', minutes: 29 });
    expect(openState(card({ closes_at: new Date(NOW.getTime() + 30_000).toISOString() }), NOW)).toEqual({
      kind: 'closing_soon',
      minutes: 1,
    });
  });

  it('is closed when the server says so, naming when it opens', () => {
    expect(openState(card({ open_now: false, closes_at: null, opens_at: inMin(600) }), NOW)).toEqual({
      kind: 'closed',
      opensAt: inMin(600),
    });
  });

  it('judges a cached card at the time it is shown', () => {
    const cached = card({ closes_at: inMin(-5) }); // was open when fetched; closed since
    expect(openState(cached, NOW).kind).toBe('closed');
    const opened = card({ open_now: false, closes_at: null, opens_at: inMin(-10) });
    expect(openState(opened, NOW).kind).toBe('open');
  });

  it('lets the operator’s status win over the hours', () => {
    expect(openState(card({ status: 'temporarily_closed' }), NOW).kind).toBe('paused');
    expect(openState(card({ status: 'closed_permanently' }), NOW).kind).toBe('gone');
    // Full is still open: the list shows "full" on the occupancy bar.
    expect(openState(card({ status: 'full' }), NOW).kind).toBe('open');
    expect(isAvailable(card({ status: 'full' }), NOW)).toBe(false);
    expect(isAvailable(card(), NOW)).toBe(true);
  });
});

describe('occupancy', () => {
  it('is a share of capacity, capped at 1, and 1 when the operator says full', () => {
    expect(occupancyRatio({ occupancy: 3, capacity: 12, status: 'open' })).toBe(0.25);
    expect(occupancyRatio({ occupancy: 30, capacity: 12, status: 'open' })).toBe(1);
    expect(occupancyRatio({ occupancy: 0, capacity: 0, status: 'open' })).toBe(0);
    expect(occupancyRatio({ occupancy: 2, capacity: 12, status: 'full' })).toBe(1);
  });
});

describe('map links', () => {
  it('opens Amap at the GCJ-02 point the server sent (lng,lat), unchanged', () => {
    const u = new URL(amapUrl(card()));
    expect(u.origin + u.pathname).toBe('https://uri.amap.com/marker');
    expect(u.searchParams.get('position')).toBe('121.449847,31.221646');
    expect(u.searchParams.get('coordinate')).toBe('gaode');
    expect(u.searchParams.get('name')).toBe('静安寺街道暖新驿站');
  });

  it('opens Baidu Maps at the GCJ-02 point (lat,lng) declared as coord_type=gcj02', () => {
    const u = new URL(baiduUrl(card()));
    expect(u.origin + u.pathname).toBe('https://api.map.baidu.com/marker');
    expect(u.searchParams.get('location')).toBe('31.221646,121.449847');
    expect(u.searchParams.get('coord_type')).toBe('gcj02');
    expect(u.searchParams.get('output')).toBe('html');
    expect(u.searchParams.get('title')).toBe('静安寺街道暖新驿站');
    expect(u.searchParams.get('src')).toBeTruthy();
  });

  it('opens the system map app with a WGS-84 geo: URI', () => {
    const g = geoUri(card({ name: 'A (B) 站' }));
    expect(g.startsWith('geo:31.223600,121.445300?q=31.223600,121.445300(')).toBe(true);
    expect(g).not.toContain('31.221646'); // not the GCJ-02 point
    expect(decodeURIComponent(g.slice(g.indexOf('(') + 1, -1))).toBe('A  B  站');
  });
});

describe('check-in codes and links', () => {
  it('normalises what people type', () => {
    expect(normalizeCode(' abc 12-3 ')).toBe('ABC123');
    expect(isValidCode('ABC123')).toBe(true);
    expect(isValidCode('ABC12')).toBe(false);
    expect(isValidCode('ABC12!')).toBe(false);
  });

  it('reads the /checkin/{id}?code=… route', () => {
    expect(parseCheckinRoute('/checkin/0190-abc', '?code=abc123')).toEqual({ stationId: '0190-abc', code: 'ABC123' });
    expect(parseCheckinRoute('/checkin/0190-abc', '')).toEqual({ stationId: '0190-abc', code: '' });
    expect(parseCheckinRoute('/checkin/0190-abc', '?code=bad')).toEqual({ stationId: '0190-abc', code: '' });
    expect(parseCheckinRoute('/', '?code=ABC123')).toBeNull();
    expect(parseCheckinRoute('/checkin/', '')).toBeNull();
  });

  it('reads a scanned station QR (full URL) or a bare code, and nothing else', () => {
    expect(parseCheckinPayload('http://127.0.0.1:8080/checkin/st-1?code=XY12Z9')).toEqual({ stationId: 'st-1', code: 'XY12Z9' });
    expect(parseCheckinPayload('xy12z9')).toEqual({ stationId: null, code: 'XY12Z9' });
    expect(parseCheckinPayload('https://example.com/pay?id=1')).toBeNull();
  });
});

describe('the offline copy of nearby results', () => {
  it('keeps the last answer with when it came, and reads it back', () => {
    const store = memoryStore();
    saveNearby(store, { savedAt: 1000, query: { source: 'gps', filters: ['phone_charging'], openNow: true }, items: [card()] });
    const back = loadNearby<CardLike>(store);
    expect(back?.savedAt).toBe(1000);
    expect(back?.items[0]?.id).toBe('s1');
    expect(back?.query.filters).toEqual(['phone_charging']);
    // No coordinates of the rider are kept.
    expect(store.data.get(NEARBY_CACHE_KEY)).not.toMatch(/"point"|"position"/);
  });

  it('treats a damaged entry as none', () => {
    expect(loadNearby(memoryStore({ [NEARBY_CACHE_KEY]: '{nope' }))).toBeNull();
    expect(loadNearby(memoryStore({ [NEARBY_CACHE_KEY]: '{"items":[]}' }))).toBeNull();
  });

  it('says how old the data is', () => {
    const t0 = Date.parse('2026-03-05T12:00:00Z');
    expect(ageKey(t0, t0 + 30_000)).toEqual({ key: 'age_just_now', n: 0 });
    expect(ageKey(t0, t0 + 3 * 60_000 + 5_000)).toEqual({ key: 'age_minutes', n: 3 });
    expect(ageKey(t0, t0 + 59 * 60_000)).toEqual({ key: 'age_minutes', n: 59 });
    expect(ageKey(t0, t0 + 2 * 3600_000)).toEqual({ key: 'age_hours', n: 2 });
    expect(ageKey(t0, t0 + 50 * 3600_000)).toEqual({ key: 'age_days', n: 2 });
    expect(ageKey(t0, t0 - 5_000)).toEqual({ key: 'age_just_now', n: 0 }); // clock skew
  });

  it('remembers the location choice, never coordinates', () => {
    const store = memoryStore();
    expect(loadLocationChoice(store)).toBeNull();
    saveLocationChoice(store, { mode: 'district', code: '310106' });
    expect(loadLocationChoice(store)).toEqual({ mode: 'district', code: '310106' });
    saveLocationChoice(store, { mode: 'gps' });
    expect(loadLocationChoice(store)).toEqual({ mode: 'gps' });
    saveLocationChoice(store, null);
    expect(loadLocationChoice(store)).toBeNull();
  });
});

describe('filter chips', () => {
  it('asks the server for single amenities and checks "AC or heating" here', () => {
    expect(chipAmenities(['phone_charging', 'climate', 'toilet'])).toEqual(['phone_charging', 'toilet']);
    expect(matchesChips(card({ amenities: ['heating'] }), ['climate'])).toBe(true);
    expect(matchesChips(card({ amenities: ['air_conditioning'] }), ['climate'])).toBe(true);
    expect(matchesChips(card({ amenities: ['toilet'] }), ['climate'])).toBe(false);
    expect(matchesChips(card({ amenities: ['toilet', 'phone_charging'] }), ['toilet', 'phone_charging'])).toBe(true);
    expect(matchesChips(card({ amenities: ['toilet'] }), ['toilet', 'phone_charging'])).toBe(false);
  });
});
