// Points (积分) for people: signed amounts, the code's countdown, stock and prices, the
// offline copy of the balance, and reading a rider's code typed or scanned at the counter.
import type { Locale, MessageKey } from '../i18n';
import type { PointsEntry, PointsReason, Reward } from '../api/points';
import { readJson, writeJson, type KeyValueStore } from './storage';

const MINUS = '\u2212';

/** +20 / −50 / 0, with thousands grouped (1,200). */
export function signedPoints(delta: number): string {
  const abs = Math.abs(Math.trunc(delta)).toLocaleString('en-US');
  if (delta > 0) return `+${abs}`;
  if (delta < 0) return `${MINUS}${abs}`;
  return '0';
}

/** 1200 → "1,200" (the same in both languages). */
export const groupedNumber = (n: number): string => Math.trunc(n).toLocaleString('en-US');

/** 123456 → "123 456": easier to read aloud and to type. */
export function groupCode(code: string): string {
  return code.length === 6 ? `${code.slice(0, 3)} ${code.slice(3)}` : code;
}

export interface Countdown {
  /** Whole seconds left, rounded up (0 once expired). */
  seconds: number;
  /** m:ss */
  label: string;
  expired: boolean;
  /** 1 at the start of `totalSeconds`, 0 at the end. */
  fraction: number;
}

export function countdown(expiresAt: string, nowMs: number, totalSeconds = 300): Countdown {
  const end = Date.parse(expiresAt);
  // Never more than the full time: the clocks agree to about a second, not better.
  const left = Number.isNaN(end) ? 0 : Math.min(totalSeconds, Math.max(0, Math.ceil((end - nowMs) / 1000)));
  const m = Math.floor(left / 60);
  const s = left % 60;
  return {
    seconds: left,
    label: `${m}:${String(s).padStart(2, '0')}`,
    expired: left === 0,
    fraction: Math.max(0, Math.min(1, left / totalSeconds)),
  };
}

/**
 * When a code expires by this phone's clock. A rider's phone clock may be minutes off: the
 * time left is taken from the server (its `Date` header against `expires_at`) and counted
 * from when the answer arrived here. Without a usable header, `expires_at` as it is.
 */
export function localExpiry(expiresAt: string, serverDate: string | null, receivedAt: number): number {
  const end = Date.parse(expiresAt);
  const server = serverDate ? Date.parse(serverDate) : NaN;
  if (Number.isNaN(end)) return receivedAt;
  if (Number.isNaN(server) || end < server) return end;
  return receivedAt + (end - server);
}

const REASON_KEYS: Record<PointsReason, MessageKey> = {
  lesson: 'pt_reason_lesson',
  check_in: 'pt_reason_check_in',
  hazard_report: 'pt_reason_hazard_report',
  redemption: 'pt_reason_redemption',
};

export const reasonKey = (reason: string): MessageKey => (REASON_KEYS as Record<string, MessageKey>)[reason] ?? 'pt_reason_other';

export function rewardName(r: Pick<Reward, 'name' | 'name_en'>, locale: Locale): string {
  return locale === 'en' && r.name_en ? r.name_en : r.name;
}

export type Stock = { kind: 'unlimited' } | { kind: 'out' } | { kind: 'few'; n: number } | { kind: 'some'; n: number };

/** No stock number means the reward does not run out; 5 or fewer is "only N left". */
export function stockOf(r: Pick<Reward, 'stock'>): Stock {
  if (r.stock === null || r.stock === undefined) return { kind: 'unlimited' };
  if (r.stock <= 0) return { kind: 'out' };
  if (r.stock <= 5) return { kind: 'few', n: r.stock };
  return { kind: 'some', n: r.stock };
}

/** How many more points the rider needs for this reward (0: affordable). */
export const shortfall = (balance: number, cost: number): number => Math.max(0, cost - balance);

/** Rewards the rider can take now first (cheapest first), then the rest by cost; inactive ones dropped. */
export function sortRewards<R extends Pick<Reward, 'cost' | 'stock' | 'active'>>(items: R[], balance: number | null): R[] {
  const usable = (r: R) => stockOf(r).kind !== 'out' && (balance === null || r.cost <= balance);
  return items
    .filter((r) => r.active)
    .slice()
    .sort((a, b) => Number(usable(b)) - Number(usable(a)) || a.cost - b.cost);
}

// ---- The rider's code, at the counter --------------------------------------------------

/** Keeps the digits only (spaces and dashes typed or pasted), at most 6. */
export const normalizeRedeemCode = (input: string): string => input.replace(/\D/g, '').slice(0, 6);

export const isValidRedeemCode = (code: string): boolean => /^\d{6}$/.test(code);

/** Reads a scanned QR: a bare code, or a link/text carrying exactly one 6-digit code. */
export function parseRedeemPayload(text: string): string | null {
  const raw = text.trim();
  if (/^\d{3}[\s-]?\d{3}$/.test(raw)) return raw.replace(/\D/g, '');
  try {
    const url = new URL(raw);
    const q = url.searchParams.get('code');
    if (q && isValidRedeemCode(q)) return q;
  } catch {
    /* not a link */
  }
  const runs = [...raw.matchAll(/(?:^|\D)(\d{6})(?=\D|$)/g)].map((m) => m[1]!);
  return runs.length === 1 ? runs[0]! : null;
}

const REDEEM_PROBLEMS: Record<string, MessageKey> = {
  not_found: 'pt_err_not_found',
  redemption_code_used: 'pt_err_used',
  redemption_code_expired: 'pt_err_expired',
  insufficient_points: 'pt_err_insufficient',
  out_of_stock: 'pt_err_out_of_stock',
};

/** Our sentence for a refused redemption, or null for the general problem messages. */
export const redeemProblemKey = (code: string): MessageKey | null => REDEEM_PROBLEMS[code] ?? null;

/** 2026-03 for a moment, in Shanghai time (the star-rider month). */
export function shanghaiMonth(now: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', timeZone: 'Asia/Shanghai' }).formatToParts(now);
  const y = parts.find((p) => p.type === 'year')?.value ?? '1970';
  const m = parts.find((p) => p.type === 'month')?.value ?? '01';
  return `${y}-${m}`;
}

// ---- The offline copy of the balance and the latest history ------------------------------

const POINTS_KEY = (owner: string) => `warmnew.points.${owner}`;

export interface PointsSnapshot {
  savedAt: number;
  balance: number;
  items: PointsEntry[];
  total: number;
}

/** Full storage: no offline copy then. */
export function savePoints(store: KeyValueStore, owner: string, snap: PointsSnapshot): void {
  writeJson(store, POINTS_KEY(owner), snap);
}

export function loadPoints(store: KeyValueStore, owner: string): PointsSnapshot | null {
  const s = readJson<PointsSnapshot>(store, POINTS_KEY(owner));
  return s && typeof s.balance === 'number' && Array.isArray(s.items) && typeof s.savedAt === 'number' ? s : null;
}

/** Pages fetched one after another, with no entry twice (a new entry shifts the pages). */
export function mergeEntries(have: PointsEntry[], more: PointsEntry[]): PointsEntry[] {
  const seen = new Set(have.map((e) => e.id));
  return [...have, ...more.filter((e) => !seen.has(e.id))];
}

/** An SVG the server made (a QR code) as an image source: shown as an image, never run. */
export const svgDataUrl = (svg: string): string => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

const REWARDS_KEY = 'warmnew.rewards';

/** Full storage: no offline copy then. */
export function saveRewards(store: KeyValueStore, items: Reward[], now = Date.now()): void {
  writeJson(store, REWARDS_KEY, { savedAt: now, items });
}

export function loadRewards(store: KeyValueStore): { savedAt: number; items: Reward[] } | null {
  const s = readJson<{ savedAt: number; items: Reward[] }>(store, REWARDS_KEY);
  return s && Array.isArray(s.items) && typeof s.savedAt === 'number' ? s : null;
}
