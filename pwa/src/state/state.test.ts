import { describe, expect, it, vi } from 'vitest';
import type { TokenResponse } from '../api/types';
import { memoryStore } from '../lib/storage';
import { createLocaleStore, LOCALE_KEYS } from './locale';
import { createSession, SESSION_KEYS } from './session';

const tokens: TokenResponse = {
  access_token: 'a1',
  refresh_token: 'r1',
  token_type: 'Bearer',
  expires_in: 900,
  user: {
    id: 'u1',
    role: 'staff',
    phone: '13800000003',
    phone_masked: '138****0003',
    display_name: '街道社工',
    locale: 'en',
    station_id: null,
    region_code: '310101',
    created_at: '2026-01-01T00:00:00Z',
  },
};

describe('session', () => {
  it('keeps tokens and the last user in storage, so a reload (or offline start) has them', () => {
    const store = memoryStore();
    const s = createSession(store);
    s.save(tokens);
    const again = createSession(store);
    expect(again.isLoggedIn()).toBe(true);
    expect(again.user()?.display_name).toBe('街道社工');
    expect(again.access()).toBe('a1');
    expect(again.refresh()).toBe('r1');
  });

  it('forgets everything on end, tells listeners once, and remembers why', () => {
    const store = memoryStore();
    const s = createSession(store);
    s.save(tokens);
    const listener = vi.fn();
    s.subscribe(listener);
    s.end('deleted');
    s.end('logout');
    expect(listener).toHaveBeenCalledTimes(1);
    expect(s.lastEndReason()).toBe('deleted');
    expect(s.user()).toBeNull();
    expect([...store.data.keys()].filter((k) => Object.values(SESSION_KEYS).includes(k as never))).toEqual([]);
  });

  it('clear() (refused refresh) counts as expired', () => {
    const s = createSession(memoryStore());
    s.save(tokens);
    s.clear();
    expect(s.isLoggedIn()).toBe(false);
    expect(s.lastEndReason()).toBe('expired');
  });

  it('ignores a cached user without tokens, and a damaged cache', () => {
    expect(createSession(memoryStore({ [SESSION_KEYS.user]: JSON.stringify(tokens.user) })).user()).toBeNull();
    const damaged = createSession(memoryStore({ [SESSION_KEYS.access]: 'a', [SESSION_KEYS.user]: '{not json' }));
    expect(damaged.user()).toBeNull();
    expect(damaged.isLoggedIn()).toBe(false);
  });

  it('does not bring a user back after logout when a late /me answer arrives', () => {
    const s = createSession(memoryStore());
    s.save(tokens);
    s.end('logout');
    s.setUser(tokens.user);
    expect(s.user()).toBeNull();
  });
});

describe('locale store', () => {
  it('defaults to zh-CN and applies the locale to the document at once', () => {
    const applied: string[] = [];
    const l = createLocaleStore(memoryStore(), (x) => applied.push(x));
    expect(l.get()).toBe('zh-CN');
    expect(applied).toEqual(['zh-CN']);
  });

  it('persists a choice and keeps it pending until the server has it', () => {
    const store = memoryStore();
    const l = createLocaleStore(store, () => {});
    const listener = vi.fn();
    l.subscribe(listener);
    l.choose('en');
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.getItem(LOCALE_KEYS.locale)).toBe('en');
    expect(l.pending()).toBe('en');
    l.clearPending();
    expect(l.pending()).toBeNull();
    expect(createLocaleStore(store, () => {}).get()).toBe('en');
  });

  it("adopting the server's language clears what was pending", () => {
    const l = createLocaleStore(memoryStore({ [LOCALE_KEYS.pending]: 'zh-CN' }), () => {});
    l.adopt('en');
    expect(l.get()).toBe('en');
    expect(l.pending()).toBeNull();
  });

  it('ignores a stored value that is not a supported locale', () => {
    expect(createLocaleStore(memoryStore({ [LOCALE_KEYS.locale]: 'fr' }), () => {}).get()).toBe('zh-CN');
  });
});
