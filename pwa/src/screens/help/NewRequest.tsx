// `#/help/new`: what happened (category with icons), how urgent, a description, and where
// (the rough location, or a station). Submitting puts it in the outbox, so it works offline.
import { useRef, useState } from 'preact/hooks';
import type { NewHelpRequest } from '../../api/help';
import { fetchNearby } from '../../api/stations';
import type { StationCard, User } from '../../api/types';
import { Button } from '../../components/Button';
import { BackIcon, LocateIcon } from '../../components/Icons';
import { useI18n } from '../../i18n/context';
import { locate } from '../../lib/geo';
import { loginGate } from '../../lib/loginGate';
import {
  CATEGORIES,
  coarse,
  DESCRIPTION_MAX,
  formatMinutes,
  newIdempotencyKey,
  SLA_MINUTES,
  URGENCIES,
  type Category,
  type Urgency,
} from '../../lib/helpRequests';
import { formatDistance, loadNearby } from '../../lib/stations';
import { browserStore } from '../../lib/storage';
import { useOnline } from '../../lib/useOnline';
import { stationName } from '../stations/parts';
import { CategoryIcon } from './CategoryIcon';
import { label, NoteField } from './parts';
import { CALL_FIRST, EmergencyCalls } from './Emergency';
import { SosButton } from './Sos';
import { helpOutbox } from './store';

const STATIONS_SHOWN = 6;

type LocState = 'idle' | 'locating' | 'set' | 'denied' | 'failed';

export function NewRequest({ user, navigate }: { user: User | null; navigate(hash: string, replace?: boolean): void }) {
  const { t, locale } = useI18n();
  const online = useOnline();
  const [category, setCategory] = useState<Category | null>(null);
  const [urgency, setUrgency] = useState<Urgency>('normal');
  const [description, setDescription] = useState('');
  const [point, setPoint] = useState<{ lat: number; lng: number } | null>(null);
  const [locState, setLocState] = useState<LocState>('idle');
  const [stations, setStations] = useState<StationCard[]>(() =>
    [...(loadNearby<StationCard>(browserStore())?.items ?? [])].sort((a, b) => a.distance_m - b.distance_m).slice(0, STATIONS_SHOWN),
  );
  const [stationsLoading, setStationsLoading] = useState(false);
  const [stationId, setStationId] = useState<string | null>(null);
  const [errors, setErrors] = useState<{ category?: string; description?: string }>({});
  const [submitting, setSubmitting] = useState(false);
  // One key for this form: a double tap on "send" finds it already in the outbox.
  const key = useRef(newIdempotencyKey());

  const attachLocation = async () => {
    setLocState('locating');
    const where = await locate();
    if (!where.ok) {
      setLocState(where.reason === 'denied' ? 'denied' : 'failed');
      return;
    }
    const p = { lat: coarse(where.lat), lng: coarse(where.lng) };
    setPoint(p);
    setLocState('set');
    if (!navigator.onLine) return;
    setStationsLoading(true);
    const r = await fetchNearby({ lat: where.lat, lng: where.lng, radiusM: 3000, limit: STATIONS_SHOWN, amenities: [], openNow: false });
    setStationsLoading(false);
    if (r.ok) setStations(r.data.items);
  };

  const submit = (e: Event) => {
    e.preventDefault();
    if (submitting) return;
    const text = description.trim();
    const errs: typeof errors = {};
    if (!category) errs.category = t('hr_category_required');
    if (!text) errs.description = t('hr_description_required');
    else if ([...text].length > DESCRIPTION_MAX) errs.description = t('hr_description_too_long', { max: DESCRIPTION_MAX });
    setErrors(errs);
    if (errs.category || errs.description || !category) return;
    setSubmitting(true);
    const body: NewHelpRequest = { category, urgency, description: text };
    if (point) Object.assign(body, { lat: point.lat, lng: point.lng, coord: 'wgs84' });
    if (stationId) body.station_id = stationId;
    if (!user) {
      // No account yet: HelpTab files it right after the login (lib/loginGate).
      setSubmitting(false);
      loginGate.ask('help', { key: key.current, body });
      return;
    }
    const box = helpOutbox(user.id);
    box.add(key.current, body);
    void box.flush();
    navigate('#/help', true);
  };

  const sla = SLA_MINUTES[urgency];
  return (
    <form class="hr hr-form" data-testid="hr-form" onSubmit={submit} noValidate>
      <div class="hr-form-top">
        <button type="button" class="btn btn-secondary back" data-testid="hr-back" onClick={() => navigate('#/help', true)}>
          <BackIcon size={22} />
          {t('hr_back')}
        </button>
        <SosButton userId={user?.id ?? null} category={category ?? undefined} compact onFiled={() => navigate('#/help', true)} />
      </div>
      <h2>{t('hr_new_title')}</h2>

      <fieldset class="hr-fieldset">
        <legend>{t('hr_pick_category')}</legend>
        <div class="hr-cat-grid" role="group" data-testid="hr-categories">
          {CATEGORIES.map((c) => (
            <button
              key={c}
              type="button"
              class={c === category ? 'hr-cat hr-cat-on' : 'hr-cat'}
              aria-pressed={c === category}
              data-testid={`hr-cat-${c}`}
              onClick={() => {
                setCategory(c);
                setErrors((x) => ({ ...x, category: undefined }));
              }}
            >
              <CategoryIcon category={c} size={30} />
              <span>{label(t, 'hr_cat_', c)}</span>
            </button>
          ))}
        </div>
        {category === 'hazard_report' ? <p class="muted small">{t('hr_cat_hazard_report_hint')}</p> : null}
        {/* Hurt, or a crash: the call comes before the rest of the form. */}
        {category && CALL_FIRST.has(category) ? <EmergencyCalls testid="hr-form-calls" /> : null}
        {errors.category ? (
          <p class="field-error" data-testid="hr-category-error">
            {errors.category}
          </p>
        ) : null}
      </fieldset>

      <fieldset class="hr-fieldset">
        <legend>{t('hr_pick_urgency')}</legend>
        <div class="segmented hr-urgency-pick" role="group">
          {URGENCIES.map((u) => (
            <button
              key={u}
              type="button"
              class={u === urgency ? `seg seg-on hr-seg-${u}` : 'seg'}
              aria-pressed={u === urgency}
              data-testid={`hr-urgency-${u}`}
              onClick={() => setUrgency(u)}
            >
              {label(t, 'hr_urgency_', u)}
            </button>
          ))}
        </div>
        <p class="muted small" data-testid="hr-sla">
          {t('hr_sla', { accept: formatMinutes(sla.accept, locale), resolve: formatMinutes(sla.resolve, locale) })}
        </p>
      </fieldset>

      <NoteField
        id="hr-description"
        label={t('hr_description')}
        placeholder={t('hr_description_placeholder')}
        value={description}
        max={DESCRIPTION_MAX}
        rows={5}
        error={errors.description}
        onInput={(v) => {
          setDescription(v);
          if (errors.description) setErrors((x) => ({ ...x, description: undefined }));
        }}
      />

      <fieldset class="hr-fieldset">
        <legend>{t('hr_where')}</legend>
        <p class="muted small">{t('hr_where_hint')}</p>
        {locState === 'set' && point ? (
          <div class="hr-loc-set" data-testid="hr-location-set">
            <span>
              <LocateIcon size={22} /> {t('hr_location_set')}
            </span>
            <button
              type="button"
              class="btn-link"
              data-testid="hr-location-remove"
              onClick={() => {
                setPoint(null);
                setLocState('idle');
              }}
            >
              {t('hr_location_remove')}
            </button>
          </div>
        ) : (
          <Button variant="secondary" busy={locState === 'locating'} busyLabel={t('hr_locating')} data-testid="hr-use-location" onClick={() => void attachLocation()}>
            <LocateIcon size={22} />
            {t('hr_use_location')}
          </Button>
        )}
        {locState === 'denied' || locState === 'failed' ? (
          <p class="notice" role="status" data-testid="hr-location-error" data-reason={locState}>
            {t(locState === 'denied' ? 'hr_location_denied' : 'hr_location_failed')}
          </p>
        ) : null}
        <p class="field-label">{t('hr_pick_station')}</p>
        {stationsLoading ? (
          <p class="progress-line" role="status" aria-busy="true">
            <span class="spinner" aria-hidden="true" /> {t('hr_station_loading')}
          </p>
        ) : null}
        {stations.length === 0 && !stationsLoading ? <p class="muted small">{t('hr_station_none')}</p> : null}
        <div class="hr-stations" role="radiogroup" aria-label={t('hr_pick_station')}>
          {stations.map((s) => (
            <button
              key={s.id}
              type="button"
              role="radio"
              aria-checked={s.id === stationId}
              class={s.id === stationId ? 'hr-station hr-station-on' : 'hr-station'}
              data-testid="hr-station-option"
              data-station-id={s.id}
              onClick={() => setStationId(s.id === stationId ? null : s.id)}
            >
              <strong>{stationName(s, locale)}</strong>
              <span class="muted small">{formatDistance(s.distance_m, locale)}</span>
            </button>
          ))}
        </div>
      </fieldset>

      <Button type="submit" busy={submitting} busyLabel={t('hr_submitting')} data-testid="hr-submit">
        {t('hr_submit')}
      </Button>
      {!online ? (
        <p class="notice" role="status" data-testid="hr-offline-note">
          {t('hr_queued_offline')}
        </p>
      ) : null}
    </form>
  );
}
