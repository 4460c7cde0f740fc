import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import createClient from 'openapi-fetch';
import type { paths } from './schema';
import { call } from './client';
import { REQUEST_TIMEOUT_MS, timeoutFor, withTimeout } from './timeout';

const ORIGIN = 'http://app.test';

/** A server that never answers, but (like a real fetch) rejects once its signal aborts. */
const hung = vi.fn(
  (req: Request) =>
    new Promise<Response>((_, reject) => {
      req.signal.addEventListener('abort', () => reject(req.signal.reason));
    }),
);
/** Worse: ignores the signal altogether. */
const deaf = vi.fn(() => new Promise<Response>(() => {}));

beforeEach(() => {
  vi.useFakeTimers();
  hung.mockClear();
});
afterEach(() => vi.useRealTimers());

describe('withTimeout', () => {
  it('turns a request that never answers into the network problem after ~8 s', async () => {
    const api = createClient<paths>({ baseUrl: ORIGIN, fetch: withTimeout(hung) });
    let settled: Awaited<ReturnType<typeof call>> | null = null;
    void call(api.GET('/api/v1/lessons', { params: { query: { locale: 'zh-CN' } } })).then((r) => (settled = r));
    await vi.advanceTimersByTimeAsync(REQUEST_TIMEOUT_MS - 100);
    expect(settled).toBeNull();
    await vi.advanceTimersByTimeAsync(200);
    expect(settled).toMatchObject({ ok: false, problem: { code: 'network', status: 0 } });
    expect(hung).toHaveBeenCalledTimes(1);
    expect((hung.mock.calls[0]![0] as Request).signal.aborted).toBe(true);
  });

  it('gives up even when the underlying fetch ignores the abort', async () => {
    const f = withTimeout(deaf);
    const p = f(new Request(`${ORIGIN}/api/v1/me`));
    const caught = p.catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(REQUEST_TIMEOUT_MS);
    expect(((await caught) as DOMException).name).toBe('TimeoutError');
  });

  it('lets an answer through and keeps its body (and a POST body) intact', async () => {
    const echo = vi.fn(async (req: Request) => new Response(await req.text(), { status: 201 }));
    const f = withTimeout(echo);
    const res = await f(new Request(`${ORIGIN}/api/v1/help-requests`, { method: 'POST', body: '{"a":1}' }));
    expect(res.status).toBe(201);
    expect(await res.text()).toBe('{"a":1}');
    // Nothing fires later for a finished request.
    await vi.advanceTimersByTimeAsync(REQUEST_TIMEOUT_MS * 2);
  });

  it("still obeys the caller's own signal", async () => {
    const f = withTimeout(hung);
    const mine = new AbortController();
    const caught = f(new Request(`${ORIGIN}/api/v1/me`, { signal: mine.signal })).catch((e: unknown) => e);
    mine.abort(new DOMException('left the screen', 'AbortError'));
    expect(((await caught) as DOMException).name).toBe('AbortError');
  });

  it('leaves live event streams open', async () => {
    const f = withTimeout(hung);
    let settled = false;
    void f(new Request(`${ORIGIN}/api/v1/events`, { headers: { Accept: 'text/event-stream' } })).catch(() => (settled = true));
    await vi.advanceTimersByTimeAsync(REQUEST_TIMEOUT_MS * 10);
    expect(settled).toBe(false);
    expect((hung.mock.calls[0]![0] as Request).signal.aborted).toBe(false);
  });

  it('allows CSV downloads longer', () => {
    expect(timeoutFor(new Request(`${ORIGIN}/x`, { headers: { Accept: 'text/csv' } }))).toBeGreaterThan(REQUEST_TIMEOUT_MS);
    expect(timeoutFor(new Request(`${ORIGIN}/x`))).toBe(REQUEST_TIMEOUT_MS);
  });
});
