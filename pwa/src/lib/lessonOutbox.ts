// Quiz answers given offline wait here (one per lesson, the latest wins) and are sent when
// the phone is back online. What the server answered is kept until the rider has seen it.
import type { AttemptAnswer, AttemptResult } from '../api/lessons';
import type { KeyValueStore } from './storage';

export interface QueuedAttempt {
  slug: string;
  locale: string;
  version: number;
  title: string;
  answers: AttemptAnswer[];
  queuedAt: number;
}

export interface Delivered {
  slug: string;
  answers: AttemptAnswer[];
  result: AttemptResult;
  queuedAt: number;
  deliveredAt: number;
}

export interface Rejected {
  slug: string;
  title: string;
  code: string;
  at: number;
}

/** What one send came to: graded, try later (offline, server busy), or refused for good. */
export type SendOutcome = { kind: 'sent'; result: AttemptResult } | { kind: 'retry' } | { kind: 'rejected'; code: string };

interface Saved {
  pending: Record<string, QueuedAttempt>;
  delivered: Record<string, Delivered>;
  rejected: Record<string, Rejected>;
}

export const outboxKey = (owner: string) => `warmnew.lessons.outbox.${owner}`;

export interface FlushReport {
  sent: number;
  rejected: number;
  kept: number;
}

export interface Outbox {
  pending(): QueuedAttempt[];
  get(slug: string): QueuedAttempt | null;
  /** True while this lesson's attempt is on its way. */
  sending(slug: string): boolean;
  enqueue(a: QueuedAttempt): void;
  /** Takes a waiting attempt back (the rider wants to change the answers). */
  discard(slug: string): void;
  delivered(slug: string): Delivered | null;
  rejected(slug: string): Rejected | null;
  /** Forgets what was shown (the result or the refusal) of this lesson. */
  dismiss(slug: string): void;
  /** Sends every waiting attempt, oldest first, one at a time (also answers queued while it
   * runs); stops at the first "retry". Concurrent calls share one run. */
  flush(send: (a: QueuedAttempt) => Promise<SendOutcome>, now?: () => number): Promise<FlushReport>;
  /** A change counter, so a screen can re-render when it moves. */
  version(): number;
  subscribe(listener: () => void): () => void;
}

function empty(): Saved {
  return { pending: {}, delivered: {}, rejected: {} };
}

export function createOutbox(store: KeyValueStore, owner: string): Outbox {
  const key = outboxKey(owner);
  const listeners = new Set<() => void>();
  const inFlight = new Set<string>();
  let changes = 0;
  let running: Promise<FlushReport> | null = null;

  const load = (): Saved => {
    try {
      const s = JSON.parse(store.getItem(key) ?? 'null') as Saved | null;
      if (s && typeof s === 'object' && s.pending && s.delivered && s.rejected) return s;
    } catch {
      /* damaged: start again */
    }
    return empty();
  };
  const save = (s: Saved) => {
    try {
      store.setItem(key, JSON.stringify(s));
    } catch {
      /* storage full: the state stays in memory for this visit */
    }
    changes++;
    listeners.forEach((l) => l());
  };
  const update = (f: (s: Saved) => void) => {
    const s = load();
    f(s);
    save(s);
  };

  const tag = (a: QueuedAttempt) => `${a.slug}@${a.queuedAt}`;

  /** Sends what waits and was not tried yet in this flush. */
  async function runOnce(send: (a: QueuedAttempt) => Promise<SendOutcome>, now: () => number, tried: Set<string>): Promise<FlushReport> {
    const report: FlushReport = { sent: 0, rejected: 0, kept: 0 };
    const queue = Object.values(load().pending)
      .filter((a) => !tried.has(tag(a)))
      .sort((a, b) => a.queuedAt - b.queuedAt);
    for (let i = 0; i < queue.length; i++) {
      const a = queue[i]!;
      tried.add(tag(a));
      inFlight.add(a.slug);
      changes++;
      listeners.forEach((l) => l());
      let outcome: SendOutcome;
      try {
        outcome = await send(a);
      } catch {
        outcome = { kind: 'retry' };
      }
      inFlight.delete(a.slug);
      if (outcome.kind === 'retry') {
        report.kept += queue.length - i;
        changes++;
        listeners.forEach((l) => l());
        break;
      }
      update((s) => {
        // Newer answers for the same lesson came in while this one was out: they still wait.
        if (s.pending[a.slug]?.queuedAt === a.queuedAt) delete s.pending[a.slug];
        if (outcome.kind === 'sent') {
          s.delivered[a.slug] = { slug: a.slug, answers: a.answers, result: outcome.result, queuedAt: a.queuedAt, deliveredAt: now() };
          delete s.rejected[a.slug];
        } else {
          s.rejected[a.slug] = { slug: a.slug, title: a.title, code: outcome.code, at: now() };
        }
      });
      if (outcome.kind === 'sent') report.sent++;
      else report.rejected++;
    }
    return report;
  }

  return {
    pending: () => Object.values(load().pending).sort((a, b) => a.queuedAt - b.queuedAt),
    get: (slug) => load().pending[slug] ?? null,
    sending: (slug) => inFlight.has(slug),
    enqueue(a) {
      update((s) => {
        s.pending[a.slug] = a;
        delete s.delivered[a.slug];
        delete s.rejected[a.slug];
      });
    },
    discard(slug) {
      update((s) => {
        delete s.pending[slug];
      });
    },
    delivered: (slug) => load().delivered[slug] ?? null,
    rejected: (slug) => load().rejected[slug] ?? null,
    dismiss(slug) {
      update((s) => {
        delete s.delivered[slug];
        delete s.rejected[slug];
      });
    },
    flush(send, now = Date.now) {
      if (running) return running;
      const run = async (): Promise<FlushReport> => {
        const total: FlushReport = { sent: 0, rejected: 0, kept: 0 };
        const tried = new Set<string>();
        for (;;) {
          const r = await runOnce(send, now, tried);
          total.sent += r.sent;
          total.rejected += r.rejected;
          total.kept = r.kept;
          // Stop when the network is gone; go on while calls or new answers came in meanwhile.
          if (r.kept > 0) break;
          if (!Object.values(load().pending).some((a) => !tried.has(tag(a)))) break;
        }
        return total;
      };
      running = run().finally(() => {
        running = null;
      });
      return running;
    },
    version: () => changes,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
