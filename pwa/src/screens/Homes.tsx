import { useEffect, useState } from 'preact/hooks';
import type { User } from '../api/types';
import { lazyScreen } from '../components/LazyScreen';
import { HelpIcon, LessonIcon, MeIcon, StationIcon, ToolsIcon } from '../components/Icons';
import { TopBar } from '../components/TopBar';
import { Placeholder } from '../components/Placeholder';
import { SosFab } from '../components/SosFab';
import { useI18n } from '../i18n/context';
import type { MessageKey } from '../i18n';
import { parseCheckinRoute } from '../lib/stations';
import { useHelpSync } from './help/store';
import { StationsTab, type StationsRoute } from './stations/StationsTab';

// Only the stations tab is in the first load; every other screen is a chunk of its own.
const HelpTab = lazyScreen(() => import('./help/HelpTab').then((m) => m.HelpTab));
const LessonsTab = lazyScreen(() => import('./lessons/LessonsTab').then((m) => m.LessonsTab));
const MeTab = lazyScreen(() => import('./MeTab').then((m) => m.MeTab));
const OperatorConsole = lazyScreen(() => import('./operator/OperatorConsole').then((m) => m.OperatorConsole));
const Dashboard = lazyScreen(() => import('./staff/Dashboard').then((m) => m.Dashboard));

interface HomeProps {
  user: User;
  onLogout(): Promise<void>;
}

const TABS = [
  { id: 'stations', label: 'nav_stations', title: 'stations_title', Icon: StationIcon },
  { id: 'help', label: 'nav_help', title: 'help_title', Icon: HelpIcon },
  { id: 'lessons', label: 'nav_lessons', title: 'lessons_title', Icon: LessonIcon },
  { id: 'me', label: 'nav_me', title: 'me_title', Icon: MeIcon },
] as const satisfies readonly { id: string; label: MessageKey; title: MessageKey; Icon: unknown }[];

type TabId = (typeof TABS)[number]['id'];

interface RiderRoute {
  tab: TabId;
  stations: StationsRoute;
  /** What follows the tab in the hash (`#/help/{id}` → the id), for the tab to interpret. */
  sub: string | null;
}

/** `#/tab` or `#/stations/{id}`; the path `/checkin/{id}?code=…` (a station's QR) opens the
 * stations tab on the check-in. */
export function riderRoute(loc: Pick<Location, 'hash' | 'pathname' | 'search'> = location): RiderRoute {
  const checkin = parseCheckinRoute(loc.pathname, loc.search);
  if (checkin) return { tab: 'stations', stations: { stationId: null, checkin }, sub: null };
  const [id, ...rest] = loc.hash.replace(/^#\/?/, '').split('/');
  const tab = TABS.find((t) => t.id === id)?.id ?? 'stations';
  const sub = rest.length > 0 && rest[0] ? rest.map(decodeURIComponent).join('/') : null;
  const stationId = tab === 'stations' ? sub : null;
  return { tab, stations: { stationId, checkin: null }, sub };
}

/** Rider home: one-handed, four tabs at the bottom; the tab lives in the URL hash. Without an
 * account (`user` null) everything can be browsed; actions ask for login (lib/loginGate). */
export function RiderHome({ user, onLogout }: { user: User | null; onLogout(): Promise<void> }) {
  const { t } = useI18n();
  const [route, setRoute] = useState<RiderRoute>(() => riderRoute());
  const tab = route.tab;
  // Queued help requests go out at start and whenever the network returns, whatever the tab.
  useHelpSync(user);
  useEffect(() => {
    const onNav = () => setRoute(riderRoute());
    window.addEventListener('hashchange', onNav);
    window.addEventListener('popstate', onNav);
    return () => {
      window.removeEventListener('hashchange', onNav);
      window.removeEventListener('popstate', onNav);
    };
  }, []);
  /** Goes to `#/…` (also leaving a /checkin/… path); a push unless `replace`, so the back
   * button returns from a station to the list. */
  const navigate = (hash: string, replace = false) => {
    const url = `/${hash}`;
    if (replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
    setRoute(riderRoute());
  };
  const current = TABS.find((x) => x.id === tab) ?? TABS[0];

  return (
    <div class="shell shell-tabs" data-testid="rider-home">
      <TopBar title={t(current.title)} />
      <main class="content" data-testid={`panel-${tab}`}>
        {tab === 'stations' ? (
          <StationsTab route={route.stations} navigate={navigate} />
        ) : tab === 'help' ? (
          <HelpTab user={user} sub={route.sub} navigate={navigate} />
        ) : tab === 'lessons' ? (
          <LessonsTab user={user} sub={route.sub} navigate={navigate} />
        ) : (
          <MeTab user={user} sub={route.sub} navigate={navigate} onLogout={onLogout} />
        )}
      </main>
      <nav class="bottom-nav" aria-label={t('nav_label')} data-testid="bottom-nav">
        {TABS.map(({ id, label, Icon }) => (
          <a
            key={id}
            href={`#/${id}`}
            class={id === tab ? 'tab tab-on' : 'tab'}
            aria-current={id === tab ? 'page' : undefined}
            data-testid={`tab-${id}`}
            onClick={(e) => {
              // Replace rather than push: the back button should leave the app, not walk tabs.
              e.preventDefault();
              navigate(`#/${id}`, true);
            }}
          >
            <Icon size={26} />
            <span class="tab-label">{t(label)}</span>
          </a>
        ))}
        {/* In the tab bar, not floating: where the thumb is, and over nothing else. */}
        <SosFab />
      </nav>
    </div>
  );
}

/** Operator: the station console, in tabs (screens/operator/OperatorConsole). */
export const OperatorHome = (p: HomeProps) => <OperatorConsole {...p} />;

/** Staff: the city dashboard of their region, with their help queue (screens/staff). */
export const StaffHome = (p: HomeProps) => <Dashboard {...p} title="staff_title" testid="staff-home" />;

/** Admin: the same dashboard over everything, and what admins will manage. */
export function AdminHome(p: HomeProps) {
  const { t } = useI18n();
  const manage = (
    <>
      <Placeholder testid="placeholder-admin-stations" icon={<StationIcon size={40} />} title={t('admin_stations')} detail={t('admin_stations_soon')} />
      <Placeholder testid="placeholder-admin-users" icon={<MeIcon size={40} />} title={t('admin_users')} detail={t('admin_users_soon')} />
      <Placeholder testid="placeholder-admin-content" icon={<ToolsIcon size={40} />} title={t('admin_content')} detail={t('admin_content_soon')} />
    </>
  );
  return <Dashboard {...p} title="admin_title" testid="admin-home" manage={manage} />;
}
