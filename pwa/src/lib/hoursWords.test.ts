import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hoursInWords } from './hoursWords';

/** The opening_hours strings the demo stations are given (api/src/stations/generate.rs HOURS). */
function demoHours(): string[] {
  const src = readFileSync(new URL('../../../api/src/stations/generate.rs', import.meta.url), 'utf8');
  const block = /const HOURS: \[\(&str, u32\); \d+\] = \[([\s\S]*?)\];/.exec(src)?.[1] ?? '';
  return [...block.matchAll(/\("([^"]+)", \d+\)/g)].map((m) => m[1]!);
}

/** OSM syntax a rider must never see. */
const OSM_TOKENS = /\b(Mo|Tu|We|Th|Fr|Sa|Su|PH|off)\b|24\/7|\d-\d/;

describe('hours in words', () => {
  it('reads every demo station’s hours, in both languages, without OSM syntax', () => {
    const all = demoHours();
    expect(all.length).toBeGreaterThanOrEqual(7);
    for (const osm of all) {
      for (const locale of ['zh-CN', 'en']) {
        const w = hoursInWords(osm, locale);
        expect(w.kind, `${osm} (${locale})`).not.toBe('unknown');
        expect(w.text, `${osm} (${locale})`).not.toMatch(OSM_TOKENS);
        expect(w.text).not.toContain(osm);
      }
    }
  });

  it('says the demo shapes as a person would', () => {
    expect(hoursInWords('Mo-Fr 09:00-18:00; PH off', 'zh-CN').text).toBe('周一至周五 09:00–18:00，节假日休息');
    expect(hoursInWords('Mo-Fr 09:00-18:00; PH off', 'en').text).toBe('Mon–Fri 09:00–18:00, closed on public holidays');
    expect(hoursInWords('24/7', 'zh-CN')).toEqual({ kind: 'always', text: '全天开放' });
    expect(hoursInWords('24/7', 'en')).toEqual({ kind: 'always', text: 'Open 24 hours' });
    expect(hoursInWords('Mo-Su 07:00-22:00', 'zh-CN').text).toBe('每天 07:00–22:00');
    expect(hoursInWords('Mo-Fr 08:00-20:00; Sa,Su 10:00-18:00', 'zh-CN').text).toBe('周一至周五 08:00–20:00，周六、周日 10:00–18:00');
    expect(hoursInWords('Mo-Fr 08:00-20:00; Sa,Su 10:00-18:00', 'en').text).toBe('Mon–Fri 08:00–20:00; Sat, Sun 10:00–18:00');
    expect(hoursInWords('Mo-Su 10:00-22:00; PH 10:00-18:00', 'zh-CN').text).toBe('每天 10:00–22:00，节假日 10:00–18:00');
    expect(hoursInWords('Mo-Sa 07:30-21:30; Su 09:00-17:00', 'en').text).toBe('Mon–Sat 07:30–21:30; Sun 09:00–17:00');
  });

  it('runs across midnight into the next day', () => {
    expect(hoursInWords('Mo-Su 06:00-02:00', 'zh-CN').text).toBe('每天 06:00–次日 02:00');
    expect(hoursInWords('Mo-Su 06:00-02:00', 'en').text).toBe('Daily 06:00–02:00 next day');
    expect(hoursInWords('Fr,Sa 18:00-26:00', 'zh-CN').text).toBe('周五、周六 18:00–次日 02:00');
    expect(hoursInWords('Mo-Fr 08:00-24:00', 'zh-CN').text).toBe('周一至周五 08:00–24:00');
  });

  it('says holidays off, split days and all-day days', () => {
    expect(hoursInWords('24/7; PH off', 'zh-CN').text).toBe('全天开放，节假日休息');
    expect(hoursInWords('Mo-Fr 08:00-12:00,14:00-18:00', 'zh-CN').text).toBe('周一至周五 08:00–12:00、14:00–18:00');
    expect(hoursInWords('Sa,Su 00:00-24:00; Mo-Fr 08:00-20:00', 'zh-CN').text).toBe('周一至周五 08:00–20:00，周六、周日 全天');
    expect(hoursInWords('Mo-Su 00:00-24:00', 'zh-CN').kind).toBe('always');
  });

  it('reads sunrise to sunset', () => {
    expect(hoursInWords('sunrise-sunset', 'zh-CN').text).toBe('每天 日出至日落');
    expect(hoursInWords('Mo-Fr sunrise-sunset; PH off', 'en').text).toBe('Mon–Fri sunrise to sunset, closed on public holidays');
  });

  it('gives a plain line, never the rule, for what it cannot read', () => {
    const odd = ['', '   ', 'Mo-Fr 08:00+', '"按驿站公告"', 'Jan-Mar Mo-Fr 09:00-17:00', 'week 1-26 Mo 09:00-12:00', 'PH off', 'Mo-Fr 08:00-20:00 "午休"', '(sunrise+01:00)-sunset'];
    for (const osm of odd) {
      expect(hoursInWords(osm, 'zh-CN'), osm).toEqual({ kind: 'unknown', text: '营业时间以驿站公告为准' });
      expect(hoursInWords(osm, 'en').kind, osm).toBe('unknown');
    }
    expect(hoursInWords(null, 'zh-CN').kind).toBe('unknown');
  });
});
