// The dashboard's date range: whole days in Shanghai, inclusive, as the server counts them;
// presets (last 7 / 30 / 90 days up to today) or a custom pair checked before asking.

export const PRESETS = [7, 30, 90] as const;
export type Preset = (typeof PRESETS)[number];
export const MAX_DAYS = 366;

export interface DayRange {
  from: string;
  to: string;
}

/** Today's date in Shanghai, YYYY-MM-DD. */
export function todayInShanghai(now: Date = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

function toUtc(day: string): number | null {
  if (!DAY_RE.test(day)) return null;
  const t = Date.parse(`${day}T00:00:00Z`);
  // 2026-02-30 parses to March: not a day.
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== day ? null : t;
}

export function addDays(day: string, n: number): string {
  const t = toUtc(day);
  if (t === null) return day;
  return new Date(t + n * 86_400_000).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both counted; 0 when either is not a date. */
export function daysIn(r: DayRange): number {
  const a = toUtc(r.from);
  const b = toUtc(r.to);
  return a === null || b === null ? 0 : Math.round((b - a) / 86_400_000) + 1;
}

/** The period of equal length just before `r` (what the changes compare with). */
export function previousRange(r: DayRange): DayRange {
  const n = daysIn(r);
  return { from: addDays(r.from, -n), to: addDays(r.from, -1) };
}

/** The last `days` days up to and including today. */
export function presetRange(days: number, now: Date = new Date()): DayRange {
  const to = todayInShanghai(now);
  return { from: addDays(to, -(days - 1)), to };
}

/** The preset a range is, if any. */
export function presetOf(r: DayRange, now: Date = new Date()): Preset | null {
  return PRESETS.find((d) => {
    const p = presetRange(d, now);
    return p.from === r.from && p.to === r.to;
  }) ?? null;
}

export type RangeError = 'missing' | 'invalid' | 'order' | 'too_long' | 'future';

/** Why a custom range cannot be asked for, or null when it can. */
export function checkRange(r: DayRange, now: Date = new Date()): RangeError | null {
  if (!r.from || !r.to) return 'missing';
  if (toUtc(r.from) === null || toUtc(r.to) === null) return 'invalid';
  if (r.from > r.to) return 'order';
  if (daysIn(r) > MAX_DAYS) return 'too_long';
  if (r.to > todayInShanghai(now)) return 'future';
  return null;
}

/** Whether hourly buckets can be asked for (the server allows them up to 7 days). */
export const hourlyAllowed = (r: DayRange): boolean => daysIn(r) > 0 && daysIn(r) <= 7;
