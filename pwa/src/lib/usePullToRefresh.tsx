import { useEffect, useRef, useState } from 'preact/hooks';
import { RefreshIcon } from '../components/Icons';
import { useI18n } from '../i18n/context';

/** How far (px) a pull must go before letting go refreshes. */
export const PULL_THRESHOLD = 72;

/**
 * Pull-to-refresh on a touch screen: a downward drag that starts while the page is
 * scrolled to the top. Returns the ref for the element and how far it is pulled (0 when
 * not pulling), so the element can show "pull"/"release".
 */
export function usePullToRefresh<T extends HTMLElement>(onRefresh: () => void, enabled: boolean) {
  const ref = useRef<T>(null);
  const [pull, setPull] = useState(0);
  const latest = useRef(onRefresh);
  latest.current = onRefresh;

  useEffect(() => {
    const el = ref.current;
    if (!el || !enabled) return;
    let startY: number | null = null;
    let distance = 0;
    const onStart = (e: TouchEvent) => {
      startY = window.scrollY <= 0 && e.touches.length === 1 ? e.touches[0]!.clientY : null;
      distance = 0;
    };
    const onMove = (e: TouchEvent) => {
      if (startY === null) return;
      distance = Math.max(0, e.touches[0]!.clientY - startY);
      // Damped, so the list follows the finger but does not run away.
      setPull(Math.min(PULL_THRESHOLD * 1.6, distance * 0.6));
    };
    const onEnd = () => {
      if (startY !== null && distance * 0.6 >= PULL_THRESHOLD) latest.current();
      startY = null;
      distance = 0;
      setPull(0);
    };
    el.addEventListener('touchstart', onStart, { passive: true });
    el.addEventListener('touchmove', onMove, { passive: true });
    el.addEventListener('touchend', onEnd);
    el.addEventListener('touchcancel', onEnd);
    return () => {
      el.removeEventListener('touchstart', onStart);
      el.removeEventListener('touchmove', onMove);
      el.removeEventListener('touchend', onEnd);
      el.removeEventListener('touchcancel', onEnd);
    };
  }, [enabled]);

  return { ref, pull, ready: pull >= PULL_THRESHOLD };
}

/** The "pull"/"release" line that grows above a list while it is pulled down. */
export function PullHint({ pull, testid }: { pull: Pick<ReturnType<typeof usePullToRefresh>, 'pull' | 'ready'>; testid?: string }) {
  const { t } = useI18n();
  if (pull.pull <= 0) return null;
  return (
    <div class="pull-hint" style={{ height: `${pull.pull}px` }} data-testid={testid}>
      <RefreshIcon size={22} />
      {pull.ready ? t('pull_release') : t('pull_down')}
    </div>
  );
}
