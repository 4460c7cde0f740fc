// The rider's balance and history (first page kept offline), and the rewards catalogue.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Problem } from '../../api/problem';
import { fetchPoints, fetchRewards, type PointsEntry, type Reward } from '../../api/points';
import { loadPoints, loadRewards, mergeEntries, savePoints, saveRewards } from '../../lib/points';
import { browserStore } from '../../lib/storage';

const store = browserStore();
export const PER_PAGE = 10;

export interface PointsState {
  balance: number | null;
  items: PointsEntry[];
  total: number;
  page: number;
  savedAt: number | null;
  fresh: boolean;
  loading: boolean;
  loadingMore: boolean;
  problem: Problem | null;
}

export function usePoints(owner: string) {
  const [s, setS] = useState<PointsState>(() => {
    const c = loadPoints(store, owner);
    return {
      balance: c?.balance ?? null,
      items: c?.items ?? [],
      total: c?.total ?? 0,
      page: 1,
      savedAt: c?.savedAt ?? null,
      fresh: false,
      loading: false,
      loadingMore: false,
      problem: null,
    };
  });
  const seq = useRef(0);

  const refresh = useCallback(async () => {
    const mine = ++seq.current;
    setS((p) => ({ ...p, loading: true, problem: null }));
    const r = await fetchPoints(1, PER_PAGE);
    if (mine !== seq.current) return;
    if (!r.ok) {
      setS((p) => ({ ...p, loading: false, problem: r.problem }));
      return;
    }
    const now = Date.now();
    savePoints(store, owner, { savedAt: now, balance: r.data.balance, items: r.data.items, total: r.data.total });
    setS((p) => ({ ...p, balance: r.data.balance, items: r.data.items, total: r.data.total, page: 1, savedAt: now, fresh: true, loading: false }));
  }, [owner]);

  const more = useCallback(async () => {
    const cur = s;
    if (cur.loadingMore) return;
    setS((p) => ({ ...p, loadingMore: true, problem: null }));
    const r = await fetchPoints(cur.page + 1, PER_PAGE);
    if (!r.ok) {
      setS((p) => ({ ...p, loadingMore: false, problem: r.problem }));
      return;
    }
    setS((p) => ({ ...p, items: mergeEntries(p.items, r.data.items), total: r.data.total, balance: r.data.balance, page: cur.page + 1, loadingMore: false }));
  }, [s]);

  useEffect(() => {
    void refresh();
    const onOnline = () => void refresh();
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
  }, [owner]);

  return { state: s, refresh, more };
}

export function useRewards(stationId?: string | null) {
  const [items, setItems] = useState<Reward[] | null>(() => (stationId ? null : (loadRewards(store)?.items ?? null)));
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);

  const load = useCallback(async () => {
    setLoading(true);
    setProblem(null);
    const r = await fetchRewards(stationId);
    setLoading(false);
    if (!r.ok) {
      setProblem(r.problem);
      return;
    }
    if (!stationId) saveRewards(store, r.data.items);
    setItems(r.data.items);
  }, [stationId]);

  useEffect(() => {
    void load();
    const onOnline = () => void load();
    window.addEventListener('online', onOnline);
    return () => window.removeEventListener('online', onOnline);
  }, [stationId]);

  return { items, loading, problem, reload: load };
}
