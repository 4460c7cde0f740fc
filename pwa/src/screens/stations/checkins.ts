// The rider's check-in outbox, one per account, sending whenever the network returns (for the
// life of the page, whichever tab is open).
import { checkIn } from '../../api/stations';
import { session } from '../../api/client';
import { createCheckinOutbox, enqueueCheckIn, type QueuedCheckIn } from '../../lib/checkinOutbox';
import type { Outbox } from '../../lib/outbox';
import { startOutboxSync } from '../../lib/outbox';
import { browserStore } from '../../lib/storage';
import { useStore } from '../../lib/useStore';

const store = browserStore();
const boxes = new Map<string, Outbox<QueuedCheckIn>>();

/** Every 10 s while something waits: a hung connection recovers without an `online` event. */
const RETRY_EVERY_MS = 10_000;

export function checkinOutbox(userId: string): Outbox<QueuedCheckIn> {
  let box = boxes.get(userId);
  if (!box) {
    box = createCheckinOutbox({
      store,
      userId,
      currentUser: () => session.user()?.id ?? null,
      send: async (stationId, code) => {
        const r = await checkIn(stationId, code);
        return r.ok ? { ok: true, data: r.data } : { ok: false, problem: r.problem };
      },
    });
    boxes.set(userId, box);
    startOutboxSync(box, window, RETRY_EVERY_MS);
  }
  return box;
}

/** Queues a check-in for the signed-in rider and sends it now if the network is there. */
export function submitCheckIn(userId: string, body: QueuedCheckIn): string {
  const box = checkinOutbox(userId);
  const key = enqueueCheckIn(box, body);
  void box.flush();
  return key;
}

const empty: Outbox<QueuedCheckIn> = {
  items: () => [],
  add: () => false,
  flush: async () => {},
  retry: async () => {},
  remove: () => {},
  subscribe: () => () => {},
};

/** The signed-in rider's check-ins (none when nobody is signed in). */
export function useCheckIns(userId: string | null) {
  const box = userId ? checkinOutbox(userId) : empty;
  const items = useStore(box, box.items);
  return { box, items };
}
