// The station tab: capacity, opening hours, amenities, "confirm the information is current"
// and the check-in QR with its printable poster. Status and occupancy are in the bar above
// every tab (StationBar).
import { useEffect, useState } from 'preact/hooks';
import { fetchCheckinCode, rotateCheckinCode } from '../../api/stations';
import { problemMessage, type Problem } from '../../api/problem';
import type { CheckinCode, StationDetail, StationPatch } from '../../api/types';
import { AmenityIcon, amenityKey } from '../../components/AmenityIcon';
import { Button } from '../../components/Button';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { CheckIcon, QrIcon, RefreshIcon } from '../../components/Icons';
import { useI18n } from '../../i18n/context';
import { formatDate } from '../../lib/format';
import { useNow } from '../../lib/useNow';
import { AMENITIES, clockTime } from '../../lib/stations';
import { OccupancyBar, OpenBadge, stationName } from '../stations/parts';
import { HoursEditor } from './HoursEditor';
import { PosterButton } from './PosterButton';
import type { Section, StationEditor } from './useStation';

export function OperatorStation({ editor }: { editor: StationEditor }) {
  const { t, locale } = useI18n();
  const { id, station, loading, loadProblem, busy, done, problem, load, save } = editor;

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
          <Capacity station={station} save={save} busy={busy} errorFor={errorFor} savedFor={savedFor} />
          <HoursEditor editor={editor} />
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

/** The station's check-in QR, big on screen; the poster prints it; rotate makes the old one useless. */
function CheckinQr({ station }: { station: StationDetail }) {
  const { t } = useI18n();
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
        <div data-testid="op-qr-area">
          <img class="qr-img" src={svgDataUrl(code.qr_svg)} alt={t('op_qr_alt')} data-testid="op-qr-img" width={260} height={260} />
          <p class="qr-code-text">
            {t('op_qr_code')} <strong data-testid="op-qr-code">{code.code}</strong>
          </p>
        </div>
      ) : null}
      {rotated ? (
        <p class="saved" role="status" data-testid="op-qr-rotated">
          <CheckIcon size={18} /> {t('op_qr_rotated')}
        </p>
      ) : null}
      {code ? (
        <div class="stack">
          <PosterButton stationId={station.id} testid="op-qr-print" />
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
