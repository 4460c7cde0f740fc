// An outbox for requests that must reach the server even when the phone is offline: each entry
// is kept in storage with its idempotency key and sent (again) until the server answers. The
// key makes resending safe: the server replays its first answer instead of creating twice.
import { networkProblem, type Problem } from '../api/problem';
import type { KeyValueStore } from './storage';

export type OutboxState = 'queued' | 'sending' | 'sent' | 'failed';

export interface OutboxItem<B> {
  /** The Idempotency-Key, also the entry's identity. */
  key: string;
  body: B;
  state: OutboxState;
  /** Epoch ms when it was put in the outbox. */
  createdAt: number;
  attempts: number;
  /** Why the last attempt did not get through (queued: will be tried again; failed: refused). */
  problem?: Problem;
  sentAt?: number;
  /** The server's id for what was created. */
  resultId?: string;
  /** The server answered with a replay of an earlier success. */
  replayed?: boolean;
  /** Anything else the sender kept from the server's answer (e.g. a check-in's points). */
  payload?: unknown;
}

export type SendResult = { ok: true; id: string; replayed: boolean; payload?: unknown } | { ok: false; problem: Problem };

export interface Outbox<B> {
  items(): OutboxItem<B>[];
  /** Adds an entry; false (and nothing added) when the key is already in the outbox. */
  add(key: string, body: B): boolean;
  /** Sends every queued entry, one at a time, oldest first. Concurrent calls share one run. */
  flush(): Promise<void>;
  /** Puts a failed entry back in the queue and sends it. */
  retry(key: string): Promise<void>;
  remove(key: string): void;
  subscribe(listener: () => void): () => void;
}

export interface OutboxOptions<B> {
  store: KeyValueStore;
  storageKey: string;
  send(item: OutboxItem<B>): Promise<SendResult>;
  isOnline?: () => boolean;
  now?: () => number;
}

/** Sent entries are forgotten after a day (the server's list has them by then). */
export const SENT_KEEP_MS = 24 * 60 * 60 * 1000;

/** Worth trying again later: no network, the server busy or down, or the session to renew. */
export const isRetryable = (p: Problem): boolean =>
  p.status === 0 || p.status === 401 || p.status === 408 || p.status === 429 || p.status >= 500;

function load<B>(store: KeyValueStore, key: string, now: number): OutboxItem<B>[] {
  try {
    const raw = store.getItem(key);
    const parsed = raw ? (JSON.parse(raw) as unknown) : [];
    if (!Array.isArray(parsed)) return [];
    return parsed
      .filter((x): x is OutboxItem<B> => !!x && typeof x === 'object' && typeof x.key === 'string' && 'body' in x)
      .filter((x) => !(x.state === 'sent' && now - (x.sentAt ?? 0) > SENT_KEEP_MS))
      // An entry caught mid-send when the app was closed is sent again (the key makes it safe).
      .map((x) => (x.state === 'sending' ? { ...x, state: 'queued' as const } : x));
  } catch {
    return [];
  }
}

export function createOutbox<B>(o: OutboxOptions<B>): Outbox<B> {
  const now = o.now ?? Date.now;
  const online = o.isOnline ?? (() => (typeof navigator === 'undefined' ? true : navigator.onLine));
  let items = load<B>(o.store, o.storageKey, now());
  const listeners = new Set<() => void>();
  let running: Promise<void> | null = null;
  let again = false;

  const commit = (next: OutboxItem<B>[]) => {
    items = next;
    try {
      o.store.setItem(o.storageKey, JSON.stringify(items));
    } catch {
      /* storage full: the entry still lives in memory for this visit */
    }
    listeners.forEach((l) => l());
  };
  const update = (key: string, patch: Partial<OutboxItem<B>>) =>
    commit(items.map((x) => (x.key === key ? { ...x, ...patch } : x)));

  async function sendOne(item: OutboxItem<B>): Promise<'next' | 'stop'> {
    update(item.key, { state: 'sending', attempts: item.attempts + 1 });
    let r: SendResult;
    try {
      r = await o.send(item);
    } catch {
      r = { ok: false, problem: networkProblem() };
    }
    if (!items.some((x) => x.key === item.key)) return 'next'; // removed meanwhile
    if (r.ok) {
      update(item.key, { state: 'sent', sentAt: now(), resultId: r.id, replayed: r.replayed, payload: r.payload, problem: undefined });
      return 'next';
    }
    if (isRetryable(r.problem)) {
      update(item.key, { state: 'queued', problem: r.problem });
      return 'stop'; // the network or server is not there: the rest would fail the same way
    }
    update(item.key, { state: 'failed', problem: r.problem });
    return 'next';
  }

  async function run(): Promise<void> {
    do {
      again = false;
      for (;;) {
        if (!online()) return;
        const next = items.find((x) => x.state === 'queued');
        if (!next) break;
        if ((await sendOne(next)) === 'stop') return;
      }
    } while (again);
  }

  const flush = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = run().finally(() => {
      running = null;
    });
    return running;
  };

  return {
    items: () => items,
    add(key, body) {
      if (items.some((x) => x.key === key)) return false;
      commit([...items, { key, body, state: 'queued', createdAt: now(), attempts: 0 }]);
      return true;
    },
    flush,
    retry(key) {
      const item = items.find((x) => x.key === key);
      if (item && (item.state === 'failed' || item.state === 'queued')) update(key, { state: 'queued' });
      return flush();
    },
    remove(key) {
      commit(items.filter((x) => x.key !== key));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Sends the outbox now, whenever the network comes back, and every `everyMs` while something
 * waits (a server that was down answers again without any event). Returns a stop function.
 */
export function startOutboxSync<B>(outbox: Outbox<B>, target: Pick<Window, 'addEventListener' | 'removeEventListener'> = window, everyMs = 30_000): () => void {
  const kick = () => void outbox.flush();
  kick();
  target.addEventListener('online', kick);
  const timer = setInterval(() => {
    if (outbox.items().some((x) => x.state === 'queued')) kick();
  }, everyMs);
  return () => {
    target.removeEventListener('online', kick);
    clearInterval(timer);
  };
}
