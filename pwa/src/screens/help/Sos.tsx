// The SOS button: asks once, then files an `sos` request with the rough location (or, when
// location is refused, the nearest station known) through the outbox, so it goes out even
// from a basement as soon as there is signal.
import { useRef, useState } from 'preact/hooks';
import type { NewHelpRequest } from '../../api/help';
import type { StationCard } from '../../api/types';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useI18n } from '../../i18n/context';
import { geolocationPermission, locate } from '../../lib/geo';
import { loginGate } from '../../lib/loginGate';
import { coarse, newIdempotencyKey, type Category } from '../../lib/helpRequests';
import { loadNearby } from '../../lib/stations';
import { browserStore } from '../../lib/storage';
import { label } from './parts';
import { helpOutbox } from './store';

/** The nearest station of the last nearby list on this phone, if any. */
function nearestKnownStation(): StationCard | null {
  const items = loadNearby<StationCard>(browserStore())?.items ?? [];
  return [...items].sort((a, b) => a.distance_m - b.distance_m)[0] ?? null;
}

export function SosButton(p: { userId: string | null; category?: Category; compact?: boolean; testid?: string; onFiled(): void }) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  // One key per confirmation: a second tap on "send" cannot file twice.
  const key = useRef<string | null>(null);
  const category = p.category ?? 'medical';

  const ask = () => {
    key.current = newIdempotencyKey();
    setAsking(true);
  };

  const send = async () => {
    if (busy || !key.current) return;
    setBusy(true);
    const permission = await geolocationPermission();
    const where = permission === 'denied' ? null : await locate(10_000);
    const body: NewHelpRequest = { category, urgency: 'sos', description: t('hr_sos_description') };
    const parts = [t('hr_sos_description')];
    if (where?.ok) {
      body.lat = coarse(where.lat);
      body.lng = coarse(where.lng);
      body.coord = 'wgs84';
      parts.push(t('hr_sos_at', { lat: body.lat.toFixed(3), lng: body.lng.toFixed(3) }));
    } else {
      const near = nearestKnownStation();
      if (near) {
        body.station_id = near.id;
        parts.push(t('hr_sos_near', { name: near.name }));
      } else parts.push(t('hr_sos_no_location'));
    }
    body.description = parts.join(' · ');
    if (p.userId === null) {
      // No account yet: filed right after the login (HelpTab resumes it).
      loginGate.ask('help', { key: key.current, body });
      key.current = null;
      setBusy(false);
      setAsking(false);
      return;
    }
    const box = helpOutbox(p.userId);
    box.add(key.current, body);
    key.current = null;
    void box.flush();
    setBusy(false);
    setAsking(false);
    p.onFiled();
  };

  return (
    <>
      <button type="button" class={p.compact ? 'hr-sos hr-sos-compact' : 'hr-sos'} data-testid={p.testid ?? 'hr-sos'} onClick={ask}>
        <span class="hr-sos-big">SOS</span>
        <span class="hr-sos-text">
          <strong>{t('hr_sos')}</strong>
          {p.compact ? null : <span>{t('hr_sos_hint')}</span>}
        </span>
      </button>
      {asking ? (
        <ConfirmDialog
          testid="hr-sos-dialog"
          title={t('hr_sos_confirm_title')}
          body={t('hr_sos_confirm_body', { category: label(t, 'hr_cat_', category) })}
          confirmLabel={t('hr_sos_confirm')}
          busyLabel={t('hr_sos_sending')}
          cancelLabel={t('cancel')}
          busy={busy}
          onConfirm={() => void send()}
          onCancel={() => setAsking(false)}
        />
      ) : null}
    </>
  );
}
