import { describe, expect, it } from 'vitest';
import { backoffDelay, connectEventStream, createSseParser, type SseEvent, type StreamState } from './sse';

function parse(chunks: string[]) {
  const events: SseEvent[] = [];
  const retries: number[] = [];
  const p = createSseParser(
    (e) => events.push(e),
    (ms) => retries.push(ms),
  );
  for (const c of chunks) p.push(c);
  p.end();
  return { events, retries };
}

describe('SSE parser', () => {
  it('reads named events with JSON data and ids', () => {
    const { events } = parse(['event: help_request\nid: 7\ndata: {"request_id":"a","kind":"accepted"}\n\n']);
    expect(events).toEqual([{ event: 'help_request', data: '{"request_id":"a","kind":"accepted"}', id: '7' }]);
  });

  it('defaults the event name to "message" and joins data lines with newlines', () => {
    const { events } = parse(['data: one\ndata:two\ndata\n\n']);
    expect(events).toEqual([{ event: 'message', data: 'one\ntwo\n', id: '' }]);
  });

  it('handles chunks split anywhere, including inside CRLF', () => {
    const text = 'event: a\r\ndata: 1\r\n\r\nevent: b\rdata: 2\r\rdata: 3\n\n';
    const whole = parse([text]).events;
    expect(whole.map((e) => [e.event, e.data])).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['message', '3'],
    ]);
    // Every split point, and one character at a time.
    for (let i = 1; i < text.length; i++) {
      expect(parse([text.slice(0, i), text.slice(i)]).events, `split at ${i}`).toEqual(whole);
    }
    expect(parse([...text]).events).toEqual(whole);
  });

  it('ignores comments, unknown fields and events without data; strips one leading space only', () => {
    const { events } = parse([': keep-alive\n\nfoo: bar\nevent: x\n\ndata:  two spaces\n\n']);
    expect(events).toEqual([{ event: 'message', data: ' two spaces', id: '' }]);
  });

  it('keeps the last id for later events and reads retry', () => {
    const { events, retries } = parse(['id: 5\ndata: a\n\ndata: b\n\nretry: 2500\nretry: soon\n\n']);
    expect(events.map((e) => e.id)).toEqual(['5', '5']);
    expect(retries).toEqual([2500]);
  });

  it('drops an unterminated event at the end and a BOM at the start', () => {
    const { events } = parse(['\uFEFFdata: x\n\n', 'data: half']);
    expect(events).toEqual([{ event: 'message', data: 'x', id: '' }]);
  });
});

describe('back-off', () => {
  it('doubles from the minimum up to the cap, with jitter between half and whole', () => {
    expect(backoffDelay(0, 1000, 30000, () => 1)).toBe(1000);
    expect(backoffDelay(0, 1000, 30000, () => 0)).toBe(500);
    expect(backoffDelay(3, 1000, 30000, () => 1)).toBe(8000);
    expect(backoffDelay(10, 1000, 30000, () => 1)).toBe(30000);
    expect(backoffDelay(50, 1000, 30000, () => 0)).toBe(15000);
  });
});

/** A stream the test writes into. */
function pipe() {
  let ctrl!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({ start: (c) => void (ctrl = c) });
  const enc = new TextEncoder();
  return { stream, write: (s: string) => ctrl.enqueue(enc.encode(s)), end: () => ctrl.close() };
}

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 1));
  expect(cond()).toBe(true);
};

describe('connectEventStream', () => {
  it('delivers events, and reconnects (calling onOpen again) after failures and after the server ends the stream', async () => {
    const pipes: ReturnType<typeof pipe>[] = [];
    let opens = 0;
    let failures = 1;
    const events: string[] = [];
    const states: StreamState[] = [];
    let onOpens = 0;
    const es = connectEventStream({
      open: async () => {
        opens++;
        if (failures-- > 0) throw new Error('network');
        const p = pipe();
        pipes.push(p);
        return p.stream;
      },
      onEvent: (e) => events.push(`${e.event}:${e.data}`),
      onOpen: () => onOpens++,
      onState: (s) => states.push(s),
      minDelayMs: 1,
      maxDelayMs: 2,
    });
    await until(() => pipes.length === 1);
    expect(opens).toBe(2); // first attempt failed, the second opened
    pipes[0]!.write('event: help_request\ndata: {"a":');
    pipes[0]!.write('1}\n\n');
    await until(() => events.length === 1);
    expect(events).toEqual(['help_request:{"a":1}']);
    pipes[0]!.end(); // the server ends the stream: connect again
    await until(() => pipes.length === 2);
    await until(() => onOpens === 2);
    pipes[1]!.write('data: again\n\n');
    await until(() => events.length === 2);
    es.close();
    await until(() => states.at(-1) === 'closed');
    expect(states.slice(0, 3)).toEqual(['connecting', 'waiting', 'connecting']);
    expect(states).toContain('open');
  });

  it('reconnectNow skips the wait and close stops for good', async () => {
    let opens = 0;
    const es = connectEventStream({
      open: async () => {
        opens++;
        throw new Error('offline');
      },
      onEvent: () => {},
      minDelayMs: 60_000,
      maxDelayMs: 60_000,
    });
    await until(() => opens === 1);
    es.reconnectNow();
    await until(() => opens === 2);
    es.close();
    es.reconnectNow();
    await new Promise((r) => setTimeout(r, 10));
    expect(opens).toBe(2);
  });
});
