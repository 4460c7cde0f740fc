// Check-ins that survive a dead signal: every check-in goes through an outbox (the help
// outbox's machinery, lib/outbox.ts) so one typed or scanned in a basement is kept with its
// station and code and sent when the network returns. The check-in endpoint takes no
// Idempotency-Key; a resend is still harmless: the server replays a rider's check-in at the
// same station within 30 minutes and pays visit points once per station per day.
import type { Problem } from '../api/problem';
import { createOutbox, type Outbox, type OutboxItem, type SendResult } from './outbox';
import type { KeyValueStore } from './storage';

export interface QueuedCheckIn {
  stationId: string;
  code: string;
  /** The name shown while it waits (the station's, in the language of the moment). */
  stationName?: string | null;
}

/** What a sent check-in earned, kept from the server's answer. */
export interface CheckInOutcome {
  points: number;
  createdAt: string;
}

export interface CheckInAnswer {
  id: string;
  replay: boolean;
  points_awarded: number;
  created_at: string;
}

export type CheckInSend = (
  stationId: string,
  code: string,
) => Promise<{ ok: true; data: CheckInAnswer } | { ok: false; problem: Problem }>;

export interface CheckinOutboxOptions {
  store: KeyValueStore;
  userId: string;
  send: CheckInSend;
  /** Who is signed in now: another account's queue waits for its owner. */
  currentUser(): string | null;
  isOnline?: () => boolean;
  now?: () => number;
}

export const checkinStorageKey = (userId: string) => `warmnew.checkin.outbox.${userId}`;

const notOwner: Problem = { status: 401, code: 'unauthorized', title: '', errors: [] };

export function createCheckinOutbox(o: CheckinOutboxOptions): Outbox<QueuedCheckIn> {
  return createOutbox<QueuedCheckIn>({
    store: o.store,
    storageKey: checkinStorageKey(o.userId),
    isOnline: o.isOnline,
    now: o.now,
    async send(item): Promise<SendResult> {
      if (o.currentUser() !== o.userId) return { ok: false, problem: notOwner };
      const r = await o.send(item.body.stationId, item.body.code);
      if (!r.ok) return r;
      const payload: CheckInOutcome = { points: r.data.points_awarded, createdAt: r.data.created_at };
      return { ok: true, id: r.data.id, replayed: r.data.replay, payload };
    },
  });
}

/**
 * Queues a check-in and returns its key. A check-in at the same station still waiting (or
 * being sent) is not queued twice: tapping again in a basement must not make two.
 */
export function enqueueCheckIn(box: Outbox<QueuedCheckIn>, body: QueuedCheckIn, key: string = newKey()): string {
  const waiting = box.items().find((x) => x.body.stationId === body.stationId && (x.state === 'queued' || x.state === 'sending'));
  if (waiting) return waiting.key;
  box.add(key, body);
  return key;
}

export function newKey(): string {
  const c = globalThis.crypto as Crypto | undefined;
  return c?.randomUUID ? c.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export const outcomeOf = (item: OutboxItem<QueuedCheckIn>): CheckInOutcome | null => {
  const p = item.payload as Partial<CheckInOutcome> | undefined;
  return p && typeof p.points === 'number' ? { points: p.points, createdAt: String(p.createdAt ?? '') } : null;
};

/** What the rider sees of one entry. */
export type CheckInView =
  | { kind: 'queued' }
  | { kind: 'sending' }
  | { kind: 'done'; points: number; createdAt: string | null }
  | { kind: 'failed'; problem: Problem | null };

export function viewOf(item: OutboxItem<QueuedCheckIn>): CheckInView {
  switch (item.state) {
    case 'queued':
      return { kind: 'queued' };
    case 'sending':
      return { kind: 'sending' };
    case 'sent': {
      const out = outcomeOf(item);
      return { kind: 'done', points: out?.points ?? 0, createdAt: out?.createdAt || null };
    }
    case 'failed':
      return { kind: 'failed', problem: item.problem ?? null };
  }
}

/** How long a sent check-in stays in view: at its station's detail, today's visit; at the top
 * of the list only a few minutes, so the list comes back up. Waiting and failed ones stay. */
export const DONE_SHOWN_MS = { station: 12 * 60 * 60 * 1000, list: 10 * 60 * 1000 };

/** The entries worth showing, newest first. */
export function shownCheckIns(
  items: readonly OutboxItem<QueuedCheckIn>[],
  now: number,
  stationId?: string,
  doneForMs: number = DONE_SHOWN_MS.station,
): OutboxItem<QueuedCheckIn>[] {
  return items
    .filter((x) => !stationId || x.body.stationId === stationId)
    .filter((x) => x.state !== 'sent' || now - (x.sentAt ?? 0) < doneForMs)
    .slice()
    .sort((a, b) => b.createdAt - a.createdAt);
}
