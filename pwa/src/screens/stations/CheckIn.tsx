// Check-in (一码通办): scan the station's QR with the camera where the browser can read QR
// codes (BarcodeDetector), or type its 6-character code; the QR's own link
// (/checkin/{id}?code=…) checks in at once. Every check-in goes through the check-in outbox, so
// one made without signal waits (排队中) and is sent when the network returns. Results show
// inline in the check-in block, never as a toast over a button.
import { useEffect, useRef, useState } from 'preact/hooks';
import { fetchStation } from '../../api/stations';
import { session } from '../../api/client';
import { problemMessage } from '../../api/problem';
import type { User } from '../../api/types';
import { Button } from '../../components/Button';
import { CheckIcon, QrIcon } from '../../components/Icons';
import { canScanQr, QrScanner } from '../../components/QrScanner';
import { useI18n } from '../../i18n/context';
import { DONE_SHOWN_MS, shownCheckIns, viewOf, type QueuedCheckIn } from '../../lib/checkinOutbox';
import { loginGate, useResume } from '../../lib/loginGate';
import type { OutboxItem } from '../../lib/outbox';
import { clockTime, isValidCode, normalizeCode, parseCheckinPayload } from '../../lib/stations';
import { useNow } from '../../lib/useNow';
import { useStore } from '../../lib/useStore';
import { submitCheckIn, useCheckIns } from './checkins';
import { stationName } from './parts';

export interface CheckInTarget {
  id: string;
  name: string;
}

function useUser(): User | null {
  return useStore(session, session.user);
}

/** Checks in now (or queues it); without an account, asks for login first and continues after. */
function useSubmit() {
  const user = useUser();
  return (body: QueuedCheckIn) => {
    if (!user) {
      loginGate.ask('checkin', { stationId: body.stationId, code: body.code });
      return;
    }
    submitCheckIn(user.id, body);
  };
}

/** Continues a check-in that waited for a login (mounted once, in the stations tab). */
export function useCheckInResume(): void {
  const user = useUser();
  useResume('checkin', user?.role === 'rider', (d) => {
    if (user) submitCheckIn(user.id, { stationId: d.stationId, code: d.code });
  });
}

/** The newest entry per station, newest first (an older failure is hidden by a newer try). */
function latestPerStation(items: OutboxItem<QueuedCheckIn>[], max: number) {
  const seen = new Set<string>();
  const out: OutboxItem<QueuedCheckIn>[] = [];
  for (const x of items) {
    if (seen.has(x.body.stationId)) continue;
    seen.add(x.body.stationId);
    out.push(x);
  }
  return out.slice(0, max);
}

/** The state of the rider's check-ins: 排队中 / 发送中 / 已签到 +5 积分 / 失败. */
export function CheckInStates({ stationId, max = 3 }: { stationId?: string; max?: number }) {
  const user = useUser();
  const { box, items } = useCheckIns(user?.id ?? null);
  const now = useNow();
  const shown = latestPerStation(shownCheckIns(items, now.getTime(), stationId, stationId ? DONE_SHOWN_MS.station : DONE_SHOWN_MS.list), max);
  if (shown.length === 0) return null;
  return (
    <ul class="checkin-states" data-testid="checkin-states">
      {shown.map((x) => (
        <CheckInState key={x.key} item={x} withName={!stationId} onRetry={() => void box.retry(x.key)} onDismiss={() => box.remove(x.key)} />
      ))}
    </ul>
  );
}

function CheckInState({ item, withName, onRetry, onDismiss }: { item: OutboxItem<QueuedCheckIn>; withName: boolean; onRetry(): void; onDismiss(): void }) {
  const { t, locale } = useI18n();
  const v = viewOf(item);
  const name = item.body.stationName || t('checkin_title');
  const common = { 'data-testid': 'checkin-state', 'data-state': v.kind, 'data-station-id': item.body.stationId, 'data-key': item.key };
  switch (v.kind) {
    case 'queued':
      return (
        <li class="checkin-state checkin-queued" role="status" {...common}>
          <span class="checkin-state-tag">{t('checkin_state_queued')}</span>
          <span>{t('checkin_queued_hint', { name })}</span>
        </li>
      );
    case 'sending':
      return (
        <li class="checkin-state checkin-sending" role="status" aria-busy="true" {...common}>
          <span class="spinner" aria-hidden="true" />
          <span>{withName ? `${t('checkin_state_sending')} · ${name}` : t('checkin_state_sending')}</span>
        </li>
      );
    case 'done': {
      const time = v.createdAt ? clockTime(v.createdAt, locale) : '';
      return (
        <li class="checkin-state checkin-ok" role="status" {...common}>
          <p class="success" data-testid="checkin-done" data-replay={item.replayed ? 'true' : 'false'} data-points={v.points}>
            <CheckIcon size={26} />
            <span>
              {withName ? <strong class="checkin-name">{name}</strong> : null}
              {v.points > 0 ? t('checkin_ok', { time }) : t('checkin_today_done', { time })}
            </span>
            {v.points > 0 ? (
              <strong class="points-badge" data-testid="checkin-points">
                {t('checkin_points', { points: v.points })}
              </strong>
            ) : null}
          </p>
        </li>
      );
    }
    case 'failed':
      return (
        <li class="checkin-state checkin-failed" {...common}>
          <p class="form-error" role="alert" data-testid="checkin-error" data-code={v.problem?.code ?? 'unknown'}>
            <span class="checkin-state-tag">{t('checkin_state_failed')}</span>
            {withName ? <strong class="checkin-name">{name}</strong> : null}
            {v.problem ? problemMessage(v.problem, t) : t('problem_unknown')}
          </p>
          <div class="checkin-state-actions">
            {v.problem?.code === 'invalid_checkin_code' ? null : (
              <button type="button" class="btn btn-secondary" data-testid="checkin-retry" onClick={onRetry}>
                {t('retry')}
              </button>
            )}
            <button type="button" class="btn btn-secondary" data-testid="checkin-dismiss" onClick={onDismiss}>
              {t('checkin_dismiss')}
            </button>
          </div>
        </li>
      );
  }
}

/**
 * Scan or type a code. With `stations` (the tab's entry) the rider picks where they are,
 * nearest first; with one `target` (a station's detail) the station is known. A scanned QR
 * names its own station either way.
 */
export function CheckInForm({ target, stations, onSent }: { target?: CheckInTarget; stations?: CheckInTarget[]; onSent?: () => void }) {
  const { t } = useI18n();
  const submit = useSubmit();
  const [scannable, setScannable] = useState(false);
  const [scanning, setScanning] = useState(false);
  const [code, setCode] = useState('');
  const [picked, setPicked] = useState<string>('');
  const [error, setError] = useState<string | undefined>();
  const choices = stations ?? [];
  const where = target ?? choices.find((s) => s.id === picked) ?? choices[0] ?? null;

  useEffect(() => {
    void canScanQr().then(setScannable);
  }, []);

  const send = (to: CheckInTarget | { id: string; name: string | null }, value: string) => {
    const c = normalizeCode(value);
    if (!isValidCode(c)) {
      setError(t('checkin_code_invalid'));
      return;
    }
    setError(undefined);
    submit({ stationId: to.id, code: c, stationName: to.name });
    setCode('');
    onSent?.();
  };

  const onScanned = (text: string) => {
    setScanning(false);
    const parsed = parseCheckinPayload(text);
    if (!parsed || !parsed.code) {
      setError(t('scan_not_ours'));
      return;
    }
    // The QR names its station; it is where the rider stands.
    const id = parsed.stationId ?? where?.id;
    if (!id) return setError(t('checkin_pick_station'));
    const known = [target, ...choices].find((s) => s?.id === id);
    send({ id, name: known?.name ?? null }, parsed.code);
  };

  return (
    <div class="checkin-body">
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
          if (!where) return setError(t('checkin_pick_station'));
          send(where, code);
        }}
      >
        {!target && choices.length > 0 ? (
          <label class="checkin-where">
            <span>{t('checkin_at')}</span>
            <select data-testid="checkin-station" value={where?.id ?? ''} onChange={(e) => setPicked((e.currentTarget as HTMLSelectElement).value)}>
              {choices.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label for={target ? 'checkin-code' : 'checkin-code-top'}>{scannable ? t('checkin_or_type') : t('checkin_type')}</label>
        <div class="checkin-row">
          <input
            id={target ? 'checkin-code' : 'checkin-code-top'}
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
          <Button type="submit" data-testid="checkin-submit">
            {t('checkin_submit')}
          </Button>
        </div>
        {error ? (
          <p class="field-error" data-testid="checkin-code-error">
            {error}
          </p>
        ) : null}
      </form>
    </div>
  );
}

/** The entry at the top of the 驿站 tab: one button that opens scan / type, and the states. */
export function CheckInEntry({ stations }: { stations: CheckInTarget[] }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <section class="checkin-entry" data-testid="checkin-entry" data-open={open ? 'true' : 'false'}>
      <button
        type="button"
        class="btn btn-primary checkin-entry-button"
        aria-expanded={open}
        data-testid="checkin-entry-open"
        onClick={() => setOpen(!open)}
      >
        <QrIcon size={24} />
        <span>{t('checkin_entry')}</span>
        <span class="checkin-entry-points">{t('checkin_points', { points: 5 })}</span>
      </button>
      {/* Closed once sent: the result shows below and the list comes back up. */}
      {open ? <CheckInForm stations={stations} onSent={() => setOpen(false)} /> : null}
      <CheckInStates />
    </section>
  );
}

/** The check-in block of a station's detail (near the top). */
export function CheckInPanel({ stationId, stationName: name, showStates = true }: { stationId: string; stationName: string; showStates?: boolean }) {
  const { t } = useI18n();
  return (
    <section class="card checkin" data-testid="checkin">
      <h3>
        <QrIcon size={22} /> {t('checkin_title')} <span class="checkin-entry-points">{t('checkin_points', { points: 5 })}</span>
      </h3>
      {showStates ? <CheckInStates stationId={stationId} max={1} /> : null}
      <CheckInForm target={{ id: stationId, name }} />
    </section>
  );
}

/** What the station's QR opens: /checkin/{id}?code=… — checks in at once. */
export function CheckInLink({ stationId, code, onOpenStation }: { stationId: string; code: string; onOpenStation(id: string): void }) {
  const { t, locale } = useI18n();
  const user = useUser();
  const submit = useSubmit();
  const { items } = useCheckIns(user?.id ?? null);
  const [name, setName] = useState<string | null>(null);
  const started = useRef(false);
  const latest = items.filter((x) => x.body.stationId === stationId).sort((a, b) => b.createdAt - a.createdAt)[0];

  useEffect(() => {
    let live = true;
    void fetchStation(stationId).then((r) => live && r.ok && setName(stationName(r.data, locale)));
    return () => {
      live = false;
    };
  }, [stationId, locale]);

  useEffect(() => {
    if (code && !started.current) {
      started.current = true;
      submit({ stationId, code, stationName: null });
    }
  }, [stationId, code]);

  return (
    <section class="detail" data-testid="checkin-link" data-station-id={stationId}>
      <div class="card">
        <h2 data-testid="checkin-station-name">{name ?? t('checkin_title')}</h2>
        {!user ? <p class="muted">{t('checkin_login_first')}</p> : null}
        <CheckInStates stationId={stationId} max={1} />
      </div>
      {!code || latest?.state === 'failed' ? <CheckInPanel stationId={stationId} stationName={name ?? ''} showStates={false} /> : null}
      <Button variant="secondary" data-testid="checkin-open-station" onClick={() => onOpenStation(stationId)}>
        {t('checkin_open_station')}
      </Button>
    </section>
  );
}
