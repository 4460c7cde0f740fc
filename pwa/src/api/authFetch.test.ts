import { describe, expect, it, vi } from 'vitest';
import { createAuthFetch, type TokenStore } from './authFetch';
import type { TokenResponse, User } from './types';

const ORIGIN = 'http://app.test';
const REFRESH = `${ORIGIN}/api/v1/auth/refresh`;

const user: User = {
  id: '0190f0d8-0000-7000-8000-000000000001',
  role: 'rider',
  phone: '13800000001',
  phone_masked: '138****0001',
  display_name: '小王',
  locale: 'zh-CN',
  station_id: null,
  region_code: null,
  created_at: '2026-01-01T00:00:00Z',
};

const tokenResponse = (access: string, refresh: string): TokenResponse => ({
  access_token: access,
  refresh_token: refresh,
  token_type: 'Bearer',
  expires_in: 900,
  user,
});

function memoryTokens(access: string | null, refresh: string | null) {
  const state = { access, refresh, saves: 0, clears: 0 };
  const store: TokenStore = {
    access: () => state.access,
    refresh: () => state.refresh,
    save(t) {
      state.access = t.access_token;
      state.refresh = t.refresh_token;
      state.saves++;
    },
    clear() {
      state.access = null;
      state.refresh = null;
      state.clears++;
    },
  };
  return { state, store };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/**
 * A fake server: `valid` is the access token it accepts; refresh rotates to access-N / refresh-N
 * when given `refreshOk`, else answers `refreshStatus`.
 */
function fakeServer(opts: { valid: string; refreshOk?: string; refreshStatus?: number; refreshThrows?: boolean }) {
  const calls: { url: string; auth: string | null; body: string }[] = [];
  let n = 0;
  let releaseRefresh: (() => void) | null = null;
  const refreshGate = new Promise<void>((r) => (releaseRefresh = r));
  const fetch = vi.fn(async (req: Request) => {
    const body = req.method === 'GET' ? '' : await req.text();
    calls.push({ url: req.url, auth: req.headers.get('Authorization'), body });
    if (req.url === REFRESH) {
      await refreshGate;
      if (opts.refreshThrows) throw new TypeError('Failed to fetch');
      const sent = (JSON.parse(body) as { refresh_token: string }).refresh_token;
      if (opts.refreshOk && sent === opts.refreshOk) {
        n++;
        opts.valid = `access-${n}`;
        opts.refreshOk = `refresh-${n}`;
        return json(200, tokenResponse(`access-${n}`, `refresh-${n}`));
      }
      return json(opts.refreshStatus ?? 401, { code: 'invalid_refresh_token', status: 401 });
    }
    if (req.headers.get('Authorization') !== `Bearer ${opts.valid}`) {
      return json(401, { code: 'unauthorized', status: 401 });
    }
    return json(200, { ok: true, echo: body });
  });
  return { fetch, calls, release: () => releaseRefresh?.(), refreshCalls: () => calls.filter((c) => c.url === REFRESH).length };
}

describe('createAuthFetch', () => {
  it('sends the access token as a bearer token', async () => {
    const { store } = memoryTokens('a0', 'r0');
    const server = fakeServer({ valid: 'a0' });
    server.release();
    const f = createAuthFetch({ tokens: store, fetch: server.fetch, refreshUrl: REFRESH });
    const res = await f(new Request(`${ORIGIN}/api/v1/me`));
    expect(res.status).toBe(200);
    expect(server.calls[0]?.auth).toBe('Bearer a0');
    expect(server.refreshCalls()).toBe(0);
  });

  it('on 401 refreshes once, keeps the rotated pair and repeats the request with its body', async () => {
    const { state, store } = memoryTokens('expired', 'r0');
    const server = fakeServer({ valid: 'nobody', refreshOk: 'r0' });
    server.release();
    const f = createAuthFetch({ tokens: store, fetch: server.fetch, refreshUrl: REFRESH });
    const res = await f(
      new Request(`${ORIGIN}/api/v1/me`, { method: 'PATCH', body: JSON.stringify({ locale: 'en' }) }),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as { echo: string }).echo).toBe('{"locale":"en"}');
    expect(server.refreshCalls()).toBe(1);
    expect(server.calls.map((c) => c.auth)).toEqual(['Bearer expired', null, 'Bearer access-1']);
    expect(state).toMatchObject({ access: 'access-1', refresh: 'refresh-1', saves: 1, clears: 0 });
  });

  it('shares one refresh among requests that fail together (single flight)', async () => {
    const { state, store } = memoryTokens('expired', 'r0');
    const server = fakeServer({ valid: 'nobody', refreshOk: 'r0' });
    const f = createAuthFetch({ tokens: store, fetch: server.fetch, refreshUrl: REFRESH });
    const pending = [1, 2, 3].map((i) => f(new Request(`${ORIGIN}/api/v1/me?i=${i}`)));
    // Let all three get their 401 before the refresh answers.
    await vi.waitFor(() => expect(server.calls.filter((c) => c.auth === 'Bearer expired')).toHaveLength(3));
    server.release();
    const results = await Promise.all(pending);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(server.refreshCalls()).toBe(1);
    expect(state.refresh).toBe('refresh-1');
  });

  it('does not refresh again when another request already did', async () => {
    const { store } = memoryTokens('expired', 'r0');
    const server = fakeServer({ valid: 'nobody', refreshOk: 'r0' });
    server.release();
    const f = createAuthFetch({ tokens: store, fetch: server.fetch, refreshUrl: REFRESH });
    await f(new Request(`${ORIGIN}/api/v1/me`));
    await f(new Request(`${ORIGIN}/api/v1/me`));
    expect(server.refreshCalls()).toBe(1);
  });

  it('ends the session when the refresh token is refused, and returns the 401', async () => {
    const { state, store } = memoryTokens('expired', 'spent');
    const server = fakeServer({ valid: 'nobody', refreshOk: 'other' });
    server.release();
    const onLoggedOut = vi.fn();
    const f = createAuthFetch({ tokens: store, fetch: server.fetch, refreshUrl: REFRESH, onLoggedOut });
    const res = await f(new Request(`${ORIGIN}/api/v1/me`));
    expect(res.status).toBe(401);
    expect(state).toMatchObject({ access: null, refresh: null, clears: 1 });
    expect(onLoggedOut).toHaveBeenCalledTimes(1);
  });

  it('keeps the session when the refresh fails for lack of network', async () => {
    const { state, store } = memoryTokens('expired', 'r0');
    const server = fakeServer({ valid: 'nobody', refreshOk: 'r0', refreshThrows: true });
    server.release();
    const onLoggedOut = vi.fn();
    const f = createAuthFetch({ tokens: store, fetch: server.fetch, refreshUrl: REFRESH, onLoggedOut });
    const res = await f(new Request(`${ORIGIN}/api/v1/me`));
    expect(res.status).toBe(401);
    expect(state).toMatchObject({ access: 'expired', refresh: 'r0', clears: 0 });
    expect(onLoggedOut).not.toHaveBeenCalled();
  });

  it('keeps the session when the server fails to refresh (5xx)', async () => {
    const { state, store } = memoryTokens('expired', 'r0');
    const server = fakeServer({ valid: 'nobody', refreshStatus: 503 });
    server.release();
    const f = createAuthFetch({ tokens: store, fetch: server.fetch, refreshUrl: REFRESH });
    expect((await f(new Request(`${ORIGIN}/api/v1/me`))).status).toBe(401);
    expect(state.clears).toBe(0);
  });

  it('leaves auth endpoints alone: no bearer, no refresh on their 401', async () => {
    const { store } = memoryTokens('a0', 'r0');
    const server = fakeServer({ valid: 'a0' });
    server.release();
    const f = createAuthFetch({ tokens: store, fetch: server.fetch, refreshUrl: REFRESH });
    const res = await f(new Request(`${ORIGIN}/api/v1/auth/login`, { method: 'POST', body: '{}' }));
    expect(res.status).toBe(401);
    expect(server.calls).toHaveLength(1);
    expect(server.calls[0]?.auth).toBeNull();
  });

  it('sends the bearer to logout-all, which ends the caller\'s sessions', async () => {
    const { store } = memoryTokens('a0', 'r0');
    const server = fakeServer({ valid: 'a0' });
    server.release();
    const f = createAuthFetch({ tokens: store, fetch: server.fetch, refreshUrl: REFRESH });
    await f(new Request(`${ORIGIN}/api/v1/auth/logout-all`, { method: 'POST' }));
    expect(server.calls[0]?.auth).toBe('Bearer a0');
  });

  it('sends anonymous requests unchanged when logged out', async () => {
    const { store } = memoryTokens(null, null);
    const server = fakeServer({ valid: 'a0' });
    server.release();
    const f = createAuthFetch({ tokens: store, fetch: server.fetch, refreshUrl: REFRESH });
    await f(new Request(`${ORIGIN}/api/v1/regions`));
    expect(server.calls).toEqual([{ url: `${ORIGIN}/api/v1/regions`, auth: null, body: '' }]);
  });
});
