// The outbox of logged services: every tap is kept (IndexedDB) until the server has it, even
// with no signal for days. Entries go out in batches; a batch's Idempotency-Key and body are
// fixed when it is formed, so a resend after a dropped connection is the same request and the
// server replays its answer instead of logging twice. Undo drops an unsent entry, or voids a
// sent one on the server. Only one tab sends at a time (Web Locks where the browser has them).
import { networkProblem, type FieldError, type Problem } from '../api/problem';
import type { NewServiceLog } from '../api/serviceLogs';
import { newIdempotencyKey } from './helpRequests';
import type { LogEntry, LogStore } from './logStore';
import { isRetryable } from './outbox';

export const MAX_BATCH = 200;
/** Sent entries are kept this long (for today's counters), then forgotten. */
const SENT_KEEP_MS = 36 * 60 * 60 * 1000;

export type BatchResult = { ok: true; ids: string[] } | { ok: false; problem: Problem };
export type VoidResult = { ok: true } | { ok: false; problem: Problem };

export interface ServiceOutboxOptions {
  owner: string;
  store: LogStore | Promise<LogStore>;
  send(stationId: string, entries: NewServiceLog[], key: string): Promise<BatchResult>;
  voidLog(stationId: string, serverId: string, reason: string): Promise<VoidResult>;
  isOnline?: () => boolean;
  now?: () => number;
  newId?: () => string;
  /** Runs `fn` while no other tab syncs the same outbox. */
  lock?: <T>(name: string, fn: () => Promise<T>) => Promise<T>;
}

export interface SyncState {
  syncing: boolean;
  /** Why the last sync stopped early (network, server down); cleared by the next success. */
  problem: Problem | null;
}

export interface ServiceOutbox {
  /** This operator's entries, as last read. */
  entries(): LogEntry[];
  sync(): SyncState;
  /** Keeps a new entry and starts sending it. */
  log(stationId: string, body: NewServiceLog & { quantity: number }): Promise<LogEntry>;
  /** Takes an entry back (`reason` goes to the server when it must be voided there). */
  undo(id: string, reason: string): Promise<void>;
  /** Forgets an entry the server refused. */
  discard(id: string): Promise<void>;
  /** Sends what waits; resolves with how many entries reached the server. Calls during a run join it. */
  flush(): Promise<number>;
  subscribe(listener: () => void): () => void;
}

/** `[3].quantity` → 3 (the batch is always sent as an array). */
export function entryIndex(field: string): number | null {
  const m = /^\[(\d+)\]/.exec(field);
  return m ? Number(m[1]) : null;
}

function localLock(): <T>(name: string, fn: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (_name, fn) => {
    const run = tail.then(fn, fn);
    tail = run.catch(() => {});
    return run;
  };
}

type LockManagerLike = { request<T>(name: string, fn: () => Promise<T>): Promise<T> };

/** Web Locks (shared by the tabs of this origin) or, without them, a lock for this page only. */
function defaultLock(): <T>(name: string, fn: () => Promise<T>) => Promise<T> {
  const locks = (globalThis.navigator as { locks?: LockManagerLike } | undefined)?.locks;
  if (locks && typeof locks.request === 'function') return (name, fn) => locks.request(name, fn);
  return localLock();
}

export function createServiceOutbox(o: ServiceOutboxOptions): ServiceOutbox {
  const now = o.now ?? Date.now;
  const online = o.isOnline ?? (() => (typeof navigator === 'undefined' ? true : navigator.onLine));
  const newId = o.newId ?? newIdempotencyKey;
  const lock = o.lock ?? defaultLock();
  const lockName = `warmnew-service-logs-${o.owner}`;
  const storeP = Promise.resolve(o.store);
  const listeners = new Set<() => void>();
  let snapshot: LogEntry[] = [];
  let state: SyncState = { syncing: false, problem: null };
  let running: Promise<number> | null = null;
  let again = false;

  const notify = () => listeners.forEach((l) => l());
  const refresh = async () => {
    snapshot = (await (await storeP).all()).sort((a, b) => a.createdAt - b.createdAt);
    notify();
  };
  const update = async (fn: Parameters<LogStore['update']>[0]) => {
    await (await storeP).update(fn);
    await refresh();
  };
  const setState = (s: Partial<SyncState>) => {
    state = { ...state, ...s };
    notify();
  };

  /** Forms the next batch from entries in no batch yet (one station, oldest first); its key. */
  async function nextBatch(): Promise<string | null> {
    const formed = snapshot.find((e) => e.batch && !e.sentAt && !e.failed);
    if (formed) return formed.batch!.key;
    const key = newId();
    let made = false;
    await update((entries) => {
      const free = entries.filter((e) => !e.batch && !e.sentAt && !e.failed && !e.undo).sort((a, b) => a.createdAt - b.createdAt);
      const station = free[0]?.stationId;
      const chosen = free.filter((e) => e.stationId === station).slice(0, MAX_BATCH);
      made = chosen.length > 0;
      return { put: chosen.map((e, index) => ({ ...e, batch: { key, index } })) };
    });
    return made ? key : null;
  }

  /** Sends one formed batch; 'stop' when the network or server is not there. */
  async function sendBatch(key: string): Promise<'next' | 'stop'> {
    const members = snapshot.filter((e) => e.batch?.key === key && !e.sentAt && !e.failed).sort((a, b) => a.batch!.index - b.batch!.index);
    if (members.length === 0) return 'next';
    let r: BatchResult;
    try {
      r = await o.send(members[0]!.stationId, members.map((e) => e.body), key);
    } catch {
      r = { ok: false, problem: networkProblem() };
    }
    const inBatch = (e: LogEntry) => e.batch?.key === key && !e.sentAt;
    if (r.ok) {
      const ids = r.ids;
      const at = now();
      await update((entries) => ({ put: entries.filter(inBatch).map((e) => ({ ...e, sentAt: at, serverId: ids[e.batch!.index] })) }));
      setState({ problem: null });
      return 'next';
    }
    const p = r.problem;
    if (p.status === 409 && p.code === 'idempotency_key_mismatch') {
      // The server holds another body under this key, so ours was never stored: form anew.
      await update((entries) => ({ put: entries.filter(inBatch).map(({ batch: _b, ...e }) => e) }));
      return 'next';
    }
    // Another 409 is a request with this key still in flight: try again later. (A station
    // closed for good is refused for ever, once the server names it so.)
    if (isRetryable(p) || (p.status === 409 && p.code !== 'station_closed')) {
      setState({ problem: p });
      return 'stop';
    }
    // Refused: all or nothing. The entries the errors name are kept as failed; the rest go in
    // a new batch (a new key, as the body changes).
    const named = new Map<number, FieldError[]>();
    for (const e of p.errors) {
      const i = entryIndex(e.field);
      if (i !== null) named.set(i, [...(named.get(i) ?? []), { ...e, field: e.field.replace(/^\[\d+\]\.?/, '') }]);
    }
    await update((entries) => ({
      put: entries.filter(inBatch).map((e) => {
        const i = e.batch!.index;
        if (p.status === 422 && named.size > 0) {
          const errs = named.get(i);
          if (!errs) {
            const { batch: _b, ...rest } = e;
            return rest;
          }
          return { ...e, failed: { ...p, errors: errs } };
        }
        return { ...e, failed: p };
      }),
    }));
    return 'next';
  }

  async function sendVoids(): Promise<'next' | 'stop'> {
    for (const e of snapshot.filter((x) => x.sentAt && x.serverId && x.undo && !x.voidedAt && !x.voidFailed)) {
      let r: VoidResult;
      try {
        r = await o.voidLog(e.stationId, e.serverId!, e.undo!.reason);
      } catch {
        r = { ok: false, problem: networkProblem() };
      }
      if (!r.ok && isRetryable(r.problem)) {
        setState({ problem: r.problem });
        return 'stop';
      }
      // A 409 is "already void" (a void whose answer was lost, or another tab's): done; unless
      // the server says the entry is past the time for voiding.
      const refused = r.ok ? null : r.problem;
      const done = !refused || (refused.status === 409 && refused.code !== 'void_window_passed');
      const patch: Partial<LogEntry> = done ? { voidedAt: now() } : { voidFailed: refused };
      await update((entries) => ({ put: entries.filter((x) => x.id === e.id).map((x) => ({ ...x, ...patch })) }));
    }
    return 'next';
  }

  /** One pass; `stopped` when the network or server was not there (no point going again now). */
  async function runOnce(): Promise<{ sent: number; stopped: boolean }> {
    let sent = 0;
    await refresh();
    // Taken back before a batch was formed: nothing to send, nothing to void.
    await update((entries) => ({ remove: entries.filter((e) => e.undo && !e.sentAt && (!e.batch || e.failed)).map((e) => e.id) }));
    const at = now();
    await update((entries) => ({ remove: entries.filter((e) => e.sentAt && at - e.sentAt > SENT_KEEP_MS && (!e.undo || e.voidedAt || e.voidFailed)).map((e) => e.id) }));
    for (;;) {
      if (!online()) return { sent, stopped: true };
      const key = await nextBatch();
      if (!key) break;
      const before = snapshot.filter((e) => e.sentAt).length;
      const step = await sendBatch(key);
      sent += snapshot.filter((e) => e.sentAt).length - before;
      if (step === 'stop') return { sent, stopped: true };
    }
    if (!online()) return { sent, stopped: true };
    return { sent, stopped: (await sendVoids()) === 'stop' };
  }

  async function run(): Promise<number> {
    setState({ syncing: true });
    let total = 0;
    try {
      for (;;) {
        again = false;
        const r = await lock(lockName, runOnce);
        total += r.sent;
        if (r.stopped || !again) break;
      }
    } finally {
      setState({ syncing: false });
    }
    return total;
  }

  const flush = (): Promise<number> => {
    if (running) {
      again = true;
      return running;
    }
    running = run().finally(() => {
      running = null;
    });
    return running;
  };

  void refresh().catch(() => {});

  return {
    entries: () => snapshot,
    sync: () => state,
    async log(stationId, body) {
      const e: LogEntry = { id: newId(), owner: o.owner, stationId, body: { ...body, occurred_at: body.occurred_at ?? new Date(now()).toISOString() }, createdAt: now() };
      // Shown at once; the write follows.
      snapshot = [...snapshot, e];
      notify();
      await update(() => ({ put: [e] }));
      void flush().catch(() => {});
      return e;
    },
    async undo(id, reason) {
      const at = now();
      snapshot = snapshot.map((e) => (e.id === id ? { ...e, undo: { reason, at } } : e));
      notify();
      await update((entries) => ({
        remove: entries.filter((e) => e.id === id && !e.batch && !e.sentAt).map((e) => e.id),
        put: entries.filter((e) => e.id === id && (e.batch || e.sentAt)).map((e) => ({ ...e, undo: { reason, at } })),
      }));
      void flush().catch(() => {});
    },
    async discard(id) {
      await update((entries) => ({ remove: entries.filter((e) => e.id === id && (e.failed || e.voidFailed)).map((e) => e.id) }));
    },
    flush,
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}
