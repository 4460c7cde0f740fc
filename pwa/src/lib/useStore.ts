import { useEffect, useState } from 'preact/hooks';

interface Subscribable {
  subscribe(listener: () => void): () => void;
}

/** Re-renders when the store says it changed; returns `read()` of the moment. */
export function useStore<T>(store: Subscribable, read: () => T): T {
  const [value, setValue] = useState(read);
  useEffect(() => {
    setValue(() => read());
    return store.subscribe(() => setValue(() => read()));
  }, [store]);
  return value;
}
