// Login at the action (DESIGN §6): browsing needs no account; the first action that needs
// one asks for login, and continues after it. The pending action is kept in sessionStorage so
// a reload (the phone went to the SMS app and the tab was dropped) does not lose it; it is
// resumed at most once, by the screen that asked, and dropped on cancel.
import { useEffect, useRef } from 'preact/hooks';
import type { KeyValueStore } from './storage';

/** What each kind of pending action carries. */
export interface GateActions {
  /** Check in at a station with its code (typed, scanned or from the QR link). */
  checkin: { stationId: string; code: string };
  /** A help request (or an SOS) to file: the outbox key and body, whatever NewRequest built. */
  help: { key: string; body: unknown };
  /** Quiz answers to submit for a lesson. */
  quiz: { slug: string; answers: Record<string, string> };
  /** Just log in and stay on this screen (我的, points, my help requests). */
  login: Record<string, never>;
}

export type GateKind = keyof GateActions;

export interface Pending<K extends GateKind = GateKind> {
  kind: K;
  data: GateActions[K];
  /** When it was asked (epoch ms); old ones are dropped. */
  at: number;
}

export const GATE_KEY = 'warmnew.login_gate';
/** A check-in code or a half-typed form is worth resuming for a while, not the next day. */
export const GATE_TTL_MS = 30 * 60 * 1000;

export interface LoginGate {
  /** Keeps the action and asks for login (the sheet opens). */
  ask<K extends GateKind>(kind: K, data: GateActions[K]): void;
  /** The action waiting for a login, if any (expired ones are dropped). */
  pending(): Pending | null;
  /** Removes and returns the data of a waiting action of `kind` (when `match` accepts it). */
  take<K extends GateKind>(kind: K, match?: (data: GateActions[K]) => boolean): GateActions[K] | null;
  /** The person closed the login: the action is dropped. */
  cancel(): void;
  subscribe(listener: () => void): () => void;
}

export function createLoginGate(store: KeyValueStore, now: () => number = Date.now): LoginGate {
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((l) => l());
  // The same action in memory, for when storage refuses to keep it.
  let memo: Pending | null = null;

  const read = (): Pending | null => {
    let p: Pending | null = null;
    try {
      const raw = store.getItem(GATE_KEY);
      const v = raw ? (JSON.parse(raw) as Partial<Pending>) : null;
      if (v && typeof v.kind === 'string' && typeof v.at === 'number' && v.data && typeof v.data === 'object') p = v as Pending;
    } catch {
      /* a damaged entry is as good as none */
    }
    if (p && now() - p.at > GATE_TTL_MS) {
      store.removeItem(GATE_KEY);
      return null;
    }
    return p;
  };

  const pending = (): Pending | null => read() ?? (memo && now() - memo.at <= GATE_TTL_MS ? memo : null);

  return {
    ask(kind, data) {
      try {
        store.setItem(GATE_KEY, JSON.stringify({ kind, data, at: now() }));
      } catch {
        /* storage full: the login still opens, the action is only lost on a reload */
      }
      memo = { kind, data, at: now() };
      notify();
    },
    pending,
    take(kind, match) {
      const p = pending();
      if (!p || p.kind !== kind) return null;
      const data = p.data as GateActions[typeof kind];
      if (match && !match(data)) return null;
      memo = null;
      store.removeItem(GATE_KEY);
      notify();
      return data;
    },
    cancel() {
      memo = null;
      store.removeItem(GATE_KEY);
      notify();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** sessionStorage (per tab, survives a reload), or memory when it is unavailable. */
function tabStore(): KeyValueStore {
  try {
    const s = globalThis.sessionStorage;
    s.setItem('__warmnew_probe__', '1');
    s.removeItem('__warmnew_probe__');
    return s;
  } catch {
    const data = new Map<string, string>();
    return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, String(v)), removeItem: (k) => void data.delete(k) };
  }
}

/** The page's gate. */
export const loginGate = createLoginGate(tabStore());

/**
 * Resumes a waiting action of `kind` once `ready` (logged in as a rider, and whatever the
 * action needs loaded) — exactly once, whichever screen gets there first.
 */
export function useResume<K extends GateKind>(
  kind: K,
  ready: boolean,
  run: (data: GateActions[K]) => void,
  match?: (data: GateActions[K]) => boolean,
  gate: LoginGate = loginGate,
): void {
  const latest = useRef(run);
  latest.current = run;
  useEffect(() => {
    if (!ready) return;
    const data = gate.take(kind, match);
    if (data !== null) latest.current(data);
  }, [ready]);
}
