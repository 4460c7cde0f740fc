// 数据看板 for city, district and street staff (their region and what lies inside it) and for
// admins (everything): desktop first, tabs across the top (the tab in the URL hash), the
// region and days asked once for every panel, and the help queue one tab away.
import '../../i18n/dashboard';
import '../../i18n/help';
import '../../i18n/operator';
import '../../i18n/learn';
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Period } from '../../api/analytics';
import { api, call } from '../../api/client';
import type { Region, User } from '../../api/types';
import { ChartIcon, HelpIcon, LessonIcon, LocateIcon, MeIcon, StationIcon, ToolsIcon } from '../../components/Icons';
import { TopBar } from '../../components/TopBar';
import { useI18n } from '../../i18n/context';
import type { MessageKey } from '../../i18n';
import { presetRange } from '../../lib/dateRange';
import { HelpQueue } from '../help/HelpQueue';
import { Profile } from '../Profile';
import { CoveragePanel } from './CoveragePanel';
import { Filters, type Question } from './Filters';
import { HelpPanel } from './HelpPanel';
import { LessonPanel } from './LessonPanel';
import { OverviewPanel } from './OverviewPanel';
import { StationTable } from './StationTable';
import './dashboard.css';

const TABS = [
  { id: 'overview', label: 'db_tab_overview', Icon: ChartIcon, asks: true },
  { id: 'stations', label: 'db_tab_stations', Icon: StationIcon, asks: true },
  { id: 'help', label: 'db_tab_help', Icon: HelpIcon, asks: true },
  { id: 'lessons', label: 'db_tab_lessons', Icon: LessonIcon, asks: true },
  { id: 'map', label: 'db_tab_map', Icon: LocateIcon, asks: true },
  { id: 'queue', label: 'db_tab_queue', Icon: HelpIcon, asks: false },
  { id: 'manage', label: 'db_tab_manage', Icon: ToolsIcon, asks: false },
  { id: 'me', label: 'db_tab_me', Icon: MeIcon, asks: false },
] as const satisfies readonly { id: string; label: MessageKey; Icon: unknown; asks: boolean }[];

export type DashTab = (typeof TABS)[number]['id'];

interface Route {
  tab: DashTab;
  /** `#/queue/{id}` → the request open in the queue. */
  sub: string | null;
}

function parseRoute(hash: string, tabs: readonly DashTab[]): Route {
  const [id, ...rest] = hash.replace(/^#\/?/, '').split('/');
  const tab = tabs.find((x) => x === id) ?? 'overview';
  const sub = rest.length > 0 && rest[0] ? rest.map(decodeURIComponent).join('/') : null;
  return { tab, sub };
}

interface Props {
  user: User;
  onLogout(): Promise<void>;
  title: MessageKey;
  testid: string;
  /** Extra content of the admin's 系统管理 tab. */
  manage?: ComponentChildren;
}

export function Dashboard({ user, onLogout, title, testid, manage }: Props) {
  const { t } = useI18n();
  const admin = user.role === 'admin';
  const scope = admin ? null : (user.region_code ?? '');
  const tabs = TABS.filter((x) => x.id !== 'manage' || manage !== undefined);
  const ids = tabs.map((x) => x.id);
  const [route, setRoute] = useState<Route>(() => parseRoute(location.hash, ids));
  const navigate = (hash: string, replace = false) => {
    if (replace) history.replaceState(null, '', `/${hash}`);
    else history.pushState(null, '', `/${hash}`);
    setRoute(parseRoute(location.hash, ids));
  };
  useEffect(() => {
    const onNav = () => setRoute(parseRoute(location.hash, ids));
    window.addEventListener('hashchange', onNav);
    window.addEventListener('popstate', onNav);
    return () => {
      window.removeEventListener('hashchange', onNav);
      window.removeEventListener('popstate', onNav);
    };
  }, []);

  const [question, setQuestion] = useState<Question>(() => ({ region: scope ?? '', range: presetRange(30) }));
  const [regions, setRegions] = useState<Region[] | null>(null);
  useEffect(() => {
    let live = true;
    void call(api.GET('/api/v1/regions')).then((r) => live && r.ok && setRegions(r.data.items));
    return () => {
      live = false;
    };
  }, []);

  const period: Period = { from: question.range.from, to: question.range.to, ...(question.region ? { region: question.region } : {}) };
  const current = tabs.find((x) => x.id === route.tab) ?? tabs[0]!;
  const noScope = scope === '';

  return (
    <div class="shell dash" data-testid={testid} data-tab={route.tab}>
      <TopBar title={t(title)} />
      <nav class="dash-tabs" aria-label={t('db_nav_label')} data-testid="dash-tabs">
        {tabs.map(({ id, label, Icon }) => (
          <a
            key={id}
            href={`#/${id}`}
            class={id === route.tab ? 'dash-tab dash-tab-on' : 'dash-tab'}
            aria-current={id === route.tab ? 'page' : undefined}
            data-testid={`dash-tab-${id}`}
            onClick={(e) => {
              e.preventDefault();
              navigate(`#/${id}`, true);
            }}
          >
            <Icon size={22} />
            <span>{t(label)}</span>
          </a>
        ))}
      </nav>
      <main class="content dash-content" data-testid={`dash-panel-${route.tab}`}>
        {current.asks && noScope ? (
          <p class="notice" role="status" data-testid="db-no-region">
            {t('db_no_region')}
          </p>
        ) : null}
        {current.asks && !noScope ? <Filters value={question} scope={scope} regions={regions} onChange={setQuestion} /> : null}
        {noScope && current.asks ? null : route.tab === 'overview' ? (
          <OverviewPanel period={period} />
        ) : route.tab === 'stations' ? (
          <StationTable period={period} regions={regions} />
        ) : route.tab === 'help' ? (
          <HelpPanel period={period} />
        ) : route.tab === 'lessons' ? (
          <LessonPanel period={period} />
        ) : route.tab === 'map' ? (
          <CoveragePanel period={period} regions={regions} scope={scope} />
        ) : route.tab === 'queue' ? (
          <HelpQueue user={user} selected={route.sub} onSelect={(id) => (id ? navigate(`#/queue/${encodeURIComponent(id)}`) : navigate('#/queue', true))} />
        ) : route.tab === 'manage' ? (
          <div class="cards">{manage}</div>
        ) : (
          <div class="dash-me">
            <Profile user={user} onLogout={onLogout} />
          </div>
        )}
      </main>
    </div>
  );
}
