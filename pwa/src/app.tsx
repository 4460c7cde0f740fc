import { useCallback, useEffect, useMemo } from 'preact/hooks';
import { api, call, session } from './api/client';
import type { TokenResponse, User } from './api/types';
import { OfflineBanner } from './components/OfflineBanner';
import { UpdateToast } from './components/UpdateToast';
import { isLocale, translator, type Locale } from './i18n';
import { I18nContext, useI18n, type I18nValue } from './i18n/context';
import { browserStore } from './lib/storage';
import { parseCheckinRoute } from './lib/stations';
import { useOnline } from './lib/useOnline';
import { useStore } from './lib/useStore';
import { createLocaleStore } from './state/locale';
import { AuthScreens } from './screens/Auth';
import { AdminHome, OperatorHome, RiderHome, StaffHome } from './screens/Homes';

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
  const online = useOnline();

  // With a saved session: show the cached user at once, then ask the server (again
  // whenever the network comes back).
  useEffect(() => {
    if (online && session.isLoggedIn()) void refreshMe();
  }, [online]);

  const chooseLocale = useCallback(async (next: Locale) => {
    localeStore.choose(next);
    const current = session.user();
    if (session.isLoggedIn() && current) await pushPendingLocale(current);
  }, []);

  const i18n = useMemo<I18nValue>(() => ({ locale, t: translator(locale), chooseLocale }), [locale, chooseLocale]);

  const onSession = useCallback(async (tokens: TokenResponse) => {
    if (!localeStore.pending() && isLocale(tokens.user.locale)) localeStore.adopt(tokens.user.locale);
    // A station's check-in link survives the login: the rider home checks in from it.
    if (!parseCheckinRoute(location.pathname, location.search)) history.replaceState(null, '', '/');
    session.save(tokens);
    await pushPendingLocale(tokens.user);
  }, []);

  const checkin = parseCheckinRoute(location.pathname, location.search);
  let screen;
  if (!user) screen = <AuthScreens onSession={onSession} ended={ended} checkinPending={checkin !== null} />;
  else if (user.role === 'operator') screen = <OperatorHome user={user} onLogout={logout} />;
  else if (user.role === 'staff') screen = <StaffHome user={user} onLogout={logout} />;
  else if (user.role === 'admin') screen = <AdminHome user={user} onLogout={logout} />;
  else screen = <RiderHome user={user} onLogout={logout} />;

  return (
    <I18nContext.Provider value={i18n}>
      {online ? null : <OfflineBanner />}
      {user && checkin && user.role !== 'rider' ? <CheckinNotRider /> : null}
      {screen}
      <UpdateToast />
    </I18nContext.Provider>
  );
}
