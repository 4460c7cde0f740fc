// Toasts never cover a button: they are shown inside the sticky app bar (TopBar renders the
// host), which grows to hold them and pushes the screen down, instead of floating over it.
// Without an app bar on screen (the login screen) a toast sits in the page's flow where it is
// rendered. One toast per id; the latest render of each wins.
import type { ComponentChildren, JSX } from 'preact';
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';

type Attrs = Omit<JSX.HTMLAttributes<HTMLDivElement>, 'id' | 'children'>;
interface Entry {
  attrs: Attrs;
  children: ComponentChildren;
}

const entries = new Map<string, Entry>();
let hosts = 0;
// Two channels, so a toast telling the host about itself does not re-render the toast.
const entryListeners = new Set<() => void>();
const hostListeners = new Set<() => void>();
const notify = (set: Set<() => void>) => set.forEach((l) => l());

function useTick(set: Set<() => void>): void {
  const [, setN] = useState(0);
  useEffect(() => {
    const l = () => setN((n) => n + 1);
    set.add(l);
    return () => void set.delete(l);
  }, []);
}

/** Where toasts appear: inside the app bar. */
export function ToastHost() {
  useTick(entryListeners);
  useLayoutEffect(() => {
    hosts++;
    notify(hostListeners);
    return () => {
      hosts--;
      notify(hostListeners);
    };
  }, []);
  if (entries.size === 0) return null;
  return (
    <div class="toast-host" data-testid="toast-host">
      {[...entries].map(([id, e]) => (
        <div key={id} {...e.attrs} class={`toast ${e.attrs.class ?? ''}`.trim()}>
          {e.children}
        </div>
      ))}
    </div>
  );
}

/** A toast: shown in the app bar's host when there is one, else in place. */
export function Toast({ id, children, ...attrs }: Attrs & { id: string; children: ComponentChildren }) {
  useTick(hostListeners);
  useLayoutEffect(() => {
    entries.set(id, { attrs, children });
    notify(entryListeners);
  });
  useLayoutEffect(
    () => () => {
      entries.delete(id);
      notify(entryListeners);
    },
    [id],
  );
  if (hosts > 0) return null;
  return (
    <div {...attrs} class={`toast toast-inline ${attrs.class ?? ''}`.trim()}>
      {children}
    </div>
  );
}
