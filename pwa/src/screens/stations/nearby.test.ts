import { describe, expect, it } from 'vitest';
import type { StationCard } from '../../api/types';
import { visibleItems } from './useNearby';

const NOW = new Date('2026-03-05T12:00:00Z');
const card = (id: string, distance_m: number, over: Partial<StationCard> = {}): StationCard => ({
  id,
  name: id,
  name_en: null,
  address: '',
  lat: 31.2,
  lng: 121.4,
  gcj02: { lat: 31.198, lng: 121.404 },
  distance_m,
  open_now: true,
  hours_state: 'open',
  closes_at: null,
  opens_at: null,
  status: 'open',
  occupancy: 0,
  capacity: 10,
  amenities: ['drinking_water'],
  opening_hours: '24/7',
  updated_at: '2026-03-05T11:00:00Z',
  ...over,
});

describe('the list shown from the kept answer', () => {
  const snapshot = {
    savedAt: NOW.getTime() - 600_000,
    query: { source: 'gps' as const, filters: [], openNow: false },
    items: [
      card('far', 900),
      card('near', 100, { amenities: ['phone_charging'] }),
      card('closed', 300, { open_now: false, opens_at: '2026-03-05T23:00:00Z' }),
      card('heated', 500, { amenities: ['heating'] }),
    ],
  };

  it('is sorted by distance', () => {
    expect(visibleItems({ snapshot, chips: [], openNow: false }, NOW).map((c) => c.id)).toEqual(['near', 'closed', 'heated', 'far']);
  });

  it('applies filters chosen offline to the cached cards', () => {
    expect(visibleItems({ snapshot, chips: ['phone_charging'], openNow: false }, NOW).map((c) => c.id)).toEqual(['near']);
    expect(visibleItems({ snapshot, chips: ['climate'], openNow: false }, NOW).map((c) => c.id)).toEqual(['heated']);
    expect(visibleItems({ snapshot, chips: [], openNow: true }, NOW).map((c) => c.id)).toEqual(['near', 'heated', 'far']);
  });

  it('is empty without a kept answer', () => {
    expect(visibleItems({ snapshot: null, chips: [], openNow: false }, NOW)).toEqual([]);
  });
});
