// 服务登记: a grid of big service buttons with today's counters. A tap logs one at once (kept
// on the phone, sent when there is signal); a long press asks how many; every log can be
// undone for 10 s.
import { useEffect, useState } from 'preact/hooks';
import type { IdentifiedRider, ServiceType } from '../../api/serviceLogs';
import { useI18n } from '../../i18n/context';
import { serviceLabel } from '../../lib/serviceTypes';
import { shanghaiDay, todayCounts } from '../../lib/serviceCounters';
import { useNow } from '../../lib/useNow';
import { FailedList, PendingLine } from './OutboxStatus';
import type { OutboxView } from './outbox';
import { QuantityPicker } from './QuantityPicker';
import { RiderAttach } from './RiderAttach';
import { ServiceButton } from './ServiceButton';
import type { SummaryState } from './useSummary';
import { useServiceTypes } from './useServiceTypes';
import { Toast } from '../../components/Toast';

const UNDO_MS = 10_000;

interface Props {
  stationId: string;
  view: OutboxView;
  summary: SummaryState;
  rider: IdentifiedRider | null;
  onRider(r: IdentifiedRider | null): void;
}

interface Logged {
  id: string;
  type: ServiceType;
  quantity: number;
  rider: string | null;
  undone: boolean;
}

export function ServiceLog({ stationId, view, summary, rider, onRider }: Props) {
  const { t, locale } = useI18n();
  const types = useServiceTypes();
  const now = useNow(60_000);
  const [picking, setPicking] = useState<ServiceType | null>(null);
  const [last, setLast] = useState<Logged | null>(null);
  const counts = todayCounts(summary.data, summary.askedAt, view.entries, stationId, shanghaiDay(now));

  // The toast goes after 10 s (an undone one sooner); a new log starts it again.
  useEffect(() => {
    if (!last) return;
    const timer = setTimeout(() => setLast(null), last.undone ? 3_000 : UNDO_MS);
    return () => clearTimeout(timer);
  }, [last?.id, last?.undone]);

  const log = async (type: ServiceType, quantity: number) => {
    const e = await view.box.log(stationId, { service_type: type, quantity, ...(rider ? { rider_id: rider.rider_id } : {}) });
    setLast({ id: e.id, type, quantity, rider: rider?.display_name ?? null, undone: false });
  };
  const undo = () => {
    if (!last || last.undone) return;
    void view.box.undo(last.id, t('sl_undo_reason'));
    setLast({ ...last, undone: true });
  };
  const label = (code: string) => serviceLabel(types.items, code, locale);

  return (
    <section class="service-log" data-testid="service-log">
      <div class="sl-head">
        <h2>{t('sl_title')}</h2>
        <PendingLine view={view} />
      </div>
      <p class="muted small">{t('sl_hint')}</p>
      <RiderAttach stationId={stationId} rider={rider} onRider={onRider} />
      <div class="svc-grid" data-testid="svc-grid">
        {types.items.map((s) => (
          <ServiceButton key={s.code} code={s.code} icon={s.icon} label={label(s.code)} count={counts.get(s.code) ?? 0} onTap={() => void log(s.code, 1)} onLongPress={() => setPicking(s.code)} />
        ))}
      </div>
      {types.fromServer ? null : <p class="muted small">{t('sl_types_offline')}</p>}
      <FailedList view={view} types={types.items} />
      {picking ? (
        <QuantityPicker
          label={label(picking)}
          onCancel={() => setPicking(null)}
          onPick={(n) => {
            const type = picking;
            setPicking(null);
            void log(type, n);
          }}
        />
      ) : null}
      {last ? (
        <Toast id="undo" class="sl-toast" role="status" aria-live="polite" data-testid="undo-toast" data-entry={last.id} data-state={last.undone ? 'undone' : 'logged'}>
          <span data-testid="undo-text">
            {last.undone
              ? t('sl_undone', { label: label(last.type), n: last.quantity })
              : last.rider
                ? t('sl_logged_rider', { label: label(last.type), n: last.quantity, rider: last.rider })
                : t('sl_logged', { label: label(last.type), n: last.quantity })}
          </span>
          {last.undone ? null : (
            <div class="toast-actions">
              <button type="button" class="btn btn-secondary" data-testid="undo-button" onClick={undo}>
                {t('sl_undo')}
              </button>
            </div>
          )}
        </Toast>
      ) : null}
    </section>
  );
}
