import { describe, expect, it } from 'vitest';
import { countChange, DASH, formatCount, formatMinutes, formatRate, rateChange, toneOf } from './trends';

describe('dashboard numbers', () => {
  it('writes counts with grouping and a dash when suppressed', () => {
    expect(formatCount(1234, 'zh-CN')).toBe('1,234');
    expect(formatCount(1234, 'en')).toBe('1,234');
    expect(formatCount(0, 'zh-CN')).toBe('0');
    expect(formatCount(null, 'zh-CN')).toBe(DASH);
    expect(formatCount(undefined, 'en')).toBe(DASH);
  });

  it('writes rates as percentages with one decimal', () => {
    expect(formatRate(13 / 22)).toBe('59.1%');
    expect(formatRate(1)).toBe('100.0%');
    expect(formatRate(0)).toBe('0.0%');
    expect(formatRate(null)).toBe(DASH);
  });

  it('writes minutes with at most one decimal', () => {
    expect(formatMinutes(90, 'zh-CN')).toBe('90');
    expect(formatMinutes(12.25, 'en')).toBe('12.3');
    expect(formatMinutes(1440, 'zh-CN')).toBe('1,440');
    expect(formatMinutes(null, 'zh-CN')).toBe(DASH);
  });
});

describe('changes against the previous period', () => {
  it('gives counts an arrow and a percentage', () => {
    expect(countChange(0.125)).toEqual({ direction: 'up', arrow: '↑ 12.5%', amount: '12.5' });
    expect(countChange(-0.5)).toEqual({ direction: 'down', arrow: '↓ 50.0%', amount: '50.0' });
    expect(countChange(3.5).arrow).toBe('↑ 350.0%');
    expect(countChange(0).arrow).toBe('→ 0%');
    expect(countChange(0.00001).direction).toBe('flat');
  });

  it('shows a dash when there is nothing to compare with', () => {
    expect(countChange(null)).toEqual({ direction: 'none', arrow: DASH, amount: '' });
    expect(countChange(undefined).arrow).toBe(DASH);
    expect(countChange(Number.NaN).arrow).toBe(DASH);
    expect(rateChange(null, ' pts').arrow).toBe(DASH);
  });

  it('gives rates their change in points', () => {
    expect(rateChange(0.032, ' pts').arrow).toBe('↑ 3.2 pts');
    expect(rateChange(-0.1, ' 个百分点').arrow).toBe('↓ 10.0 个百分点');
  });

  it('knows good news from bad', () => {
    expect(toneOf('up', 'up')).toBe('good');
    expect(toneOf('down', 'up')).toBe('bad');
    expect(toneOf('up', 'down')).toBe('bad');
    expect(toneOf('down', 'down')).toBe('good');
    expect(toneOf('flat', 'up')).toBe('neutral');
    expect(toneOf('none', 'down')).toBe('neutral');
  });
});

describe('time bucket labels', () => {
  it('labels buckets in Shanghai time', async () => {
    const { bucketLabel } = await import('./trends');
    // 2026-12-02T16:00Z is midnight of 3 December in Shanghai.
    expect(bucketLabel('2026-12-02T16:00:00Z', 'day', 'zh-CN')).toBe('12月3日');
    expect(bucketLabel('2026-12-02T16:00:00Z', 'day', 'en')).toBe('3 Dec');
    expect(bucketLabel('2026-12-03T06:00:00Z', 'hour', 'zh-CN')).toBe('12月3日 14:00');
    expect(bucketLabel('2026-11-29T16:00:00Z', 'week', 'zh-CN')).toBe('11月30日起');
    expect(bucketLabel('2026-11-29T16:00:00Z', 'week', 'en')).toBe('w/c 30 Nov');
    expect(bucketLabel('not a date', 'day', 'en')).toBe('not a date');
  });
});
