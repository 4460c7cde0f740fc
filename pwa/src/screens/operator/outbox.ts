// The operator's service-log outbox (one per account, IndexedDB), sent at start, whenever the
// network or the app comes back, after each tap, and every 30 s while something waits.
import { useEffect } from 'preact/hooks';
import { session } from '../../api/client';
import { postServiceLogs, voidServiceLog } from '../../api/serviceLogs';
import type { LogEntry } from '../../lib/logStore';
import { browserLogStore } from '../../lib/logStore';
import { pendingEntries } from '../../lib/serviceCounters';
import { createServiceOutbox, type ServiceOutbox, type SyncState } from '../../lib/serviceOutbox';
import { useStore } from '../../lib/useStore';

const RETRY_EVERY_MS = 30_000;
const boxes = new Map<string, ServiceOutbox>();
const notMine = { ok: false as const, problem: { status: 401, code: 'unauthorized', title: '', errors: [] } };

export function serviceOutbox(owner: string): ServiceOutbox {
  let box = boxes.get(owner);
  if (!box) {
    box = createServiceOutbox({
      owner,
      store: browserLogStore(owner),
      async send(stationId, entries, key) {
        // Someone else logged in meanwhile: keep it for this operator.
        if (session.user()?.id !== owner) return notMine;
        const r = await postServiceLogs(stationId, entries, key);
        return r.ok ? { ok: true, ids: r.data.items.map((x) => x.id) } : r;
      },
      async voidLog(stationId, serverId, reason) {
        if (session.user()?.id !== owner) return notMine;
        const r = await voidServiceLog(stationId, serverId, reason);
        return r.ok ? { ok: true } : r;
      },
    });
    boxes.set(owner, box);
  }
  return box;
}

export interface OutboxView {
  box: ServiceOutbox;
  entries: LogEntry[];
  sync: SyncState;
}

export function useServiceOutbox(owner: string): OutboxView {
  const box = serviceOutbox(owner);
  const entries = useStore(box, box.entries);
  const sync = useStore(box, box.sync);
  return { box, entries, sync };
}

/** Keeps the outbox going out while the console is open. */
export function useServiceSync(owner: string): void {
  useEffect(() => {
    const box = serviceOutbox(owner);
    const go = () => void box.flush();
    const onVisible = () => document.visibilityState === 'visible' && go();
    go();
    window.addEventListener('online', go);
    document.addEventListener('visibilitychange', onVisible);
    const timer = setInterval(() => {
      const voids = box.entries().some((e) => e.undo && e.sentAt && !e.voidedAt && !e.voidFailed);
      if (navigator.onLine && (voids || pendingEntries(box.entries()).length > 0)) go();
    }, RETRY_EVERY_MS);
    return () => {
      window.removeEventListener('online', go);
      document.removeEventListener('visibilitychange', onVisible);
      clearInterval(timer);
    };
  }, [owner]);
}
