// The operator's console (驿站管理员): tabs at the bottom (a rail on a landscape tablet), the
// tab in the URL hash (#/log, #/station, #/help, #/redeem, #/today), and the station's status
// and occupancy above every tab. New help requests ring on any tab.
import '../../i18n/operator';
import '../../i18n/help';
import '../../i18n/learn';
import '../../i18n/dashboard';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { IdentifiedRider } from '../../api/serviceLogs';
import type { User } from '../../api/types';
import { ChartIcon, GiftIcon, HelpIcon, StationIcon, TapIcon } from '../../components/Icons';
import { TopBar } from '../../components/TopBar';
import { useI18n } from '../../i18n/context';
import type { MessageKey } from '../../i18n';
import { pendingEntries } from '../../lib/serviceCounters';
import { useHelpAlerts } from '../help/alerts';
import { HelpQueue } from '../help/HelpQueue';
import { RedeemPanel } from '../points/RedeemPanel';
import { Profile } from '../Profile';
import { NotifyPrompt } from './NotifyPrompt';
import { OperatorStation } from './OperatorStation';
import { useServiceOutbox, useServiceSync } from './outbox';
import { ServiceLog } from './ServiceLog';
import { StationBar } from './StationBar';
import { TodaySummary } from './TodaySummary';
import { useStationEditor } from './useStation';
import { useDaySummary } from './useSummary';

const TABS = [
  { id: 'log', label: 'oc_tab_log', Icon: TapIcon },
  { id: 'station', label: 'oc_tab_station', Icon: StationIcon },
  { id: 'help', label: 'oc_tab_help', Icon: HelpIcon },
  { id: 'redeem', label: 'oc_tab_redeem', Icon: GiftIcon },
  { id: 'today', label: 'oc_tab_today', Icon: ChartIcon },
] as const satisfies readonly { id: string; label: MessageKey; Icon: unknown }[];

type ConsoleTab = (typeof TABS)[number]['id'];

interface ConsoleRoute {
  tab: ConsoleTab;
  /** `#/help/{id}` → the request shown. */
  sub: string | null;
}

function consoleRoute(hash: string = location.hash): ConsoleRoute {
  const [id, ...rest] = hash.replace(/^#\/?/, '').split('/');
  const tab = TABS.find((x) => x.id === id)?.id ?? 'log';
  const sub = rest.length > 0 && rest[0] ? rest.map(decodeURIComponent).join('/') : null;
  return { tab, sub };
}

interface Props {
  user: User;
  onLogout(): Promise<void>;
}

export function OperatorConsole({ user, onLogout }: Props) {
  const { t } = useI18n();
  if (!user.station_id) {
    return (
      <div class="shell" data-testid="operator-home">
        <TopBar title={t('operator_title')} />
        <main class="content">
          <section class="card" data-testid="operator-no-station">
            <h2>{t('operator_status')}</h2>
            <p>{t('operator_no_station')}</p>
          </section>
          <Profile user={user} onLogout={onLogout} />
        </main>
      </div>
    );
  }
  return <Console user={user} stationId={user.station_id} onLogout={onLogout} />;
}

function Console({ user, stationId, onLogout }: Props & { stationId: string }) {
  const { t } = useI18n();
  const [route, setRoute] = useState<ConsoleRoute>(() => consoleRoute());
  const navigate = (hash: string, replace = false) => {
    if (replace) history.replaceState(null, '', `/${hash}`);
    else history.pushState(null, '', `/${hash}`);
    setRoute(consoleRoute());
  };
  useEffect(() => {
    const onNav = () => setRoute(consoleRoute());
    window.addEventListener('hashchange', onNav);
    window.addEventListener('popstate', onNav);
    return () => {
      window.removeEventListener('hashchange', onNav);
      window.removeEventListener('popstate', onNav);
    };
  }, []);

  const editor = useStationEditor(stationId);
  useServiceSync(user.id);
  const view = useServiceOutbox(user.id);
  const summary = useDaySummary(stationId);
  const [rider, setRider] = useState<IdentifiedRider | null>(null);
  const alerts = useHelpAlerts((id) => navigate(`#/help/${encodeURIComponent(id)}`));

  // Once entries (or undos) reach the server, the summary holds them: ask for it again.
  const reached = view.entries.filter((e) => e.sentAt).length + view.entries.filter((e) => e.voidedAt).length;
  const seenReached = useRef(reached);
  useEffect(() => {
    if (reached > seenReached.current) void summary.reload();
    seenReached.current = reached;
  }, [reached]);

  const pending = pendingEntries(view.entries).length;
  const badge = (id: ConsoleTab) => (id === 'log' ? pending : id === 'help' ? alerts.fresh.size : 0);
  const tab = route.tab;

  return (
    <div class="shell shell-tabs console" data-testid="operator-home" data-tab={tab} data-alerts={alerts.rings}>
      <TopBar title={t('operator_title')} />
      <div class="console-body">
        <StationBar editor={editor} />
        <main class="content" data-testid={`panel-${tab}`}>
          {tab === 'log' ? (
            <ServiceLog stationId={stationId} view={view} summary={summary} rider={rider} onRider={setRider} />
          ) : tab === 'station' ? (
            <>
              <OperatorStation editor={editor} />
              <h2 class="section-title">{t('oc_account')}</h2>
              <Profile user={user} onLogout={onLogout} />
            </>
          ) : tab === 'help' ? (
            <>
              <NotifyPrompt />
              <HelpQueue user={user} alerts={alerts} selected={route.sub} onSelect={(id) => (id ? navigate(`#/help/${encodeURIComponent(id)}`) : navigate('#/help', true))} />
            </>
          ) : tab === 'redeem' ? (
            <RedeemPanel user={user} />
          ) : (
            <TodaySummary stationId={stationId} summary={summary} pending={pending} />
          )}
        </main>
      </div>
      <nav class="bottom-nav console-nav" aria-label={t('oc_nav_label')} data-testid="bottom-nav">
        {TABS.map(({ id, label, Icon }) => {
          const n = badge(id);
          return (
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
              <span class="tab-icon">
                <Icon size={26} />
                {n > 0 ? (
                  <span class="tab-badge" data-testid={`tab-${id}-badge`}>
                    {n > 99 ? '99+' : n}
                  </span>
                ) : null}
              </span>
              <span class="tab-label">{t(label)}</span>
            </a>
          );
        })}
      </nav>
    </div>
  );
}
