// Opening hours as the operator edits them (weekday chips, time ranges, "24 小时", "节假日休息")
// and their OSM `opening_hours` string, both ways. Only the shapes the editor can show are read
// back; anything richer (months, sunrise, comments, "+" rules) gives null, and the screen shows
// the rule as it is with a "set again" button instead of guessing.

export const DAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const;
export type Day = (typeof DAYS)[number];

/** "HH:MM" as an <input type="time"> gives it. An end at or before the start runs into the next day. */
export interface TimeRange {
  start: string;
  end: string;
}

export interface DayGroup {
  days: Day[];
  /** Open round the clock on these days (00:00-24:00); `ranges` are then kept but unused. */
  allDay: boolean;
  ranges: TimeRange[];
}

export interface HoursModel {
  /** 24/7: open all day, every day. */
  always: boolean;
  groups: DayGroup[];
  /** `PH off`: closed on public holidays. */
  holidaysOff: boolean;
}

export type HoursProblem =
  | { code: 'no_groups' }
  | { code: 'no_days'; group: number }
  | { code: 'no_ranges'; group: number }
  | { code: 'bad_time'; group: number; range: number }
  | { code: 'empty_range'; group: number; range: number }
  | { code: 'overlap'; group: number; range: number; other: number };

const TIME_RE = /^([01]\d|2[0-3]):([0-5]\d)$/;

export const defaultModel = (): HoursModel => ({
  always: false,
  groups: [{ days: [...DAYS], allDay: false, ranges: [{ start: '08:00', end: '20:00' }] }],
  holidaysOff: false,
});

const minutes = (hhmm: string): number => {
  const m = TIME_RE.exec(hhmm);
  return m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
};

/** The range runs past midnight into the next day (an end of 00:00 is midnight itself). */
export const crossesMidnight = (r: TimeRange): boolean => minutes(r.end) <= minutes(r.start) && r.end !== r.start;

const sortDays = (days: readonly Day[]): Day[] => DAYS.filter((d) => days.includes(d));

/** Mo,Tu,We,Th,Fr,Sa → "Mo-Sa"; Mo,We → "Mo,We"; Sa,Su → "Sa,Su" (runs of three or more as a span). */
export function formatDays(days: readonly Day[]): string {
  const idx = sortDays(days).map((d) => DAYS.indexOf(d));
  const parts: string[] = [];
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && idx[j + 1] === idx[j]! + 1) j++;
    const from = DAYS[idx[i]!]!;
    const to = DAYS[idx[j]!]!;
    if (j - i >= 2) parts.push(`${from}-${to}`);
    else for (let k = i; k <= j; k++) parts.push(DAYS[idx[k]!]!);
    i = j + 1;
  }
  return parts.join(',');
}

/** One range in OSM: an end of 00:00 is written 24:00; other ends before the start stay as
 * they are (OSM reads 22:00-06:00 as running into the next day). */
const formatRange = (r: TimeRange): string => `${r.start}-${r.end === '00:00' ? '24:00' : r.end}`;

/** What is wrong with the model, first problem first; empty when it can be saved. */
export function validate(m: HoursModel): HoursProblem[] {
  if (m.always) return [];
  const out: HoursProblem[] = [];
  if (m.groups.length === 0) out.push({ code: 'no_groups' });
  m.groups.forEach((g, gi) => {
    if (g.days.length === 0) out.push({ code: 'no_days', group: gi });
    if (g.allDay) return;
    if (g.ranges.length === 0) out.push({ code: 'no_ranges', group: gi });
    const spans: ([number, number] | null)[] = g.ranges.map((r, ri) => {
      const s = minutes(r.start);
      const e = minutes(r.end);
      if (Number.isNaN(s) || Number.isNaN(e)) {
        out.push({ code: 'bad_time', group: gi, range: ri });
        return null;
      }
      if (s === e) {
        out.push({ code: 'empty_range', group: gi, range: ri });
        return null;
      }
      return [s, e <= s ? e + 1440 : e];
    });
    for (let a = 0; a < spans.length; a++) {
      for (let b = a + 1; b < spans.length; b++) {
        const x = spans[a];
        const y = spans[b];
        if (x && y && Math.max(x[0], y[0]) < Math.min(x[1], y[1])) out.push({ code: 'overlap', group: gi, range: b, other: a });
      }
    }
  });
  return out;
}

/** The OSM string for a valid model (groups in weekday order, ranges by start time). */
export function toOsm(m: HoursModel): string {
  const ph = m.holidaysOff ? '; PH off' : '';
  if (m.always) return `24/7${ph}`;
  const rules = [...m.groups]
    .filter((g) => g.days.length > 0 && (g.allDay || g.ranges.length > 0))
    .sort((a, b) => DAYS.indexOf(sortDays(a.days)[0]!) - DAYS.indexOf(sortDays(b.days)[0]!))
    .map((g) => {
      if (g.allDay) return `${formatDays(g.days)} 00:00-24:00`;
      const ranges = [...g.ranges].sort((a, b) => minutes(a.start) - minutes(b.start)).map(formatRange);
      return `${formatDays(g.days)} ${ranges.join(',')}`;
    });
  return `${rules.join('; ')}${ph}`;
}

// ---- Reading a string back ------------------------------------------------------------------

const DAY_RE = /^(Mo|Tu|We|Th|Fr|Sa|Su)(?:-(Mo|Tu|We|Th|Fr|Sa|Su))?$/;
const RANGE_RE = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/;

/** "Mo-Fr,Su" → the days, in week order; null for anything else (also used by hoursWords). */
export function parseDays(text: string): Day[] | null {
  const out = new Set<Day>();
  for (const part of text.split(',')) {
    const m = DAY_RE.exec(part.trim());
    if (!m) return null;
    const from = DAYS.indexOf(m[1] as Day);
    const to = m[2] ? DAYS.indexOf(m[2] as Day) : from;
    // Fr-Mo wraps round the week.
    for (let i = from; ; i = (i + 1) % 7) {
      out.add(DAYS[i]!);
      if (i === to) break;
    }
  }
  return sortDays([...out]);
}

const hhmm = (min: number): string => `${String(Math.floor(min / 60)).padStart(2, '0')}:${String(min % 60).padStart(2, '0')}`;

const ALL_DAY = 'all day';

/** Time ranges, or ALL_DAY for a lone 00:00-24:00. */
function parseRanges(text: string): TimeRange[] | typeof ALL_DAY | null {
  const out: TimeRange[] = [];
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 1 && parts[0] === '00:00-24:00') return ALL_DAY;
  for (const part of parts) {
    const m = RANGE_RE.exec(part);
    if (!m) return null;
    const s = Number(m[1]) * 60 + Number(m[2]);
    const e = Number(m[3]) * 60 + Number(m[4]);
    if (Number(m[2]) > 59 || Number(m[4]) > 59 || s >= 1440 || e > 48 * 60 || e % 1440 === s) return null;
    // 24:00 and "extended" ends such as 26:00 (= 02:00 the next day) become times of day.
    out.push({ start: hhmm(s), end: hhmm(e % 1440) });
  }
  return out.sort((a, b) => minutes(a.start) - minutes(b.start));
}

const sameRanges = (a: TimeRange[] | typeof ALL_DAY, b: TimeRange[] | typeof ALL_DAY) =>
  a === b || (a !== ALL_DAY && b !== ALL_DAY && a.length === b.length && a.every((r, i) => r.start === b[i]!.start && r.end === b[i]!.end));

/**
 * The editor's model for an OSM string, or null when the string uses anything the editor
 * cannot show. Rules apply in order, a later rule replacing an earlier one for its days (as
 * OSM reads them); days with the same times are then grouped.
 */
export function fromOsm(osm: string): HoursModel | null {
  const rules = osm
    .split(';')
    .map((r) => r.trim().replace(/\s*,\s*/g, ',').replace(/\s+/g, ' '))
    .filter(Boolean);
  if (rules.length === 0) return null;
  let always = false;
  let holidaysOff = false;
  const perDay = new Map<Day, TimeRange[] | typeof ALL_DAY>();
  for (const rule of rules) {
    if (rule === '24/7') {
      if (perDay.size > 0 || always) return null;
      always = true;
      continue;
    }
    if (/^PH\s+(off|closed)$/.test(rule)) {
      holidaysOff = true;
      continue;
    }
    if (always) return null; // 24/7 then day rules: more than the switch can show
    const m = /^(?:([A-Za-z,-]+)\s+)?(.+)$/.exec(rule);
    if (!m) return null;
    const days = m[1] ? parseDays(m[1]) : [...DAYS];
    if (!days) return null;
    const rest = m[2]!.trim();
    const ranges = /^(off|closed)$/.test(rest) ? [] : parseRanges(rest);
    if (!ranges) return null;
    for (const d of days) perDay.set(d, ranges);
  }
  if (always) return { always: true, groups: [], holidaysOff };
  const found: { days: Day[]; ranges: TimeRange[] | typeof ALL_DAY }[] = [];
  for (const d of DAYS) {
    const ranges = perDay.get(d);
    if (!ranges || (ranges !== ALL_DAY && ranges.length === 0)) continue;
    const g = found.find((x) => sameRanges(x.ranges, ranges));
    if (g) g.days.push(d);
    else found.push({ days: [d], ranges });
  }
  if (found.length === 0) return null;
  // All day every day written out (Mo-Su 00:00-24:00) is the 24-hour switch.
  if (found.length === 1 && found[0]!.days.length === 7 && found[0]!.ranges === ALL_DAY) return { always: true, groups: [], holidaysOff };
  const groups = found.map((g) =>
    g.ranges === ALL_DAY ? { days: g.days, allDay: true, ranges: [{ start: '08:00', end: '20:00' }] } : { days: g.days, allDay: false, ranges: g.ranges },
  );
  return { always: false, groups, holidaysOff };
}

// ---- Editing steps (pure, so the screen only renders) ----------------------------------------

/** Chooses a day for group `gi`, taking it out of any other group (a day has one set of times). */
export function toggleDay(m: HoursModel, gi: number, day: Day): HoursModel {
  const on = m.groups[gi]?.days.includes(day) ?? false;
  return {
    ...m,
    groups: m.groups.map((g, i) =>
      i === gi ? { ...g, days: on ? g.days.filter((d) => d !== day) : sortDays([...g.days, day]) } : on ? g : { ...g, days: g.days.filter((d) => d !== day) },
    ),
  };
}

/** A new group for the days not chosen yet (none when every day is taken), 10:00–18:00. */
export function addGroup(m: HoursModel): HoursModel {
  const taken = new Set(m.groups.flatMap((g) => g.days));
  return { ...m, groups: [...m.groups, { days: DAYS.filter((d) => !taken.has(d)), allDay: false, ranges: [{ start: '10:00', end: '18:00' }] }] };
}

/** Days no group opens: closed. */
export const closedDays = (m: HoursModel): Day[] => (m.always ? [] : DAYS.filter((d) => !m.groups.some((g) => g.days.includes(d))));

// ---- In words -----------------------------------------------------------------------------

const WORDS = {
  'zh-CN': { days: ['周一', '周二', '周三', '周四', '周五', '周六', '周日'], to: '至', list: '、', sep: '；', always: '24 小时营业', allDay: '全天', next: '次日 ', ph: '法定节假日休息', closed: '休息' },
  en: { days: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'], to: '–', list: ', ', sep: '; ', always: 'Open 24 hours', allDay: 'all day', next: 'next day ', ph: 'closed on public holidays', closed: 'closed' },
};

/** Days in words: 周一至周五、周日 / Mon–Fri, Sun. */
export function describeDays(days: readonly Day[], locale: string): string {
  const w = WORDS[locale === 'en' ? 'en' : 'zh-CN'];
  return formatDays(days)
    .split(',')
    .map((part) => part.split('-').map((d) => w.days[DAYS.indexOf(d as Day)]).join(w.to))
    .join(w.list);
}

/** A range in words: 08:00–20:00, 22:00–次日 06:00. */
function describeRange(r: TimeRange, locale: string): string {
  const w = WORDS[locale === 'en' ? 'en' : 'zh-CN'];
  return `${r.start}–${crossesMidnight(r) ? w.next : ''}${r.end}`;
}

/** The whole model as one sentence: 周一至周五 08:00–20:00；周六、周日 10:00–18:00；法定节假日休息. */
export function describe(m: HoursModel, locale: string): string {
  const w = WORDS[locale === 'en' ? 'en' : 'zh-CN'];
  const parts = m.always
    ? [w.always]
    : [...m.groups]
        .filter((g) => g.days.length > 0)
        .sort((a, b) => DAYS.indexOf(sortDays(a.days)[0]!) - DAYS.indexOf(sortDays(b.days)[0]!))
        .map((g) => `${describeDays(g.days, locale)} ${g.allDay ? w.allDay : [...g.ranges].sort((a, b) => minutes(a.start) - minutes(b.start)).map((r) => describeRange(r, locale)).join(w.list)}`);
  const closed = closedDays(m);
  if (!m.always && closed.length > 0 && parts.length > 0) parts.push(`${describeDays(closed, locale)} ${w.closed}`);
  if (m.holidaysOff) parts.push(w.ph);
  return parts.join(w.sep);
}
