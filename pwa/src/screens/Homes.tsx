import { useEffect, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { User } from '../api/types';
import { ChartIcon, HelpIcon, LessonIcon, MeIcon, StationIcon, ToolsIcon } from '../components/Icons';
import { Placeholder } from '../components/Placeholder';
import { useI18n } from '../i18n/context';
import type { MessageKey } from '../i18n';
import { parseCheckinRoute } from '../lib/stations';
import { HelpQueue } from './help/HelpQueue';
import { HelpTab } from './help/HelpTab';
import { useHelpSync } from './help/store';
import { LessonsTab } from './lessons/LessonsTab';
import { OperatorStation } from './operator/OperatorStation';
import { MyPoints } from './points/MyPoints';
import { RedeemPanel } from './points/RedeemPanel';
import { Profile } from './Profile';
import { StationsTab, type StationsRoute } from './stations/StationsTab';

interface HomeProps {
  user: User;
  onLogout(): Promise<void>;
}

function TopBar({ title }: { title: string }) {
  const { t } = useI18n();
  return (
    <header class="topbar">
      <img src="/icons/favicon-64.png" width={32} height={32} alt="" />
      <div>
        <div class="topbar-app">{t('app_name')}</div>
        <h1 class="topbar-title" data-testid="page-title">
          {title}
        </h1>
      </div>
    </header>
  );
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

/** Rider home: one-handed, four tabs at the bottom; the tab lives in the URL hash. */
export function RiderHome({ user, onLogout }: HomeProps) {
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
          <>
            <MyPoints user={user} sub={route.sub} navigate={navigate} />
            <Profile user={user} onLogout={onLogout} />
          </>
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
      </nav>
    </div>
  );
}

function DeskHome(p: HomeProps & { title: MessageKey; testid: string; children: ComponentChildren; wide?: boolean }) {
  const { t } = useI18n();
  return (
    <div class="shell" data-testid={p.testid}>
      <TopBar title={t(p.title)} />
      <main class="content">
        <div class={p.wide ? 'cards cards-stacked' : 'cards'}>{p.children}</div>
        <h2 class="section-title">{t('me_title')}</h2>
        <Profile user={p.user} onLogout={p.onLogout} />
      </main>
    </div>
  );
}

export function OperatorHome(p: HomeProps) {
  const { t } = useI18n();
  return (
    <DeskHome {...p} title="operator_title" testid="operator-home" wide>
      <OperatorStation user={p.user} />
      <Placeholder testid="placeholder-service-log" icon={<LessonIcon size={40} />} title={t('operator_log')} detail={t('operator_log_soon')} />
      <HelpQueue user={p.user} />
      <RedeemPanel user={p.user} />
    </DeskHome>
  );
}

export function StaffHome(p: HomeProps) {
  const { t } = useI18n();
  return (
    <DeskHome {...p} title="staff_title" testid="staff-home">
      <HelpQueue user={p.user} />
      <Placeholder testid="placeholder-usage" icon={<ChartIcon size={40} />} title={t('staff_usage')} detail={t('staff_usage_soon')} />
      <Placeholder testid="placeholder-help-stats" icon={<HelpIcon size={40} />} title={t('staff_help')} detail={t('staff_help_soon')} />
      <Placeholder testid="placeholder-coverage" icon={<StationIcon size={40} />} title={t('staff_coverage')} detail={t('staff_coverage_soon')} />
    </DeskHome>
  );
}

export function AdminHome(p: HomeProps) {
  const { t } = useI18n();
  return (
    <DeskHome {...p} title="admin_title" testid="admin-home">
      <HelpQueue user={p.user} />
      <Placeholder testid="placeholder-admin-stations" icon={<StationIcon size={40} />} title={t('admin_stations')} detail={t('admin_stations_soon')} />
      <Placeholder testid="placeholder-admin-users" icon={<MeIcon size={40} />} title={t('admin_users')} detail={t('admin_users_soon')} />
      <Placeholder testid="placeholder-admin-content" icon={<ToolsIcon size={40} />} title={t('admin_content')} detail={t('admin_content_soon')} />
    </DeskHome>
  );
}
