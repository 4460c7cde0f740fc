import createClient from 'openapi-fetch';
import type { paths } from './schema';
import { createAuthFetch } from './authFetch';
import { networkProblem, toProblem, type Problem } from './problem';
import { withTimeout } from './timeout';
import { createSession } from '../state/session';
import { browserStore } from '../lib/storage';

/** The signed-in session, kept in localStorage. */
export const session = createSession(browserStore());

/** The typed API client (same origin). Every request carries the access token, survives one
 * expired token through a single-flight refresh, and gives up after ~8 s (api/timeout.ts). */
export const api = createClient<paths>({
  fetch: createAuthFetch({ tokens: session, fetch: withTimeout((r) => globalThis.fetch(r)) }),
  headers: { Accept: 'application/json' },
});

export type Result<T> = { ok: true; data: T; response: Response } | { ok: false; problem: Problem };

/** Turns an openapi-fetch call into ok/problem, with network failures and timeouts as the
 * `network` problem too. */
export async function call<T>(
  request: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<Result<T>> {
  try {
    const r = await request;
    if (r.response.ok) return { ok: true, data: r.data as T, response: r.response };
    return { ok: false, problem: toProblem(r.error, r.response) };
  } catch {
    return { ok: false, problem: networkProblem() };
  }
}
