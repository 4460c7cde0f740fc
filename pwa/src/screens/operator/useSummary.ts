// The station's day summary (GET /stations/{id}/summary), kept for offline use with the moment
// it was asked for: the counters need that to tell which sent entries it already holds.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { fetchDaySummary, type DaySummary } from '../../api/serviceLogs';
import type { Problem } from '../../api/problem';
import { shanghaiDay } from '../../lib/serviceCounters';
import { browserStore, readJson, writeJson } from '../../lib/storage';

const store = browserStore();
const key = (stationId: string) => `warmnew.summary.${stationId}`;
/** Asked again this often while the console is open (other devices, check-ins, the new day). */
const EVERY_MS = 60_000;

interface Saved {
  askedAt: number;
  data: DaySummary;
}

export interface SummaryState {
  data: DaySummary | null;
  /** Epoch ms when the shown summary was asked for. */
  askedAt: number | null;
  loading: boolean;
  problem: Problem | null;
  reload(): Promise<void>;
}

function readSaved(stationId: string): Saved | null {
  const v = readJson<Saved>(store, key(stationId));
  return v && typeof v.askedAt === 'number' && v.data && typeof v.data.date === 'string' ? v : null;
}

export function useDaySummary(stationId: string | null): SummaryState {
  const [saved, setSaved] = useState<Saved | null>(() => (stationId ? readSaved(stationId) : null));
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const running = useRef<Promise<void> | null>(null);
  const again = useRef(false);

  const once = async () => {
    if (!stationId) return;
    const askedAt = Date.now();
    setLoading(true);
    const r = await fetchDaySummary(stationId, shanghaiDay(askedAt));
    setLoading(false);
    if (r.ok) {
      const next = { askedAt, data: r.data };
      writeJson(store, key(stationId), next);
      setSaved(next);
      setProblem(null);
    } else setProblem(r.problem);
  };

  // Calls while one runs are folded into one more run (its answer is then the newest).
  const reload = useCallback((): Promise<void> => {
    if (running.current) {
      again.current = true;
      return running.current;
    }
    const p = (async () => {
      do {
        again.current = false;
        await once();
      } while (again.current);
    })().finally(() => {
      running.current = null;
    });
    running.current = p;
    return p;
  }, [stationId]);

  useEffect(() => {
    if (!stationId) return;
    setSaved(readSaved(stationId));
    void reload();
    const onOnline = () => void reload();
    window.addEventListener('online', onOnline);
    const timer = setInterval(() => navigator.onLine && void reload(), EVERY_MS);
    return () => {
      window.removeEventListener('online', onOnline);
      clearInterval(timer);
    };
  }, [stationId]);

  return { data: saved?.data ?? null, askedAt: saved?.askedAt ?? null, loading, problem, reload };
}
