// "登记到骑手": with the rider's consent, the operator types or scans the rider's code (the same
// code as for redeeming points); the server says who it is, and the taps that follow are put
// in that rider's name until cleared (or the identification runs out).
import { useEffect, useState } from 'preact/hooks';
import { problemMessage } from '../../api/problem';
import { identifyRider, type IdentifiedRider } from '../../api/serviceLogs';
import { Button } from '../../components/Button';
import { MeIcon, QrIcon } from '../../components/Icons';
import { canScanQr, QrScanner } from '../../components/QrScanner';
import { useI18n } from '../../i18n/context';
import { isValidRedeemCode, normalizeRedeemCode, parseRedeemPayload } from '../../lib/points';

interface Props {
  stationId: string;
  rider: IdentifiedRider | null;
  onRider(r: IdentifiedRider | null): void;
}

export function RiderAttach({ stationId, rider, onRider }: Props) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);

  // The server stops taking this rider's id after valid_until: so does the console.
  useEffect(() => {
    if (!rider) return;
    const left = Date.parse(rider.valid_until) - Date.now();
    const timer = setTimeout(() => onRider(null), Math.max(0, Math.min(left, 2 ** 31 - 1)));
    return () => clearTimeout(timer);
  }, [rider?.rider_id, rider?.valid_until]);

  if (rider) {
    return (
      <div class="sl-rider-on" data-testid="sl-rider" data-rider-id={rider.rider_id}>
        <MeIcon size={24} />
        <span class="sl-rider-who">
          <span class="small">{t('sl_rider_on')}</span>
          <strong data-testid="sl-rider-name">
            {rider.display_name} · {rider.phone_masked}
          </strong>
        </span>
        <button type="button" class="btn btn-secondary btn-small" data-testid="sl-rider-clear" onClick={() => onRider(null)}>
          {t('sl_rider_clear')}
        </button>
      </div>
    );
  }
  if (!open) {
    return (
      <button type="button" class="btn btn-link sl-rider-open" data-testid="sl-rider-open" onClick={() => setOpen(true)}>
        <MeIcon size={22} /> {t('sl_rider_title')}
      </button>
    );
  }
  return <RiderForm stationId={stationId} onRider={(r) => (onRider(r), setOpen(false))} onClose={() => setOpen(false)} />;
}

function RiderForm({ stationId, onRider, onClose }: { stationId: string; onRider(r: IdentifiedRider): void; onClose(): void }) {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [scannable, setScannable] = useState(false);
  const [scanning, setScanning] = useState(false);
  useEffect(() => {
    void canScanQr().then(setScannable);
  }, []);

  const submit = async (raw: string) => {
    const c = normalizeRedeemCode(raw);
    if (!isValidRedeemCode(c)) return setError(t('sl_rider_code_invalid'));
    setError(null);
    setBusy(true);
    const r = await identifyRider(stationId, c);
    setBusy(false);
    if (r.ok) return onRider(r.data);
    const p = r.problem;
    setError(p.status === 404 ? t('sl_rider_unknown') : p.status === 0 ? t('sl_rider_offline') : p.status === 422 ? t('sl_rider_code_invalid') : problemMessage(p, t));
  };

  return (
    <form
      class="card sl-rider-form"
      noValidate
      data-testid="sl-rider-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit(code);
      }}
    >
      <h3>{t('sl_rider_title')}</h3>
      <p class="muted small">{t('sl_rider_hint')}</p>
      {scannable && !scanning ? (
        <Button variant="secondary" data-testid="sl-rider-scan" onClick={() => setScanning(true)}>
          <QrIcon size={22} /> {t('sl_rider_scan')}
        </Button>
      ) : null}
      {scanning ? (
        <QrScanner
          testid="sl-rider-scanner"
          aim={t('sl_rider_scan_aim')}
          failText={t('sl_rider_scan_failed')}
          onClose={() => setScanning(false)}
          onText={(text) => {
            setScanning(false);
            const c = parseRedeemPayload(text);
            if (!c) return setError(t('sl_rider_not_code'));
            setCode(c);
            void submit(c);
          }}
        />
      ) : null}
      <label for="sl-rider-code" class="field-label">
        {t('sl_rider_code')}
      </label>
      <div class="checkin-row">
        <input
          id="sl-rider-code"
          class="code-input"
          data-testid="sl-rider-code"
          value={code}
          inputMode="numeric"
          autoComplete="off"
          maxLength={7}
          placeholder="000000"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'sl-rider-error' : undefined}
          onInput={(e) => {
            setCode(normalizeRedeemCode((e.currentTarget as HTMLInputElement).value));
            setError(null);
          }}
        />
        <Button type="submit" busy={busy} busyLabel={t('sl_rider_checking')} data-testid="sl-rider-submit">
          {t('sl_rider_submit')}
        </Button>
      </div>
      {error ? (
        <p class="field-error" id="sl-rider-error" role="alert" data-testid="sl-rider-error">
          {error}
        </p>
      ) : null}
      <button type="button" class="btn btn-link" data-testid="sl-rider-cancel" onClick={onClose}>
        {t('sl_rider_cancel')}
      </button>
    </form>
  );
}
