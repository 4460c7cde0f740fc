import { useCallback, useEffect, useMemo } from 'preact/hooks';
import { api, call, session } from './api/client';
import type { TokenResponse, User } from './api/types';
import { OfflineBanner } from './components/OfflineBanner';
import { UpdateToast } from './components/UpdateToast';
import { isLocale, translator, type Locale } from './i18n';
import { I18nContext, useI18n, type I18nValue } from './i18n/context';
import { loginGate } from './lib/loginGate';
import { browserStore } from './lib/storage';
import { parseCheckinRoute } from './lib/stations';
import { useOnline } from './lib/useOnline';
import { useStore } from './lib/useStore';
import { createLocaleStore } from './state/locale';
import { AdminHome, OperatorHome, RiderHome, StaffHome } from './screens/Homes';
import { LoginSheet } from './screens/LoginSheet';

const localeStore = createLocaleStore(browserStore());

/** Tells the server the language picked on this device, if it does not know yet. */
async function pushPendingLocale(user: User): Promise<void> {
  const pending = localeStore.pending();
  if (!pending) return;
  if (pending === user.locale) return localeStore.clearPending();
  const r = await call(api.PATCH('/api/v1/me', { body: { locale: pending } }));
  if (r.ok) {
    session.setUser(r.data);
    if (localeStore.pending() === pending) localeStore.clearPending();
  }
}

async function refreshMe(): Promise<void> {
  const r = await call(api.GET('/api/v1/me'));
  if (r.ok) {
    session.setUser(r.data);
    await pushPendingLocale(r.data);
  }
}

async function logout(): Promise<void> {
  const refreshToken = session.refresh();
  if (refreshToken) {
    // Best effort: offline, the local session still ends.
    await call(api.POST('/api/v1/auth/logout', { body: { refresh_token: refreshToken } }));
  }
  history.replaceState(null, '', '/');
  session.end('logout');
}

/** A station QR opened while logged in as staff: say why nothing happens. */
function CheckinNotRider() {
  const { t } = useI18n();
  return (
    <p class="notice notice-top" role="status" data-testid="checkin-not-rider">
      {t('checkin_riders_only')}
    </p>
  );
}

export function App() {
  const locale = useStore(localeStore, localeStore.get);
  const user = useStore(session, session.user);
  const ended = useStore(session, session.lastEndReason);
  const pending = useStore(loginGate, loginGate.pending);
  const online = useOnline();

  // With a saved session: show the cached user at once, then ask the server (again
  // whenever the network comes back).
  useEffect(() => {
    if (online && session.isLoggedIn()) void refreshMe();
  }, [online]);

  // A session that ended by itself (refused refresh, account deleted) says so at the login;
  // a logout just leaves the rider browsing.
  useEffect(() => {
    if (user || (ended !== 'expired' && ended !== 'deleted')) return;
    if (!loginGate.pending()) loginGate.ask('login', {});
  }, [user, ended]);

  const chooseLocale = useCallback(async (next: Locale) => {
    localeStore.choose(next);
    const current = session.user();
    if (session.isLoggedIn() && current) await pushPendingLocale(current);
  }, []);

  const i18n = useMemo<I18nValue>(() => ({ locale, t: translator(locale), chooseLocale }), [locale, chooseLocale]);

  const onSession = useCallback(async (tokens: TokenResponse) => {
    if (!localeStore.pending() && isLocale(tokens.user.locale)) localeStore.adopt(tokens.user.locale);
    if (tokens.user.role === 'rider') {
      // The screen that asked resumes its action (check-in, help, quiz); a plain login is done.
      loginGate.take('login');
    } else {
      // Operators and staff go to their own homes; a rider's action means nothing there.
      loginGate.cancel();
      if (!parseCheckinRoute(location.pathname, location.search)) history.replaceState(null, '', '/');
    }
    session.save(tokens);
    await pushPendingLocale(tokens.user);
  }, []);

  const checkin = parseCheckinRoute(location.pathname, location.search);
  let screen;
  if (!user || user.role === 'rider') screen = <RiderHome user={user} onLogout={logout} />;
  else if (user.role === 'operator') screen = <OperatorHome user={user} onLogout={logout} />;
  else if (user.role === 'staff') screen = <StaffHome user={user} onLogout={logout} />;
  else screen = <AdminHome user={user} onLogout={logout} />;

  return (
    <I18nContext.Provider value={i18n}>
      {online ? null : <OfflineBanner />}
      {user && checkin && user.role !== 'rider' ? <CheckinNotRider /> : null}
      {screen}
      {!user && pending ? <LoginSheet kind={pending.kind} ended={ended} onSession={onSession} /> : null}
      <UpdateToast />
    </I18nContext.Provider>
  );
}
