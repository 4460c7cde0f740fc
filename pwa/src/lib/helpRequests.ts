// Help requests (诉求) without the UI: categories, urgency and its deadlines, statuses, the
// actions each side may take, countdowns and the order of the handlers' queue.

export const CATEGORIES = [
  'medical',
  'traffic_accident',
  'vehicle_breakdown',
  'wage_arrears',
  'customer_dispute',
  'platform_dispute',
  'legal_consult',
  'psychological',
  'housing',
  'children_education',
  'hazard_report',
  'suggestion',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export const URGENCIES = ['normal', 'urgent', 'sos'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** Still waiting for someone to act. */
export const OPEN_STATUSES: readonly string[] = ['submitted', 'accepted', 'in_progress', 'reopened'];
export const isOpen = (status: string): boolean => OPEN_STATUSES.includes(status);

/** Minutes to accept and to resolve, as promised to the rider (DESIGN §4). */
export const SLA_MINUTES: Record<Urgency, { accept: number; resolve: number }> = {
  sos: { accept: 30, resolve: 24 * 60 },
  urgent: { accept: 2 * 60, resolve: 3 * 24 * 60 },
  normal: { accept: 24 * 60, resolve: 7 * 24 * 60 },
};

export const DESCRIPTION_MAX = 2000;

/** The order the handlers' buttons appear in. */
export const HANDLER_ACTIONS = ['accept', 'start', 'resolve', 'escalate', 'reject'] as const;
export type HandlerAction = (typeof HANDLER_ACTIONS)[number];

export const handlerActions = (allowed: readonly string[]): HandlerAction[] => HANDLER_ACTIONS.filter((a) => allowed.includes(a));
/** The server refuses these without a note (a reason the rider will read). */
export const needsNote = (action: string): boolean => action === 'reject';

/** Reopening is offered while the server allows it and the window has not closed. */
export function canReopen(r: { allowed_actions: readonly string[]; reopen_until?: string | null }, now: number): boolean {
  if (!r.allowed_actions.includes('reopen')) return false;
  if (!r.reopen_until) return true;
  const until = Date.parse(r.reopen_until);
  return Number.isNaN(until) || until > now;
}

/** The rider may rate (rating closes it): the server lists `feedback` among the allowed actions. */
export const canRate = (r: { allowed_actions: readonly string[] }): boolean => r.allowed_actions.includes('feedback');

/** Coarse location: 3 decimals (about 100 m), so no exact spot is ever sent or stored. */
export const coarse = (deg: number): number => Math.round(deg * 1000) / 1000;

export interface Deadlines {
  status: string;
  due_at?: string | null;
  accept_due_at?: string | null;
  resolve_due_at?: string | null;
}

/** Waiting for a handler to take it: the accept deadline runs (else the resolve deadline). */
export const awaitsAccept = (status: string): boolean => status === 'submitted' || status === 'reopened';

/** The deadline that matters now: to accept while waiting, to resolve while being handled. */
export function currentDue(r: Deadlines): string | null {
  if (!isOpen(r.status)) return null;
  if (r.due_at) return r.due_at;
  return (awaitsAccept(r.status) ? r.accept_due_at : r.resolve_due_at) ?? null;
}

export interface Countdown {
  overdue: boolean;
  days: number;
  hours: number;
  minutes: number;
}

/** Time left until `due` (or past it), in whole minutes rounded towards the safe side. */
export function countdown(due: string, now: number): Countdown | null {
  const at = Date.parse(due);
  if (Number.isNaN(at)) return null;
  const diff = at - now;
  const overdue = diff < 0;
  // Left: round down (never promise more time than there is); late: round up.
  const total = overdue ? Math.ceil(-diff / 60_000) : Math.floor(diff / 60_000);
  return { overdue, days: Math.floor(total / 1440), hours: Math.floor((total % 1440) / 60), minutes: total % 60 };
}

/** "2 天 3 小时" / "1 小时 5 分钟" / "12 分钟" — the two largest units that are not zero. */
export function formatSpan(c: Pick<Countdown, 'days' | 'hours' | 'minutes'>, locale: string): string {
  const en = locale === 'en';
  const parts: string[] = [];
  if (c.days > 0) parts.push(en ? `${c.days} d` : `${c.days} 天`);
  if (c.hours > 0) parts.push(en ? `${c.hours} h` : `${c.hours} 小时`);
  if (c.days === 0 && (c.minutes > 0 || parts.length === 0)) parts.push(en ? `${c.minutes} min` : `${c.minutes} 分钟`);
  return parts.slice(0, 2).join(' ');
}

/** A span of minutes for the SLA promise: "30 分钟" / "2 小时" / "3 天". */
export function formatMinutes(min: number, locale: string): string {
  return formatSpan({ days: Math.floor(min / 1440), hours: Math.floor((min % 1440) / 60), minutes: min % 60 }, locale);
}

interface Queued extends Deadlines {
  id: string;
  urgency?: string;
  overdue?: boolean;
  updated_at: string;
}

const URGENCY_RANK: Record<string, number> = { sos: 0, urgent: 1, normal: 2 };

/**
 * The handlers' order: open requests first, soonest deadline first (overdue at the top);
 * without a deadline after those, SOS before urgent before normal; finished ones last,
 * most recently changed first.
 */
export function sortQueue<T extends Queued>(items: readonly T[]): T[] {
  const dueOf = (r: T) => {
    const d = currentDue(r);
    const at = d ? Date.parse(d) : NaN;
    return Number.isNaN(at) ? Infinity : at;
  };
  return [...items].sort((a, b) => {
    const oa = isOpen(a.status) ? 0 : 1;
    const ob = isOpen(b.status) ? 0 : 1;
    if (oa !== ob) return oa - ob;
    if (oa === 0) {
      const d = dueOf(a) - dueOf(b);
      if (d !== 0 && !Number.isNaN(d)) return d;
      const u = (URGENCY_RANK[a.urgency ?? ''] ?? 3) - (URGENCY_RANK[b.urgency ?? ''] ?? 3);
      if (u !== 0) return u;
    }
    return Date.parse(b.updated_at) - Date.parse(a.updated_at) || a.id.localeCompare(b.id);
  });
}

/** Overdue by the server's word, or by the clock since it answered. */
export function isOverdue(r: Deadlines & { overdue?: boolean }, now: number): boolean {
  if (!isOpen(r.status)) return false;
  if (r.overdue) return true;
  const due = currentDue(r);
  return !!due && Date.parse(due) < now;
}

/** A fresh Idempotency-Key (crypto.randomUUID where the browser has it). */
export function newIdempotencyKey(): string {
  const c = globalThis.crypto as Crypto | undefined;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = new Uint8Array(16);
  if (c?.getRandomValues) c.getRandomValues(bytes);
  else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A moment for people, in Shanghai time: 3月5日 20:00 / 5 Mar 20:00 (composed from parts, so
 * every browser writes it the same way). */
export function formatWhen(iso: string, locale: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-GB', {
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: 'Asia/Shanghai',
  }).formatToParts(d);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const month = Number(new Intl.DateTimeFormat('en-GB', { month: 'numeric', timeZone: 'Asia/Shanghai' }).format(d));
  const time = `${get('hour')}:${get('minute')}`;
  return locale === 'en' ? `${get('day')} ${get('month')} ${time}` : `${month}月${get('day')}日 ${time}`;
}
