// Loads one dashboard answer for a question (its key): asks again when the key changes, keeps
// the last numbers on screen while the next ones come, and drops answers to older questions.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import type { Result } from '../../api/client';
import type { Problem } from '../../api/problem';

export interface Load<T> {
  data: T | null;
  /** The key the data answers (may lag `key` while loading). */
  dataKey: string | null;
  loading: boolean;
  problem: Problem | null;
  reload(): void;
}

/** `key` null: nothing to ask yet. */
export function useLoad<T>(key: string | null, load: () => Promise<Result<T>>): Load<T> {
  const [state, setState] = useState<Omit<Load<T>, 'reload'>>({ data: null, dataKey: null, loading: key !== null, problem: null });
  const seq = useRef(0);
  const latest = useRef(load);
  latest.current = load;

  const run = useCallback((k: string | null) => {
    const mine = ++seq.current;
    if (k === null) return;
    setState((s) => ({ ...s, loading: true, problem: null }));
    void latest.current().then((r) => {
      if (mine !== seq.current) return;
      if (r.ok) setState({ data: r.data, dataKey: k, loading: false, problem: null });
      else setState((s) => ({ ...s, loading: false, problem: r.problem }));
    });
  }, []);

  useEffect(() => {
    run(key);
    return () => {
      seq.current++;
    };
  }, [key]);

  const reload = useCallback(() => run(key), [key]);
  return { ...state, reload };
}
