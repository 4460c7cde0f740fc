// Check-in (一码通办): scan the station's QR with the camera where the browser can read QR
// codes (BarcodeDetector), or type its 6-character code; the QR's own link
// (/checkin/{id}?code=…) checks in at once.
import { useEffect, useRef, useState } from 'preact/hooks';
import { checkIn, fetchStation } from '../../api/stations';
import { problemMessage, type Problem } from '../../api/problem';
import type { CheckIn } from '../../api/types';
import { Button } from '../../components/Button';
import { CheckIcon, QrIcon } from '../../components/Icons';
import { canScanQr, QrScanner } from '../../components/QrScanner';
import { useI18n } from '../../i18n/context';
import { clockTime, isValidCode, normalizeCode, parseCheckinPayload } from '../../lib/stations';
import { stationName } from './parts';

type Outcome = { ok: true; checkIn: CheckIn } | { ok: false; problem: Problem };

function useCheckIn() {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const submit = async (stationId: string, code: string) => {
    setBusy(true);
    setOutcome(null);
    const r = await checkIn(stationId, code);
    setBusy(false);
    setOutcome(r.ok ? { ok: true, checkIn: r.data } : { ok: false, problem: r.problem });
    return r.ok;
  };
  return { busy, outcome, submit, reset: () => setOutcome(null) };
}

function Result({ outcome }: { outcome: Outcome | null }) {
  const { t, locale } = useI18n();
  if (!outcome) return null;
  if (outcome.ok) {
    const c = outcome.checkIn;
    return (
      <p class="success" role="status" data-testid="checkin-done" data-replay={c.replay ? 'true' : 'false'}>
        <CheckIcon size={26} />
        <span>
          {c.replay ? t('checkin_replay', { time: clockTime(c.created_at, locale) }) : t('checkin_ok', { time: clockTime(c.created_at, locale) })}
        </span>
      </p>
    );
  }
  return (
    <p class="form-error" role="alert" data-testid="checkin-error" data-code={outcome.problem.code}>
      {problemMessage(outcome.problem, t)}
    </p>
  );
}

/** The check-in block of a station's detail. */
export function CheckInPanel({ stationId }: { stationId: string }) {
  const { t } = useI18n();
  const [scannable, setScannable] = useState(false);
  const [scanning, setScanning] = useState(false);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | undefined>();
  const ci = useCheckIn();

  useEffect(() => {
    void canScanQr().then(setScannable);
  }, []);

  const send = async (target: string, value: string) => {
    const c = normalizeCode(value);
    if (!isValidCode(c)) {
      setError(t('checkin_code_invalid'));
      return;
    }
    setError(undefined);
    if (await ci.submit(target, c)) setCode('');
  };

  const onScanned = (text: string) => {
    setScanning(false);
    const parsed = parseCheckinPayload(text);
    if (!parsed || !parsed.code) {
      setError(t('scan_not_ours'));
      return;
    }
    // The QR names its station; it is where the rider stands.
    void send(parsed.stationId ?? stationId, parsed.code);
  };

  return (
    <section class="card checkin" data-testid="checkin">
      <h3>
        <QrIcon size={22} /> {t('checkin_title')}
      </h3>
      <p class="muted small">{t('checkin_hint')}</p>
      {scannable && !scanning ? (
        <Button data-testid="checkin-scan" onClick={() => setScanning(true)}>
          <QrIcon size={22} />
          {t('checkin_scan')}
        </Button>
      ) : null}
      {scanning ? (
        <QrScanner
          testid="scanner"
          errorTestid="scanner-error"
          closeTestid="scanner-close"
          aim={t('scan_aim')}
          failText={t('scan_camera_failed')}
          onText={onScanned}
          onClose={() => setScanning(false)}
        />
      ) : null}
      <form
        class="checkin-form"
        noValidate
        data-testid="checkin-form"
        onSubmit={(e) => {
          e.preventDefault();
          void send(stationId, code);
        }}
      >
        <label for="checkin-code">{scannable ? t('checkin_or_type') : t('checkin_type')}</label>
        <div class="checkin-row">
          <input
            id="checkin-code"
            class="code-input"
            size={6}
            data-testid="checkin-code"
            value={code}
            maxLength={8}
            autoComplete="off"
            autoCapitalize="characters"
            spellcheck={false}
            inputMode="text"
            placeholder="ABC123"
            aria-invalid={error ? true : undefined}
            onInput={(e) => setCode(normalizeCode((e.currentTarget as HTMLInputElement).value))}
          />
          <Button type="submit" busy={ci.busy} busyLabel={t('checkin_submitting')} data-testid="checkin-submit">
            {t('checkin_submit')}
          </Button>
        </div>
        {error ? (
          <p class="field-error" data-testid="checkin-code-error">
            {error}
          </p>
        ) : null}
      </form>
      <Result outcome={ci.outcome} />
    </section>
  );
}

/** What the station's QR opens: /checkin/{id}?code=… — checks in at once. */
export function CheckInLink({ stationId, code, onOpenStation }: { stationId: string; code: string; onOpenStation(id: string): void }) {
  const { t, locale } = useI18n();
  const ci = useCheckIn();
  const [name, setName] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    let live = true;
    void fetchStation(stationId).then((r) => live && r.ok && setName(stationName(r.data, locale)));
    if (code && !started.current) {
      started.current = true;
      void ci.submit(stationId, code);
    }
    return () => {
      live = false;
    };
  }, [stationId, code]);

  return (
    <section class="detail" data-testid="checkin-link" data-station-id={stationId}>
      <div class="card">
        <h2 data-testid="checkin-station-name">{name ?? t('checkin_title')}</h2>
        {ci.busy ? (
          <p class="progress-line" role="status" aria-busy="true" data-testid="checkin-busy">
            <span class="spinner" aria-hidden="true" />
            {t('checkin_submitting')}
          </p>
        ) : null}
        <Result outcome={ci.outcome} />
      </div>
      {!code || (ci.outcome && !ci.outcome.ok) ? <CheckInPanel stationId={stationId} /> : null}
      <Button variant="secondary" data-testid="checkin-open-station" onClick={() => onOpenStation(stationId)}>
        {t('checkin_open_station')}
      </Button>
    </section>
  );
}
