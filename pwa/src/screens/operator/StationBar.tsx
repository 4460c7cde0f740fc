// On top of every console tab: the station's status (营业中 / 已满 / 暂停服务) and how many
// are here (+/−), big enough for a gloved thumb, one tap each.
import { useEffect, useRef, useState } from 'preact/hooks';
import { problemMessage } from '../../api/problem';
import { CheckIcon } from '../../components/Icons';
import { useI18n } from '../../i18n/context';
import type { Section, StationEditor } from './useStation';

const STATUS_BUTTONS = ['open', 'full', 'temporarily_closed'] as const;

/** Wait this long after the last +/− tap before saving (one request for a burst of taps). */
const OCCUPANCY_SAVE_DELAY_MS = 500;

export function StationBar({ editor }: { editor: StationEditor }) {
  const { t } = useI18n();
  const { station, busy, save } = editor;
  if (!station) return null;
  return (
    <section class="station-bar" aria-label={t('oc_bar_label')} data-testid="station-bar" data-status={station.status}>
      <div class="status-buttons" role="group" aria-label={t('op_status_title')}>
        {STATUS_BUTTONS.map((st) => (
          <button
            key={st}
            type="button"
            class={`status-btn status-btn-${st}${station.status === st ? ' status-btn-on' : ''}`}
            aria-pressed={station.status === st}
            disabled={busy === 'status'}
            data-testid={`op-status-${st}`}
            onClick={() => station.status !== st && void save('status', { status: st })}
          >
            {t(`op_status_${st}`)}
          </button>
        ))}
      </div>
      <Occupancy editor={editor} />
      <BarLine editor={editor} />
    </section>
  );
}

/** One line under the bar: saving, saved or what went wrong, for status and occupancy. */
function BarLine({ editor }: { editor: StationEditor }) {
  const { t } = useI18n();
  const line = (s: Section) => {
    if (editor.busy === s)
      return (
        <p class="progress-line bar-line" role="status" aria-busy="true" data-testid={`op-saving-${s}`}>
          <span class="spinner" aria-hidden="true" /> {t('profile_saving')}
        </p>
      );
    if (editor.problem?.section === s)
      return (
        <p class="form-error bar-line" role="alert" data-testid={`op-error-${s}`} data-code={editor.problem.problem.code}>
          {problemMessage(editor.problem.problem, t)}
        </p>
      );
    if (editor.done === s)
      return (
        <p class="saved bar-line" role="status" data-testid={`op-saved-${s}`}>
          <CheckIcon size={18} /> {t('profile_saved')}
        </p>
      );
    return null;
  };
  return (
    <>
      {line('status')}
      {line('occupancy')}
    </>
  );
}

function Occupancy({ editor }: { editor: StationEditor }) {
  const { t } = useI18n();
  const station = editor.station!;
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
      const ok = await editor.save('occupancy', { occupancy: next });
      saving.current = false;
      setPending(false);
      if (!ok) setValue(station.occupancy);
    }, OCCUPANCY_SAVE_DELAY_MS);
  };

  return (
    <div class="stepper stepper-compact" role="group" aria-label={t('op_occupancy_title')} data-pending={pending ? 'true' : 'false'}>
      <button type="button" class="step-btn" aria-label={t('op_occupancy_minus')} data-testid="op-occupancy-minus" disabled={value <= 0} onClick={() => change(-1)}>
        −
      </button>
      <output class="step-value" data-testid="op-occupancy" aria-live="polite">
        <span class="step-caption">{t('op_occupancy_title')}</span>
        <span>
          {value}
          <span class="muted small"> / {station.capacity}</span>
        </span>
      </output>
      <button type="button" class="step-btn" aria-label={t('op_occupancy_plus')} data-testid="op-occupancy-plus" onClick={() => change(1)}>
        +
      </button>
    </div>
  );
}
