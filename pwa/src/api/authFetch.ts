import type { TokenResponse } from './types';

export interface TokenStore {
  access(): string | null;
  refresh(): string | null;
  /** Keeps a new token pair (and the user that came with it). */
  save(tokens: TokenResponse): void;
  /** Forgets the session: the refresh token was refused. */
  clear(): void;
}

export interface AuthFetchOptions {
  tokens: TokenStore;
  /** The fetch to wrap; defaults to globalThis.fetch. */
  fetch?: (request: Request) => Promise<Response>;
  /** URL of POST /api/v1/auth/refresh (relative in the browser). */
  refreshUrl?: string;
  /** Called once when the session ends because the server refused to refresh it. */
  onLoggedOut?: () => void;
}

const AUTH_PREFIX = '/api/v1/auth/';

/** The one auth endpoint that acts on the caller's session rather than starting one: it needs
 * the bearer (and a refresh on 401) like any other call. */
const SESSION_ENDPOINTS = new Set([`${AUTH_PREFIX}logout-all`]);

const isAuthEndpoint = (request: Request) => {
  const path = new URL(request.url).pathname;
  return path.startsWith(AUTH_PREFIX) && !SESSION_ENDPOINTS.has(path);
};

/** A copy of `request` with its body buffered and a bearer token set. Buffering (rather
 * than Request.clone()) keeps the body a plain byte array, which every browser can resend. */
function authorised(request: Request, body: ArrayBuffer | undefined, token: string): Request {
  const headers = new Headers(request.headers);
  headers.set('Authorization', `Bearer ${token}`);
  return new Request(request.url, {
    method: request.method,
    headers,
    body,
    credentials: request.credentials,
    cache: request.cache,
    redirect: request.redirect,
    signal: request.signal,
  });
}

/**
 * Wraps fetch for the API client: sends the access token, and on a 401 refreshes the
 * token pair once (one refresh at a time, shared by every request that got a 401 while
 * it ran) and repeats the request once. When the server refuses the refresh token the
 * session is cleared and `onLoggedOut` is called. A network failure during the refresh
 * keeps the session (the rider may simply be in a basement).
 */
export function createAuthFetch(options: AuthFetchOptions): (request: Request) => Promise<Response> {
  const { tokens, onLoggedOut } = options;
  const baseFetch = options.fetch ?? ((r: Request) => globalThis.fetch(r));
  const refreshUrl = options.refreshUrl ?? `${AUTH_PREFIX}refresh`;
  let inFlight: Promise<string | null> | null = null;

  const endSession = () => {
    tokens.clear();
    onLoggedOut?.();
  };

  async function doRefresh(): Promise<string | null> {
    const refreshToken = tokens.refresh();
    if (!refreshToken) {
      endSession();
      return null;
    }
    let response: Response;
    try {
      response = await baseFetch(
        new Request(refreshUrl, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
          body: JSON.stringify({ refresh_token: refreshToken }),
        }),
      );
    } catch {
      return null;
    }
    if (response.ok) {
      const body = (await response.json()) as TokenResponse;
      tokens.save(body);
      return body.access_token;
    }
    // 5xx, 429: the server could not answer now; the refresh token may still be good.
    if (response.status >= 500 || response.status === 429) return null;
    endSession();
    return null;
  }

  function refreshOnce(): Promise<string | null> {
    inFlight ??= doRefresh().finally(() => {
      inFlight = null;
    });
    return inFlight;
  }

  return async function authFetch(request: Request): Promise<Response> {
    if (isAuthEndpoint(request)) return baseFetch(request);

    const sentToken = tokens.access();
    if (!sentToken) return baseFetch(request);

    const bytes = request.method === 'GET' || request.method === 'HEAD' ? undefined : await request.arrayBuffer();
    const body = bytes && bytes.byteLength > 0 ? bytes : undefined;
    const first = await baseFetch(authorised(request, body, sentToken));
    if (first.status !== 401) return first;

    const current = tokens.access();
    if (!current) return first; // the session ended while this request was out
    // Another request may have refreshed already while this one was out.
    const fresh = current !== sentToken ? current : await refreshOnce();
    if (!fresh) return first;
    const second = await baseFetch(authorised(request, body, fresh));
    if (second.status === 401) endSession();
    return second;
  };
}
