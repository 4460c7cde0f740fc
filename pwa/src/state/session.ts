import type { TokenStore } from '../api/authFetch';
import type { TokenResponse, User } from '../api/types';
import type { KeyValueStore } from '../lib/storage';

export const SESSION_KEYS = {
  access: 'warmnew.access_token',
  refresh: 'warmnew.refresh_token',
  user: 'warmnew.me',
} as const;

export type EndReason = 'logout' | 'expired' | 'deleted';

export interface Session extends TokenStore {
  /** The last user the server sent (kept for offline use), or null when logged out. */
  user(): User | null;
  setUser(user: User): void;
  isLoggedIn(): boolean;
  /** Ends the session on purpose (logout, account deleted). */
  end(reason: EndReason): void;
  lastEndReason(): EndReason | null;
  subscribe(listener: () => void): () => void;
}

function readUser(store: KeyValueStore): User | null {
  const raw = store.getItem(SESSION_KEYS.user);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as unknown;
    if (parsed && typeof parsed === 'object' && 'id' in parsed && 'role' in parsed) return parsed as User;
  } catch {
    /* a damaged entry is as good as none */
  }
  return null;
}

export function createSession(store: KeyValueStore): Session {
  const listeners = new Set<() => void>();
  let user = store.getItem(SESSION_KEYS.access) ? readUser(store) : null;
  let endReason: EndReason | null = null;
  const notify = () => listeners.forEach((l) => l());

  const wipe = (reason: EndReason) => {
    const wasLoggedIn = store.getItem(SESSION_KEYS.access) !== null || user !== null;
    store.removeItem(SESSION_KEYS.access);
    store.removeItem(SESSION_KEYS.refresh);
    store.removeItem(SESSION_KEYS.user);
    user = null;
    if (wasLoggedIn) {
      endReason = reason;
      notify();
    }
  };

  return {
    access: () => store.getItem(SESSION_KEYS.access),
    refresh: () => store.getItem(SESSION_KEYS.refresh),
    save(tokens: TokenResponse) {
      store.setItem(SESSION_KEYS.access, tokens.access_token);
      store.setItem(SESSION_KEYS.refresh, tokens.refresh_token);
      store.setItem(SESSION_KEYS.user, JSON.stringify(tokens.user));
      user = tokens.user;
      endReason = null;
      notify();
    },
    clear: () => wipe('expired'),
    user: () => user,
    setUser(next: User) {
      if (!store.getItem(SESSION_KEYS.access)) return; // logged out meanwhile
      user = next;
      store.setItem(SESSION_KEYS.user, JSON.stringify(next));
      notify();
    },
    isLoggedIn: () => user !== null && store.getItem(SESSION_KEYS.access) !== null,
    end: (reason) => wipe(reason),
    lastEndReason: () => endReason,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
