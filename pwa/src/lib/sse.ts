// Server-sent events over fetch. EventSource cannot send an Authorization header, so the
// stream is read with fetch + ReadableStream and parsed here (WHATWG "event stream" rules).

export interface SseEvent {
  /** The `event:` field, or "message" when there was none. */
  event: string;
  /** The `data:` lines joined with "\n". */
  data: string;
  /** The last `id:` seen on this stream (the spec's "last event ID"). */
  id: string;
}

export interface SseParser {
  /** Feeds decoded text; complete events are dispatched as their blank line arrives. */
  push(text: string): void;
  /** The stream ended: an event without its final blank line is dropped (as the spec says). */
  end(): void;
}

/** An incremental parser: text may be split anywhere, including inside a CRLF. */
export function createSseParser(onEvent: (e: SseEvent) => void, onRetry?: (ms: number) => void): SseParser {
  let buffer = '';
  let first = true;
  let skipLf = false; // the previous chunk ended in CR: a leading LF belongs to it
  let event = '';
  let data: string[] = [];
  let id = '';

  const dispatch = () => {
    if (data.length > 0) onEvent({ event: event || 'message', data: data.join('\n'), id });
    event = '';
    data = [];
  };

  const line = (l: string) => {
    if (l === '') return dispatch();
    if (l.startsWith(':')) return; // a comment (keep-alive)
    const colon = l.indexOf(':');
    const field = colon < 0 ? l : l.slice(0, colon);
    let value = colon < 0 ? '' : l.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        event = value;
        break;
      case 'data':
        data.push(value);
        break;
      case 'id':
        if (!value.includes('\0')) id = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) onRetry?.(Number(value));
        break;
      default: // unknown fields are ignored
    }
  };

  return {
    push(text) {
      if (first && text.length > 0) {
        first = false;
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      if (skipLf && text.startsWith('\n')) text = text.slice(1);
      skipLf = false;
      buffer += text;
      let start = 0;
      for (let i = 0; i < buffer.length; i++) {
        const c = buffer[i];
        if (c !== '\n' && c !== '\r') continue;
        line(buffer.slice(start, i));
        if (c === '\r') {
          if (i + 1 < buffer.length) {
            if (buffer[i + 1] === '\n') i++;
          } else skipLf = true;
        }
        start = i + 1;
      }
      buffer = buffer.slice(start);
    },
    end() {
      buffer = '';
      event = '';
      data = [];
    },
  };
}

/** Exponential back-off with jitter: about min·2^attempt, capped at max, never below half. */
export function backoffDelay(attempt: number, minMs = 1_000, maxMs = 30_000, random: () => number = Math.random): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.5 + random() * 0.5));
}

export type StreamState = 'connecting' | 'open' | 'waiting' | 'closed';

export interface EventStreamOptions {
  /** Opens the stream; rejects (or throws) when it cannot. */
  open(signal: AbortSignal): Promise<ReadableStream<Uint8Array>>;
  onEvent(e: SseEvent): void;
  /** Called on every successful (re)connection: the moment to re-read what may have been missed. */
  onOpen?(): void;
  onState?(s: StreamState): void;
  minDelayMs?: number;
  maxDelayMs?: number;
  random?: () => number;
}

export interface EventStream {
  close(): void;
  /** Skips the current back-off wait (e.g. the network just came back). */
  reconnectNow(): void;
}

/**
 * Keeps an event stream open: reconnects with back-off after any failure or after the server
 * ends the stream, until closed.
 */
export function connectEventStream(o: EventStreamOptions): EventStream {
  let closed = false;
  let controller: AbortController | null = null;
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  let wake: (() => void) | null = null;
  let serverRetry: number | null = null;

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = null;
        resolve();
      }
      wake = done;
    });

  const run = async () => {
    let attempt = 0;
    while (!closed) {
      o.onState?.('connecting');
      controller = new AbortController();
      let opened = false;
      try {
        const body = await o.open(controller.signal);
        if (closed) break;
        opened = true;
        attempt = 0;
        o.onState?.('open');
        o.onOpen?.();
        const parser = createSseParser(
          (e) => !closed && o.onEvent(e),
          (ms) => (serverRetry = ms),
        );
        const current = body.getReader();
        reader = current;
        const decoder = new TextDecoder();
        try {
          for (;;) {
            const { value, done } = await current.read();
            if (done || closed) break;
            parser.push(decoder.decode(value, { stream: true }));
          }
        } finally {
          parser.end();
          reader = null;
          current.cancel().catch(() => {});
        }
      } catch {
        /* network failure, refused, or aborted: wait and try again */
      }
      if (closed) break;
      o.onState?.('waiting');
      // A stream that was open starts again quickly; repeated failures back off.
      const delay = opened
        ? Math.max(serverRetry ?? 0, o.minDelayMs ?? 1_000)
        : backoffDelay(attempt++, o.minDelayMs, o.maxDelayMs, o.random);
      await wait(delay);
    }
    o.onState?.('closed');
  };
  void run();

  return {
    close() {
      closed = true;
      controller?.abort();
      // Also ends a read that the abort does not reach (a stream not tied to the signal).
      reader?.cancel().catch(() => {});
      wake?.();
    },
    reconnectNow() {
      wake?.();
    },
  };
}
