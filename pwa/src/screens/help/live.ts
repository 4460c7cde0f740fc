// One live event stream per page, shared by every screen that shows help requests: opened
// while someone listens, closed when the last one leaves.
import { useEffect, useRef, useState } from 'preact/hooks';
import { session } from '../../api/client';
import { openHelpEvents, type HelpLiveEvent } from '../../api/help';
import { connectEventStream, type EventStream, type SseEvent, type StreamState } from '../../lib/sse';

export interface LiveHandlers {
  /** A request changed. */
  onEvent?(e: HelpLiveEvent): void;
  /** (Re)connected, or the server says events may have been missed: re-read. */
  onSync?(): void;
}

const listeners = new Set<{ current: LiveHandlers }>();
const stateListeners = new Set<(s: StreamState) => void>();
let stream: EventStream | null = null;
let state: StreamState = 'closed';
/** Ignores the late state reports of a stream already closed. */
let generation = 0;

const setState = (s: StreamState) => {
  state = s;
  stateListeners.forEach((l) => l(s));
};
const sync = () => listeners.forEach((l) => l.current.onSync?.());
const nudge = () => stream?.reconnectNow();
/** Moving between help screens unmounts one listener just before the next mounts: keep the
 * stream a moment rather than reconnect. */
const LINGER_MS = 5_000;
let lingering: ReturnType<typeof setTimeout> | null = null;

export function parseLiveEvent(e: SseEvent): HelpLiveEvent | 'resync' | null {
  if (e.event === 'resync') return 'resync';
  if (e.event !== 'help_request') return null;
  try {
    const v = JSON.parse(e.data) as Partial<HelpLiveEvent>;
    return typeof v.request_id === 'string' && typeof v.status === 'string' ? (v as HelpLiveEvent) : null;
  } catch {
    return null;
  }
}

function open() {
  const mine = ++generation;
  stream = connectEventStream({
    open: openHelpEvents,
    onEvent: (raw) => {
      const e = parseLiveEvent(raw);
      if (e === 'resync') sync();
      else if (e) listeners.forEach((l) => l.current.onEvent?.(e));
    },
    onOpen: sync,
    onState: (st) => mine === generation && setState(st),
  });
  window.addEventListener('online', nudge);
}

function close() {
  generation++;
  setState('closed');
  stream?.close();
  stream = null;
  window.removeEventListener('online', nudge);
}

// Logged out: stop at once rather than linger and reconnect without a token.
session.subscribe(() => {
  if (!session.isLoggedIn() && stream) {
    if (lingering) clearTimeout(lingering);
    lingering = null;
    close();
  }
});

/** Listens to live help events while mounted; returns the stream's state. */
export function useHelpLive(handlers: LiveHandlers): StreamState {
  const ref = useRef(handlers);
  ref.current = handlers;
  const [s, setS] = useState<StreamState>(state);
  useEffect(() => {
    listeners.add(ref);
    stateListeners.add(setS);
    if (lingering) clearTimeout(lingering);
    lingering = null;
    if (!stream) open();
    setS(state);
    return () => {
      listeners.delete(ref);
      stateListeners.delete(setS);
      if (listeners.size === 0) {
        lingering = setTimeout(() => {
          lingering = null;
          if (listeners.size === 0) close();
        }, LINGER_MS);
      }
    };
  }, []);
  return s;
}
