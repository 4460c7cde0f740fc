// Today's counters on the service buttons: the server's day summary plus what this phone
// knows and the summary cannot yet (entries not sent, or sent after it was asked for, and
// undos not yet counted there).
import type { LogEntry } from './logStore';

export interface SummaryLike {
  date: string;
  services: readonly { service_type: string; quantity: number }[];
}

/** YYYY-MM-DD of a moment in Shanghai (the station's day). */
export function shanghaiDay(at: Date | number): string {
  return new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: 'Asia/Shanghai' }).format(at);
}

/**
 * Quantity per service type for `today` at `stationId`. `summaryAt` is when the summary was
 * asked for (epoch ms): an entry whose 201 came before that is in it.
 */
export function todayCounts(summary: SummaryLike | null, summaryAt: number | null, entries: readonly LogEntry[], stationId: string, today: string): Map<string, number> {
  const fresh = summary && summary.date === today && summaryAt !== null ? summary : null;
  const out = new Map<string, number>();
  const add = (type: string, n: number) => out.set(type, (out.get(type) ?? 0) + n);
  for (const s of fresh?.services ?? []) add(s.service_type, s.quantity);
  for (const e of entries) {
    if (e.stationId !== stationId || e.failed) continue;
    if (shanghaiDay(new Date(e.body.occurred_at)) !== today) continue;
    const q = e.body.quantity;
    // What the server will hold once everything is through: taken back unless the void failed.
    const stays = !e.undo || !!e.voidFailed;
    const inSummary = !!fresh && e.sentAt !== undefined && e.sentAt <= summaryAt!;
    if (!inSummary) {
      if (stays) add(e.body.service_type, q);
      continue;
    }
    const voidInSummary = e.voidedAt !== undefined && e.voidedAt <= summaryAt!;
    if (!stays && !voidInSummary) add(e.body.service_type, -q);
  }
  for (const [k, v] of out) if (v < 0) out.set(k, 0);
  return out;
}

/** Entries still to reach the server. */
export const pendingEntries = (entries: readonly LogEntry[]): LogEntry[] => entries.filter((e) => !e.sentAt && !e.failed && !e.undo);
