import { useEffect, useState } from 'preact/hooks';

/** The current time, renewed every `everyMs` (for "closing in 12 minutes", "3 分钟前"). */
export function useNow(everyMs = 30_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}
