// The lessons list and one lesson: the offline copy at once, then the server's answer (which
// replaces the copy). Also "download every lesson" for reading without a network.
import type { Locale } from '../../i18n';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Problem } from '../../api/problem';
import { fetchLesson, fetchLessons, type LessonCard, type LessonDetail } from '../../api/lessons';
import { loadLesson, loadList, offlineLessons, saveLesson, saveList, type Cached } from '../../lib/lessonCache';
import { browserStore } from '../../lib/storage';

const store = browserStore();

export interface ListState {
  items: LessonCard[] | null;
  savedAt: number | null;
  /** The server answered during this visit. */
  fresh: boolean;
  loading: boolean;
  problem: Problem | null;
}

export function useLessonList(locale: Locale, owner: string) {
  const [s, setS] = useState<ListState>(() => {
    const c = loadList(store, locale, owner);
    return { items: c?.data ?? null, savedAt: c?.savedAt ?? null, fresh: false, loading: false, problem: null };
  });
  const seq = useRef(0);

  const refresh = useCallback(async () => {
    const mine = ++seq.current;
    setS((p) => ({ ...p, loading: true, problem: null }));
    const r = await fetchLessons(locale);
    if (mine !== seq.current) return;
    if (!r.ok) {
      setS((p) => ({ ...p, loading: false, problem: r.problem }));
      return;
    }
    const now = Date.now();
    saveList(store, locale, owner, r.data.items, now);
    setS({ items: r.data.items, savedAt: now, fresh: true, loading: false, problem: null });
  }, [locale, owner]);

  useEffect(() => {
    const c = loadList(store, locale, owner);
    setS({ items: c?.data ?? null, savedAt: c?.savedAt ?? null, fresh: false, loading: false, problem: null });
    void refresh();
    // Back online: the copy on screen is renewed by itself.
    const onOnline = () => void refresh();
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
  }, [locale, owner]);

  /** Reads the offline copy again (an attempt sent from the queue has updated it). */
  const reload = useCallback(() => {
    const c = loadList(store, locale, owner);
    if (c) setS((p) => ({ ...p, items: c.data }));
  }, [locale, owner]);

  return { state: s, refresh, reload };
}

export interface LessonState {
  cached: Cached<LessonDetail> | null;
  fresh: boolean;
  loading: boolean;
  problem: Problem | null;
}

export function useLesson(slug: string, locale: Locale) {
  const [s, setS] = useState<LessonState>(() => ({ cached: loadLesson(store, locale, slug), fresh: false, loading: true, problem: null }));

  const load = useCallback(async () => {
    setS((p) => ({ ...p, loading: true, problem: null }));
    const r = await fetchLesson(slug, locale);
    if (!r.ok) {
      setS((p) => ({ ...p, loading: false, problem: r.problem }));
      return;
    }
    const now = Date.now();
    saveLesson(store, locale, r.data, now);
    setS({ cached: { savedAt: now, data: r.data }, fresh: true, loading: false, problem: null });
  }, [slug, locale]);

  useEffect(() => {
    setS({ cached: loadLesson(store, locale, slug), fresh: false, loading: true, problem: null });
    void load();
    const onOnline = () => void load();
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
  }, [slug, locale]);

  return { state: s, reload: load };
}

export interface DownloadState {
  running: boolean;
  done: number;
  total: number;
  failed: number;
  full: boolean;
  /** slug → saved at, for the "offline" badges. */
  offline: Record<string, number>;
}

/** Fetches every lesson of the list that is not kept offline at its current version, two at
 * a time, counting as it goes. */
export function useDownloadAll(locale: Locale) {
  const [s, setS] = useState<DownloadState>(() => ({ running: false, done: 0, total: 0, failed: 0, full: false, offline: offlineLessons(store, locale) }));
  const running = useRef(false);

  useEffect(() => {
    setS((p) => ({ ...p, offline: offlineLessons(store, locale) }));
  }, [locale]);

  const noteSaved = useCallback(() => setS((p) => ({ ...p, offline: offlineLessons(store, locale) })), [locale]);

  const start = useCallback(
    async (items: LessonCard[]) => {
      if (running.current) return;
      running.current = true;
      const todo = items.filter((c) => loadLesson(store, locale, c.slug)?.data.version !== c.version);
      const total = items.length;
      let done = total - todo.length;
      let failed = 0;
      let full = false;
      setS((p) => ({ ...p, running: true, done, total, failed: 0, full: false }));
      const queue = [...todo];
      const worker = async () => {
        for (let c = queue.shift(); c; c = queue.shift()) {
          const r = await fetchLesson(c.slug, locale);
          if (r.ok) {
            if (saveLesson(store, locale, r.data)) done++;
            else {
              full = true;
              failed++;
            }
          } else failed++;
          setS((p) => ({ ...p, done, failed, full, offline: offlineLessons(store, locale) }));
        }
      };
      await Promise.all([worker(), worker()]);
      running.current = false;
      setS((p) => ({ ...p, running: false, done, failed, full, offline: offlineLessons(store, locale) }));
    },
    [locale],
  );

  return { state: s, start, noteSaved };
}
