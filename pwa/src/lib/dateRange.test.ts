import { describe, expect, it } from 'vitest';
import { addDays, checkRange, daysIn, hourlyAllowed, presetOf, presetRange, todayInShanghai } from './dateRange';

// 2026-12-03 17:30 UTC is already 4 December in Shanghai (UTC+8).
const lateEvening = new Date('2026-12-03T17:30:00Z');

describe('date range', () => {
  it('takes today from Shanghai, not from UTC', () => {
    expect(todayInShanghai(lateEvening)).toBe('2026-12-04');
    expect(todayInShanghai(new Date('2026-12-03T15:59:00Z'))).toBe('2026-12-03');
  });

  it('gives the presets as whole days ending today', () => {
    expect(presetRange(7, lateEvening)).toEqual({ from: '2026-11-28', to: '2026-12-04' });
    expect(presetRange(30, lateEvening)).toEqual({ from: '2026-11-05', to: '2026-12-04' });
    expect(presetRange(90, lateEvening)).toEqual({ from: '2026-09-06', to: '2026-12-04' });
    for (const d of [7, 30, 90]) expect(daysIn(presetRange(d, lateEvening))).toBe(d);
    expect(presetOf({ from: '2026-11-05', to: '2026-12-04' }, lateEvening)).toBe(30);
    expect(presetOf({ from: '2026-11-06', to: '2026-12-04' }, lateEvening)).toBeNull();
  });

  it('compares with the period of equal length before, as the server does', async () => {
    const { previousRange } = await import('./dateRange');
    expect(previousRange({ from: '2026-11-05', to: '2026-12-04' })).toEqual({ from: '2026-10-06', to: '2026-11-04' });
    expect(previousRange({ from: '2026-12-01', to: '2026-12-01' })).toEqual({ from: '2026-11-30', to: '2026-11-30' });
  });

  it('counts across months, years and leap days', () => {
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(daysIn({ from: '2026-01-01', to: '2026-12-31' })).toBe(365);
  });

  it('refuses custom ranges the server would refuse', () => {
    const now = lateEvening;
    expect(checkRange({ from: '2026-11-01', to: '2026-11-30' }, now)).toBeNull();
    expect(checkRange({ from: '', to: '2026-11-30' }, now)).toBe('missing');
    expect(checkRange({ from: '2026-02-30', to: '2026-03-02' }, now)).toBe('invalid');
    expect(checkRange({ from: '2026-12-01', to: '2026-11-30' }, now)).toBe('order');
    expect(checkRange({ from: '2025-12-01', to: '2026-12-01' }, now)).toBeNull();
    expect(checkRange({ from: '2025-11-30', to: '2026-12-01' }, now)).toBe('too_long');
    expect(checkRange({ from: '2026-12-01', to: '2026-12-05' }, now)).toBe('future');
  });

  it('allows hourly buckets up to a week', () => {
    expect(hourlyAllowed({ from: '2026-11-28', to: '2026-12-04' })).toBe(true);
    expect(hourlyAllowed({ from: '2026-11-27', to: '2026-12-04' })).toBe(false);
  });
});
