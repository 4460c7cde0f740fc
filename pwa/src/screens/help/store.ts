// The rider's outbox of help requests, and loaders that keep the last answer for offline use.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { createHelpRequest, type NewHelpRequest } from '../../api/help';
import { session, type Result } from '../../api/client';
import type { Problem } from '../../api/problem';
import type { User } from '../../api/types';
import { createOutbox, startOutboxSync, type Outbox, type SendResult } from '../../lib/outbox';
import { browserStore, readJson, writeJson, type Cached, type KeyValueStore } from '../../lib/storage';
import { useStore } from '../../lib/useStore';

const store = browserStore();
const outboxes = new Map<string, Outbox<NewHelpRequest>>();

/** The outbox of one rider (kept per account, so another account on this phone never sends it). */
export function helpOutbox(userId: string): Outbox<NewHelpRequest> {
  let box = outboxes.get(userId);
  if (!box) {
    box = createOutbox<NewHelpRequest>({
      store,
      storageKey: `warmnew.help.outbox.${userId}`,
      async send(item): Promise<SendResult> {
        // Someone else logged in meanwhile: wait for this rider to come back.
        if (session.user()?.id !== userId) return { ok: false, problem: { status: 401, code: 'unauthorized', title: '', errors: [] } };
        const r = await createHelpRequest(item.body, item.key);
        return r.ok ? { ok: true, id: r.data.id, replayed: r.replayed === true } : { ok: false, problem: r.problem };
      },
    });
    outboxes.set(userId, box);
  }
  return box;
}

export function useHelpOutbox(userId: string) {
  const box = helpOutbox(userId);
  const items = useStore(box, box.items);
  return { box, items };
}

/** Sends the rider's queued requests at app start and whenever the network returns. */
export function useHelpSync(user: Pick<User, 'id' | 'role'> | null): void {
  useEffect(() => {
    if (!user || user.role !== 'rider') return;
    return startOutboxSync(helpOutbox(user.id));
  }, [user?.id, user?.role]);
}

function readSaved<T>(s: KeyValueStore, key: string): Cached<T> | null {
  const v = readJson<Cached<T>>(s, key);
  return v && typeof v.savedAt === 'number' && v.data ? v : null;
}

/** Storage full: shown now, just not offline. */
function writeSaved<T>(s: KeyValueStore, key: string, data: T, savedAt: number): void {
  writeJson(s, key, { savedAt, data } satisfies Cached<T>);
}

export interface Loaded<T> {
  data: T | null;
  /** Epoch ms of the answer shown. */
  savedAt: number | null;
  /** The server answered during this visit. */
  fresh: boolean;
  loading: boolean;
  problem: Problem | null;
  /** Asks again; calls while one runs are folded into one more run. */
  reload(): Promise<void>;
  /** Takes an answer obtained elsewhere (e.g. the reply to an action). */
  set(data: T): void;
}

/**
 * Loads with `load`, showing (and keeping, when `cacheKey` is given) the last answer so
 * the screen has something offline. Reloads when `cacheKey` changes.
 */
export function useCachedLoad<T>(cacheKey: string | null, load: () => Promise<Result<T>>, deps: unknown[]): Loaded<T> {
  const initial = cacheKey ? readSaved<T>(store, cacheKey) : null;
  const [state, setState] = useState<Omit<Loaded<T>, 'reload' | 'set'>>({
    data: initial?.data ?? null,
    savedAt: initial?.savedAt ?? null,
    fresh: false,
    loading: true,
    problem: null,
  });
  const latest = useRef({ load, cacheKey });
  latest.current = { load, cacheKey };
  const running = useRef<Promise<void> | null>(null);
  const again = useRef(false);
  const live = useRef(true);

  const runOnce = async () => {
    const { load: fn, cacheKey: key } = latest.current;
    setState((s) => ({ ...s, loading: true }));
    const r = await fn();
    if (!live.current || latest.current.cacheKey !== key) return;
    if (r.ok) {
      const now = Date.now();
      if (key) writeSaved(store, key, r.data, now);
      setState({ data: r.data, savedAt: now, fresh: true, loading: false, problem: null });
    } else setState((s) => ({ ...s, loading: false, problem: r.problem }));
  };

  const reload = useCallback((): Promise<void> => {
    if (running.current) {
      again.current = true;
      return running.current;
    }
    const p = (async () => {
      do {
        again.current = false;
        await runOnce();
      } while (again.current && live.current);
    })().finally(() => {
      running.current = null;
    });
    running.current = p;
    return p;
  }, []);

  const set = useCallback((data: T) => {
    const now = Date.now();
    const key = latest.current.cacheKey;
    if (key) writeSaved(store, key, data, now);
    setState({ data, savedAt: now, fresh: true, loading: false, problem: null });
  }, []);

  useEffect(() => {
    live.current = true;
    const saved = cacheKey ? readSaved<T>(store, cacheKey) : null;
    setState({ data: saved?.data ?? null, savedAt: saved?.savedAt ?? null, fresh: false, loading: true, problem: null });
    void reload();
    return () => {
      live.current = false;
    };
  }, [cacheKey, ...deps]);

  return { ...state, reload, set };
}

const DETAILS_KEPT = 20;
export const detailKey = (userId: string, id: string) => `warmnew.help.detail.${userId}.${id}`;

/** Keeps the offline copies of the last 20 details opened, dropping older ones. */
export function rememberDetail(userId: string, id: string, s: KeyValueStore = store): void {
  const indexKey = `warmnew.help.detail-index.${userId}`;
  let ids: string[] = [];
  try {
    const v = JSON.parse(s.getItem(indexKey) ?? '[]') as unknown;
    if (Array.isArray(v)) ids = v.filter((x): x is string => typeof x === 'string');
  } catch {
    /* start a new index */
  }
  const next = [id, ...ids.filter((x) => x !== id)];
  for (const old of next.slice(DETAILS_KEPT)) s.removeItem(detailKey(userId, old));
  try {
    s.setItem(indexKey, JSON.stringify(next.slice(0, DETAILS_KEPT)));
  } catch {
    /* storage full */
  }
}
