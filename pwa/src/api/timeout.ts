// Every API request gives up after a while, so a dead connection (a basement, a lift) turns
// into the `network` problem and the screen can show its offline copy or a retry instead of
// an endless spinner. Live event streams stay open by design and are exempt.

/** How long one request may take, headers and body together. */
export const REQUEST_TIMEOUT_MS = 8_000;
/** CSV downloads of the dashboard are large tables on a desk's wired network. */
export const DOWNLOAD_TIMEOUT_MS = 60_000;

/** The time allowed for `request` in ms, or null for none (SSE). */
export function timeoutFor(request: Request): number | null {
  const accept = request.headers.get('Accept') ?? '';
  if (accept.includes('text/event-stream')) return null;
  if (accept.includes('text/csv')) return DOWNLOAD_TIMEOUT_MS;
  return REQUEST_TIMEOUT_MS;
}

/** The error a timed-out request rejects with (what `AbortSignal.timeout` would give). */
export const timeoutError = () => new DOMException('The request timed out', 'TimeoutError');

/**
 * Wraps fetch so each request is aborted after `timeoutFor(request)`, headers and body
 * together (aborting a finished request does nothing); a caller's own signal still works.
 * The returned promise rejects at the deadline even if the underlying fetch ignores the signal.
 */
export function withTimeout(
  baseFetch: (request: Request) => Promise<Response>,
  policy: (request: Request) => number | null = timeoutFor,
): (request: Request) => Promise<Response> {
  return (request) => {
    const ms = policy(request);
    if (ms === null) return baseFetch(request);
    const controller = new AbortController();
    const outer = request.signal;
    const onOuterAbort = () => controller.abort(outer.reason);
    if (outer.aborted) onOuterAbort();
    else outer.addEventListener('abort', onOuterAbort, { once: true });
    const deadline = new Promise<never>((_, reject) => {
      setTimeout(() => {
        const reason = timeoutError();
        controller.abort(reason);
        outer.removeEventListener('abort', onOuterAbort);
        reject(reason);
      }, ms);
    });
    // Settles after the race is decided when the answer came first: nobody waits for it.
    deadline.catch(() => {});
    // A copy of the request carrying our signal (its body moves along with it).
    return Promise.race([baseFetch(new Request(request, { signal: controller.signal })), deadline]);
  };
}
