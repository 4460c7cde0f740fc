// The coverage map's colours: minutes to the nearest station, green inside the service circle
// (darker = closer), orange to red beyond it, dark red where no station is within 20 km.

type Rgb = [number, number, number];

const NEAR: Rgb = [0x1b, 0x7f, 0x3b];
const EDGE: Rgb = [0x9c, 0xcc, 0x65];
const OVER: Rgb = [0xf5, 0x9e, 0x0b];
const FAR: Rgb = [0xdc, 0x26, 0x26];
export const NO_STATION = '#7f1d1d';

const hex = (c: Rgb) => `#${c.map((x) => Math.round(x).toString(16).padStart(2, '0')).join('')}`;
const mix = (a: Rgb, b: Rgb, t: number): Rgb => [0, 1, 2].map((i) => a[i]! + (b[i]! - a[i]!) * t) as Rgb;
const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** Fill colour of a cell `minutes` from its nearest station, for a circle of `limit` minutes. */
export function minutesColour(minutes: number | null | undefined, limit: number): string {
  if (minutes === null || minutes === undefined || !Number.isFinite(minutes)) return NO_STATION;
  const l = Math.max(1, limit);
  if (minutes <= l) return hex(mix(NEAR, EDGE, clamp01(minutes / l)));
  return hex(mix(OVER, FAR, clamp01((minutes - l) / l)));
}

export type Band = 'within' | 'over' | 'none';

export const bandOf = (minutes: number | null | undefined, limit: number): Band =>
  minutes === null || minutes === undefined || !Number.isFinite(minutes) ? 'none' : minutes <= limit ? 'within' : 'over';

/** The legend: sample minutes and their colour, from 0 to twice the limit, then "none". */
export function legendStops(limit: number): { minutes: number | null; colour: string }[] {
  const points = [0, limit / 2, limit, limit * 1.5, limit * 2].map((m) => Math.round(m));
  return [...points.map((m) => ({ minutes: m, colour: minutesColour(m, limit) })), { minutes: null, colour: NO_STATION }];
}
