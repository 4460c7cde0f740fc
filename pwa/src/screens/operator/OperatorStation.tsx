// The operator's station screen: keep status, occupancy, hours and amenities true, confirm
// the information is current, and show or print the check-in QR.
import { useEffect, useRef, useState } from 'preact/hooks';
import { fetchCheckinCode, fetchStation, patchStation, rotateCheckinCode } from '../../api/stations';
import { problemMessage, type Problem } from '../../api/problem';
import type { CheckinCode, StationDetail, StationPatch, User } from '../../api/types';
import { AmenityIcon, amenityKey } from '../../components/AmenityIcon';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CheckIcon, PrintIcon, QrIcon, RefreshIcon } from '../../components/Icons';
import { useI18n } from '../../i18n/context';
import { formatDate } from '../../lib/format';
import { useNow } from '../../lib/useNow';
import { AMENITIES, clockTime } from '../../lib/stations';
import { OccupancyBar, OpenBadge, stationName } from '../stations/parts';

type Section = 'status' | 'occupancy' | 'capacity' | 'hours' | 'amenities' | 'confirm';
const STATUS_BUTTONS = ['open', 'full', 'temporarily_closed'] as const;

/** Wait this long after the last +/− tap before saving (one request for a burst of taps). */
export const OCCUPANCY_SAVE_DELAY_MS = 500;

export function OperatorStation({ user }: { user: User }) {
  const { t, locale } = useI18n();
  const id = user.station_id ?? null;
  const [station, setStation] = useState<StationDetail | null>(null);
  const [loadProblem, setLoadProblem] = useState<Problem | null>(null);
  const [loading, setLoading] = useState(false);
  const [busy, setBusy] = useState<Section | null>(null);
  const [done, setDone] = useState<Section | null>(null);
  const [problem, setProblem] = useState<{ section: Section; problem: Problem } | null>(null);

  const load = async () => {
    if (!id) return;
    setLoading(true);
    setLoadProblem(null);
    const r = await fetchStation(id);
    setLoading(false);
    if (r.ok) setStation(r.data);
    else setLoadProblem(r.problem);
  };
  useEffect(() => {
    void load();
  }, [id]);

  /** PATCHes the station; returns true when the server took it. */
  const save = async (section: Section, body: StationPatch): Promise<boolean> => {
    if (!id) return false;
    setBusy(section);
    setDone(null);
    setProblem(null);
    const r = await patchStation(id, body);
    setBusy(null);
    if (r.ok) {
      setStation(r.data);
      setDone(section);
      return true;
    }
    setProblem({ section, problem: r.problem });
    return false;
  };

  if (!id) {
    return (
      <section class="card" data-testid="operator-no-station">
        <h2>{t('operator_status')}</h2>
        <p>{t('operator_no_station')}</p>
      </section>
    );
  }

  const errorFor = (section: Section) =>
    problem?.section === section ? (
      <p class="form-error" role="alert" data-testid={`op-error-${section}`} data-code={problem.problem.code}>
        {problemMessage(problem.problem, t)}
      </p>
    ) : null;
  const savedFor = (section: Section) =>
    done === section ? (
      <p class="saved" role="status" data-testid={`op-saved-${section}`}>
        <CheckIcon size={18} /> {t('profile_saved')}
      </p>
    ) : null;

  return (
    <section class="operator-station" data-testid="operator-station" data-station-id={id}>
      {loading && !station ? (
        <p class="card center" role="status" aria-busy="true" data-testid="operator-loading">
          <span class="spinner" aria-hidden="true" /> {t('loading')}
        </p>
      ) : null}
      {loadProblem ? (
        <div class="card stack">
          <p class="form-error" role="alert" data-testid="operator-load-error">
            {problemMessage(loadProblem, t)}
          </p>
          <Button variant="secondary" busy={loading} busyLabel={t('loading')} onClick={() => void load()}>
            {t('retry')}
          </Button>
        </div>
      ) : null}
      {station ? (
        <>
          <Header station={station} loading={loading} onReload={() => void load()} />
          <div class="card">
            <h3>{t('op_status_title')}</h3>
            <div class="status-buttons" role="group" aria-label={t('op_status_title')}>
              {STATUS_BUTTONS.map((st) => (
                <button
                  key={st}
                  type="button"
                  class={`status-btn status-btn-${st}${station.status === st ? ' status-btn-on' : ''}`}
                  aria-pressed={station.status === st}
                  disabled={busy !== null}
                  data-testid={`op-status-${st}`}
                  onClick={() => station.status !== st && void save('status', { status: st })}
                >
                  {busy === 'status' && station.status !== st ? <span class="spinner" aria-hidden="true" /> : null}
                  {t(`op_status_${st}`)}
                </button>
              ))}
            </div>
            {busy === 'status' ? (
              <p class="progress-line" role="status" aria-busy="true" data-testid="op-saving-status">
                <span class="spinner" aria-hidden="true" /> {t('profile_saving')}
              </p>
            ) : null}
            {savedFor('status')}
            {errorFor('status')}
          </div>
          <Occupancy station={station} save={save} busy={busy} errorFor={errorFor} savedFor={savedFor} />
          <Capacity station={station} save={save} busy={busy} errorFor={errorFor} savedFor={savedFor} />
          <Hours station={station} save={save} busy={busy} problem={problem?.section === 'hours' ? problem.problem : null} savedFor={savedFor} />
          <Amenities station={station} save={save} busy={busy} errorFor={errorFor} savedFor={savedFor} />
          <div class="card stack">
            <p class="muted small" data-testid="op-verified">
              {station.last_verified_at
                ? t('op_verified_at', { date: formatDate(station.last_verified_at, locale), time: clockTime(station.last_verified_at, locale) })
                : t('op_never_verified')}
            </p>
            <Button
              variant="secondary"
              busy={busy === 'confirm'}
              busyLabel={t('profile_saving')}
              disabled={busy !== null && busy !== 'confirm'}
              data-testid="op-confirm"
              onClick={() => void save('confirm', {})}
            >
              <CheckIcon size={22} /> {t('op_confirm')}
            </Button>
            {savedFor('confirm')}
            {errorFor('confirm')}
          </div>
          <CheckinQr station={station} />
        </>
      ) : null}
    </section>
  );
}

type SectionProps = {
  station: StationDetail;
  save(section: Section, body: StationPatch): Promise<boolean>;
  busy: Section | null;
  errorFor(s: Section): preact.JSX.Element | null;
  savedFor(s: Section): preact.JSX.Element | null;
};

function Header({ station, loading, onReload }: { station: StationDetail; loading: boolean; onReload(): void }) {
  const { t, locale } = useI18n();
  const now = useNow();
  return (
    <div class="card">
      <h2 data-testid="op-station-name">{stationName(station, locale)}</h2>
      <p class="muted">{station.address}</p>
      <div class="detail-state">
        <OpenBadge card={station} now={now} testid="op-open-state" />
      </div>
      <OccupancyBar card={station} testid="op-occupancy-bar" />
      <Button variant="secondary" busy={loading} busyLabel={t('refreshing')} data-testid="op-reload" onClick={onReload}>
        <RefreshIcon size={22} /> {t('refresh')}
      </Button>
    </div>
  );
}

function Occupancy({ station, save, errorFor, savedFor }: SectionProps) {
  const { t } = useI18n();
  const [value, setValue] = useState(station.occupancy);
  const [pending, setPending] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>();
  const saving = useRef(false);

  // Follow the server's value unless the operator is in the middle of changing it.
  useEffect(() => {
    if (!pending && !saving.current) setValue(station.occupancy);
  }, [station.occupancy, station.updated_at]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const change = (delta: number) => {
    const next = Math.max(0, value + delta);
    setValue(next);
    setPending(true);
    clearTimeout(timer.current);
    timer.current = setTimeout(async () => {
      saving.current = true;
      const ok = await save('occupancy', { occupancy: next });
      saving.current = false;
      setPending(false);
      if (!ok) setValue(station.occupancy);
    }, OCCUPANCY_SAVE_DELAY_MS);
  };

  return (
    <div class="card">
      <h3>{t('op_occupancy_title')}</h3>
      <div class="stepper">
        <button type="button" class="step-btn" aria-label={t('op_occupancy_minus')} data-testid="op-occupancy-minus" disabled={value <= 0} onClick={() => change(-1)}>
          −
        </button>
        <output class="step-value" data-testid="op-occupancy" aria-live="polite">
          {value}
          <span class="muted small"> / {station.capacity}</span>
        </output>
        <button type="button" class="step-btn" aria-label={t('op_occupancy_plus')} data-testid="op-occupancy-plus" onClick={() => change(1)}>
          +
        </button>
      </div>
      {pending ? (
        <p class="progress-line" role="status" aria-busy="true" data-testid="op-saving-occupancy">
          <span class="spinner" aria-hidden="true" /> {t('profile_saving')}
        </p>
      ) : (
        savedFor('occupancy')
      )}
      {errorFor('occupancy')}
    </div>
  );
}

function Capacity({ station, save, busy, errorFor, savedFor }: SectionProps) {
  const { t } = useI18n();
  const [value, setValue] = useState(String(station.capacity));
  useEffect(() => setValue(String(station.capacity)), [station.capacity]);
  const n = Number(value);
  const valid = /^\d{1,5}$/.test(value.trim()) && n >= 0;
  return (
    <form
      class="card"
      noValidate
      data-testid="op-capacity-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) void save('capacity', { capacity: n });
      }}
    >
      <label class="field-label" for="op-capacity">
        {t('op_capacity')}
      </label>
      <div class="checkin-row">
        <input
          id="op-capacity"
          class="code-input"
          size={6}
          type="number"
          inputMode="numeric"
          min={0}
          data-testid="op-capacity"
          value={value}
          aria-invalid={valid ? undefined : true}
          onInput={(e) => setValue((e.currentTarget as HTMLInputElement).value)}
        />
        <Button type="submit" busy={busy === 'capacity'} busyLabel={t('profile_saving')} disabled={!valid || n === station.capacity} data-testid="op-capacity-save">
          {t('profile_save')}
        </Button>
      </div>
      {savedFor('capacity')}
      {errorFor('capacity')}
    </form>
  );
}

function Hours({ station, save, busy, problem, savedFor }: Omit<SectionProps, 'errorFor'> & { problem: Problem | null }) {
  const { t } = useI18n();
  const [value, setValue] = useState(station.opening_hours);
  useEffect(() => setValue(station.opening_hours), [station.opening_hours]);
  // The server's parser names what is wrong ("unexpected token at 9"): show its words.
  const fieldError = problem?.errors.find((e) => e.field === 'opening_hours');
  const message = fieldError ? t('op_hours_invalid', { reason: fieldError.message || fieldError.code }) : problem ? problemMessage(problem, t) : null;
  return (
    <form
      class="card"
      noValidate
      data-testid="op-hours-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save('hours', { opening_hours: value.trim() });
      }}
    >
      <div class={`field${message ? ' field-invalid' : ''}`}>
        <label for="op-hours">{t('op_hours')}</label>
        <input
          id="op-hours"
          data-testid="op-hours"
          value={value}
          autoComplete="off"
          spellcheck={false}
          aria-invalid={message ? true : undefined}
          aria-describedby="op-hours-hint"
          onInput={(e) => setValue((e.currentTarget as HTMLInputElement).value)}
        />
        <p class="field-hint" id="op-hours-hint">
          {t('op_hours_hint')}
        </p>
        {message ? (
          <p class="field-error" role="alert" data-testid="op-hours-error">
            {message}
          </p>
        ) : null}
      </div>
      <Button type="submit" busy={busy === 'hours'} busyLabel={t('profile_saving')} disabled={!value.trim() || value.trim() === station.opening_hours} data-testid="op-hours-save">
        {t('profile_save')}
      </Button>
      {savedFor('hours')}
    </form>
  );
}

function Amenities({ station, save, busy, errorFor, savedFor }: SectionProps) {
  const { t } = useI18n();
  const [chosen, setChosen] = useState<string[]>(station.amenities);
  useEffect(() => setChosen(station.amenities), [station.amenities.join(',')]);
  const changed = [...chosen].sort().join(',') !== [...station.amenities].sort().join(',');
  return (
    <div class="card">
      <h3>{t('op_amenities')}</h3>
      <div class="toggle-grid" role="group" aria-label={t('op_amenities')}>
        {AMENITIES.map((a) => {
          const on = chosen.includes(a);
          return (
            <button
              key={a}
              type="button"
              class={on ? 'toggle toggle-on' : 'toggle'}
              aria-pressed={on}
              data-testid={`op-amenity-${a}`}
              onClick={() => setChosen(on ? chosen.filter((x) => x !== a) : [...chosen, a])}
            >
              <AmenityIcon amenity={a} size={22} />
              <span>{t(amenityKey(a))}</span>
            </button>
          );
        })}
      </div>
      <Button
        busy={busy === 'amenities'}
        busyLabel={t('profile_saving')}
        disabled={!changed}
        data-testid="op-amenities-save"
        onClick={() => void save('amenities', { amenities: AMENITIES.filter((a) => chosen.includes(a)) })}
      >
        {t('profile_save')}
      </Button>
      {savedFor('amenities')}
      {errorFor('amenities')}
    </div>
  );
}

const svgDataUrl = (svg: string) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

/** The station's check-in QR: big on screen, alone on paper; rotate makes the old one useless. */
function CheckinQr({ station }: { station: StationDetail }) {
  const { t, locale } = useI18n();
  const [code, setCode] = useState<CheckinCode | null>(null);
  const [loading, setLoading] = useState(true);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [rotating, setRotating] = useState(false);
  const [rotated, setRotated] = useState(false);

  const load = async () => {
    setLoading(true);
    setProblem(null);
    const r = await fetchCheckinCode(station.id);
    setLoading(false);
    if (r.ok) setCode(r.data);
    else setProblem(r.problem);
  };
  useEffect(() => {
    void load();
  }, [station.id]);

  const rotate = async () => {
    setRotating(true);
    setProblem(null);
    const r = await rotateCheckinCode(station.id);
    setRotating(false);
    setConfirming(false);
    if (r.ok) {
      setCode(r.data);
      setRotated(true);
    } else setProblem(r.problem);
  };

  return (
    <section class="card qr-card" data-testid="op-qr">
      <h3>
        <QrIcon size={22} /> {t('op_qr_title')}
      </h3>
      {loading ? (
        <p class="progress-line" role="status" aria-busy="true" data-testid="op-qr-loading">
          <span class="spinner" aria-hidden="true" /> {t('loading')}
        </p>
      ) : null}
      {problem ? (
        <p class="form-error" role="alert" data-testid="op-qr-error">
          {problemMessage(problem, t)}
        </p>
      ) : null}
      {code ? (
        <div class="print-area" data-testid="op-qr-print-area">
          <p class="print-only print-title">{stationName(station, locale)}</p>
          <img class="qr-img" src={svgDataUrl(code.qr_svg)} alt={t('op_qr_alt')} data-testid="op-qr-img" width={260} height={260} />
          <p class="qr-code-text">
            {t('op_qr_code')} <strong data-testid="op-qr-code">{code.code}</strong>
          </p>
          <p class="print-only">{t('op_qr_print_hint')}</p>
        </div>
      ) : null}
      {rotated ? (
        <p class="saved" role="status" data-testid="op-qr-rotated">
          <CheckIcon size={18} /> {t('op_qr_rotated')}
        </p>
      ) : null}
      {code ? (
        <div class="stack no-print">
          <Button data-testid="op-qr-print" onClick={() => window.print()}>
            <PrintIcon size={22} /> {t('op_qr_print')}
          </Button>
          <Button variant="danger" data-testid="op-qr-rotate" onClick={() => setConfirming(true)}>
            {t('op_qr_rotate')}
          </Button>
        </div>
      ) : null}
      {confirming ? (
        <ConfirmDialog
          testid="rotate-dialog"
          title={t('op_qr_rotate_title')}
          body={t('op_qr_rotate_body')}
          confirmLabel={t('op_qr_rotate_confirm')}
          busyLabel={t('op_qr_rotating')}
          cancelLabel={t('cancel')}
          busy={rotating}
          onConfirm={() => void rotate()}
          onCancel={() => setConfirming(false)}
        />
      ) : null}
    </section>
  );
}
