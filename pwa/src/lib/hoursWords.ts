// Opening hours in words for riders: "周一至周五 09:00–18:00，节假日休息". Read with the operator
// editor's parser (hoursEditor), plus the few shapes riders meet that the editor does not edit
// (holiday hours, sunrise–sunset). The OSM string itself is never shown: what cannot be read
// becomes a plain "ask the station" line rather than syntax a rider cannot use.
import { DAYS, describeDays, fromOsm, parseDays, type Day, type DayGroup, type TimeRange } from './hoursEditor';

export type HoursWords = { kind: 'always' | 'rules' | 'unknown'; text: string };

const WORDS = {
  'zh-CN': {
    always: '全天开放',
    daily: '每天',
    allDay: '全天',
    list: '、',
    sep: '，',
    phSep: '，',
    ph: '节假日',
    phOff: '节假日休息',
    sun: '日出至日落',
    unknown: '营业时间以驿站公告为准',
  },
  en: {
    always: 'Open 24 hours',
    daily: 'Daily',
    allDay: 'all day',
    list: ', ',
    sep: '; ',
    phSep: ', ',
    ph: 'public holidays',
    phOff: 'closed on public holidays',
    sun: 'sunrise to sunset',
    unknown: 'Opening hours as posted at the station',
  },
};

const words = (locale: string) => WORDS[locale === 'en' ? 'en' : 'zh-CN'];

const toMin = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** 09:00–18:00; 06:00–次日 02:00 / 06:00–02:00 next day; an end at midnight is 24:00. */
function rangeWords(r: TimeRange, locale: string): string {
  if (r.end === '00:00') return `${r.start}–24:00`;
  const next = toMin(r.end) <= toMin(r.start);
  if (locale === 'en') return `${r.start}–${r.end}${next ? ' next day' : ''}`;
  return `${r.start}–${next ? '次日 ' : ''}${r.end}`;
}

const daysWords = (days: readonly Day[], locale: string) =>
  days.length === 7 ? words(locale).daily : describeDays(days, locale);

function groupTimes(g: DayGroup, locale: string): string {
  const w = words(locale);
  if (g.allDay) return w.allDay;
  return [...g.ranges]
    .sort((a, b) => toMin(a.start) - toMin(b.start))
    .map((r) => rangeWords(r, locale))
    .join(w.list);
}

/**
 * The station's hours as a sentence in the rider's language. `kind` is `unknown` for empty
 * strings, comments, open ends (`08:00+`), months, week numbers and anything else the
 * editor's parser cannot read.
 */
export function hoursInWords(osm: string | null | undefined, locale: string): HoursWords {
  const w = words(locale);
  const unknown: HoursWords = { kind: 'unknown', text: w.unknown };
  const rules = (osm ?? '')
    .split(';')
    .map((r) => r.trim().replace(/\s+/g, ' '))
    .filter(Boolean);
  if (rules.length === 0) return unknown;

  let holidaysOff = false;
  let holidayTimes: string | null = null;
  const sunDays: Day[][] = [];
  const rest: string[] = [];
  for (const rule of rules) {
    if (/^PH (off|closed)$/.test(rule)) {
      holidaysOff = true;
      continue;
    }
    const ph = /^PH (.+)$/.exec(rule);
    if (ph) {
      // The times alone, read as if for one day.
      const m = fromOsm(`Mo ${ph[1]}`);
      if (!m || m.always || m.groups.length !== 1) return unknown;
      holidayTimes = groupTimes(m.groups[0]!, locale);
      continue;
    }
    const sun = /^(?:([A-Za-z,-]+) )?sunrise-sunset$/.exec(rule);
    if (sun) {
      const days = sun[1] ? parseDays(sun[1]) : [...DAYS];
      if (!days) return unknown;
      sunDays.push(days);
      continue;
    }
    rest.push(rule);
  }

  const model = rest.length > 0 ? fromOsm(rest.join('; ')) : null;
  if (rest.length > 0 && !model) return unknown;
  const parts: string[] = [];
  if (model?.always) parts.push(w.always);
  else if (model) {
    for (const g of model.groups) parts.push(`${daysWords(g.days, locale)} ${groupTimes(g, locale)}`);
  }
  for (const days of sunDays) parts.push(`${daysWords(days, locale)} ${w.sun}`);
  if (parts.length === 0) return unknown; // only holiday rules: says nothing about a normal day
  if (holidayTimes) parts.push(`${w.ph} ${holidayTimes}`);
  let text = parts.join(w.sep);
  if (holidaysOff || model?.holidaysOff) text += `${w.phSep}${w.phOff}`;
  const always = !!model?.always && sunDays.length === 0 && !holidayTimes;
  return { kind: always ? 'always' : 'rules', text };
}
