// How the dashboard writes its numbers: counts, rates as %, medians in minutes, and the change
// against the previous period as an arrow with a percentage (counts) or percentage points
// (rates). "—" wherever there is nothing to show: a suppressed count (fewer than 5 riders) or
// no previous period to compare with.
import type { Locale } from '../i18n';

export const DASH = '—';

const tag = (locale: Locale) => (locale === 'en' ? 'en-GB' : 'zh-CN');

/** 1234 → "1,234"; null (suppressed) → "—". */
export function formatCount(n: number | null | undefined, locale: Locale): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return DASH;
  return new Intl.NumberFormat(tag(locale), { maximumFractionDigits: 0 }).format(n);
}

/** A 0–1 rate as a percentage with one decimal: 0.5909 → "59.1%"; null → "—". */
export function formatRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return DASH;
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** Minutes as a number to read: 90 → "90", 12.25 → "12.3", 1440 → "1,440"; null → "—". */
export function formatMinutes(m: number | null | undefined, locale: Locale): string {
  if (m === null || m === undefined || !Number.isFinite(m)) return DASH;
  return new Intl.NumberFormat(tag(locale), { maximumFractionDigits: 1 }).format(m);
}

export type Direction = 'up' | 'down' | 'flat' | 'none';

export interface Change {
  direction: Direction;
  /** "↑ 12.5%", "↓ 3.0 pt" (the unit is the caller's), "→ 0%", or "—". */
  arrow: string;
  /** The size without arrow or unit: "12.5", or "" when there is none. */
  amount: string;
}

const ARROWS: Record<Exclude<Direction, 'none'>, string> = { up: '↑', down: '↓', flat: '→' };

function change(delta: number | null | undefined, unit: string): Change {
  if (delta === null || delta === undefined || !Number.isFinite(delta)) return { direction: 'none', arrow: DASH, amount: '' };
  const tenths = Math.round(Math.abs(delta) * 1000) / 10;
  const direction: Direction = tenths === 0 ? 'flat' : delta > 0 ? 'up' : 'down';
  const amount = tenths === 0 ? '0' : tenths.toFixed(1);
  return { direction, arrow: `${ARROWS[direction]} ${amount}${unit}`, amount };
}

/** A count's change, `(value − previous) / previous` as the server sends it: 0.125 → "↑ 12.5%". */
export const countChange = (ratio: number | null | undefined): Change => change(ratio, '%');

/** A rate's change in rate points (0.032 → "↑ 3.2" + `unit`, e.g. " 个百分点" / " pts"). */
export const rateChange = (points: number | null | undefined, unit: string): Change => change(points, unit);

export type Tone = 'good' | 'bad' | 'neutral';

/** Whether a change is good news: more check-ins are, a higher SLA breach rate is not. */
export function toneOf(direction: Direction, better: 'up' | 'down'): Tone {
  if (direction === 'up' || direction === 'down') return direction === better ? 'good' : 'bad';
  return 'neutral';
}

/** A time bucket's label in Shanghai time: day "12月3日" / "3 Dec", hour "12月3日 14:00",
 * week "12月1日起" / "w/c 1 Dec". */
export function bucketLabel(startIso: string, interval: 'day' | 'week' | 'hour', locale: Locale): string {
  const d = new Date(startIso);
  if (Number.isNaN(d.getTime())) return startIso;
  const day = new Intl.DateTimeFormat(tag(locale), { month: locale === 'en' ? 'short' : 'long', day: 'numeric', timeZone: 'Asia/Shanghai' }).format(d);
  if (interval === 'hour') {
    const hm = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Asia/Shanghai' }).format(d);
    return `${day} ${hm}`;
  }
  if (interval === 'week') return locale === 'en' ? `w/c ${day}` : `${day}起`;
  return day;
}
