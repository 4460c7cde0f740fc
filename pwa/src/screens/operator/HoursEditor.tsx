// Opening hours without OSM syntax: weekday chips, time ranges per group of days, "24 小时",
// "节假日休息". The OSM string is written (and read back) by lib/hoursEditor; what is wrong is
// said in plain words, never the parser's.
import { useEffect, useState } from 'preact/hooks';
import { problemMessage, type Problem } from '../../api/problem';
import { Button } from '../../components/Button';
import { CheckIcon } from '../../components/Icons';
import { Switch } from '../../components/Switch';
import { useI18n } from '../../i18n/context';
import type { MessageKey, Translate } from '../../i18n';
import { addGroup, closedDays, crossesMidnight, DAYS, defaultModel, describe, describeDays, fromOsm, toggleDay, toOsm, validate, type DayGroup, type HoursModel, type HoursProblem, type TimeRange } from '../../lib/hoursEditor';
import type { StationEditor } from './useStation';

function problemText(p: HoursProblem, t: Translate): string {
  const n = (i: number) => i + 1;
  switch (p.code) {
    case 'no_groups':
      return t('hw_err_no_groups');
    case 'no_days':
    case 'no_ranges':
      return t(`hw_err_${p.code}`, { group: n(p.group) });
    case 'bad_time':
    case 'empty_range':
      return t(`hw_err_${p.code}`, { group: n(p.group), range: n(p.range) });
    case 'overlap':
      return t('hw_err_overlap', { group: n(p.group), range: n(p.range), other: n(p.other) });
  }
}

/** Our sentence for a refused save: a refused rule in our words, anything else as usual. */
function serverText(p: Problem, t: Translate): string {
  if (p.errors.some((e) => e.field === 'opening_hours')) return t('hw_err_server');
  return problemMessage(p, t);
}

export function HoursEditor({ editor }: { editor: StationEditor }) {
  const { t, locale } = useI18n();
  const saved = editor.station!.opening_hours;
  const [model, setModel] = useState<HoursModel | null>(() => fromOsm(saved));
  const [touched, setTouched] = useState(false);
  useEffect(() => {
    setModel(fromOsm(saved));
    setTouched(false);
  }, [saved]);

  const problem = editor.problem?.section === 'hours' ? editor.problem.problem : null;
  const busy = editor.busy === 'hours';

  if (!model) {
    return (
      <section class="card hours-editor" data-testid="op-hours-form" data-mode="complex">
        <h3>{t('hw_title')}</h3>
        <p>{t('hw_complex')}</p>
        <p class="hw-raw" data-testid="hw-raw">
          <code>{saved}</code>
        </p>
        <Button variant="secondary" data-testid="hw-reset" onClick={() => (setModel(defaultModel()), setTouched(true))}>
          {t('hw_reset')}
        </Button>
      </section>
    );
  }

  const change = (m: HoursModel) => {
    setModel(m);
    setTouched(true);
  };
  const problems = validate(model);
  const osm = problems.length === 0 ? toOsm(model) : null;
  const closed = closedDays(model);
  const setGroup = (gi: number, g: DayGroup) => change({ ...model, groups: model.groups.map((x, i) => (i === gi ? g : x)) });

  return (
    <form
      class="card hours-editor"
      noValidate
      data-testid="op-hours-form"
      data-mode="editor"
      data-osm={osm ?? ''}
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (osm) void editor.save('hours', { opening_hours: osm });
      }}
    >
      <h3>{t('hw_title')}</h3>
      <Switch on={model.always} testid="hw-always" onToggle={() => change({ ...model, always: !model.always, groups: model.groups.length ? model.groups : defaultModel().groups })}>
        {t('hw_always')}
      </Switch>
      {model.always
        ? null
        : model.groups.map((g, gi) => (
            <Group key={gi} gi={gi} g={g} model={model} single={model.groups.length === 1} onModel={change} onGroup={(x) => setGroup(gi, x)} />
          ))}
      {model.always ? null : (
        <>
          <Button variant="secondary" data-testid="hw-add-group" onClick={() => change(addGroup(model))}>
            {t('hw_add_group')}
          </Button>
          {closed.length > 0 && closed.length < 7 ? (
            <p class="muted" data-testid="hw-closed">
              {t('hw_closed_days', { days: describeDays(closed, locale) })}
            </p>
          ) : null}
        </>
      )}
      <Switch on={model.holidaysOff} testid="hw-ph" onToggle={() => change({ ...model, holidaysOff: !model.holidaysOff })}>
        {t('hw_holidays_off')}
      </Switch>
      {touched && problems.length > 0 ? (
        <ul class="form-error hw-errors" role="alert" data-testid="hw-errors">
          {problems.map((p, i) => (
            <li key={i} data-code={p.code}>
              {problemText(p, t)}
            </li>
          ))}
        </ul>
      ) : null}
      {osm ? (
        <p class="hw-preview" data-testid="hw-preview">
          {t('hw_preview', { text: describe(model, locale) })}
        </p>
      ) : null}
      {problem ? (
        <p class="form-error" role="alert" data-testid="op-hours-error" data-code={problem.code}>
          {serverText(problem, t)}
        </p>
      ) : null}
      <Button type="submit" busy={busy} busyLabel={t('profile_saving')} disabled={(editor.busy !== null && !busy) || osm === saved} data-testid="op-hours-save">
        {t('hw_save')}
      </Button>
      {editor.done === 'hours' ? (
        <p class="saved" role="status" data-testid="op-saved-hours">
          <CheckIcon size={18} /> {t('profile_saved')}
        </p>
      ) : null}
    </form>
  );
}

interface GroupProps {
  gi: number;
  g: DayGroup;
  model: HoursModel;
  single: boolean;
  onModel(m: HoursModel): void;
  onGroup(g: DayGroup): void;
}

function Group({ gi, g, model, single, onModel, onGroup }: GroupProps) {
  const { t } = useI18n();
  const setRange = (ri: number, r: TimeRange) => onGroup({ ...g, ranges: g.ranges.map((x, i) => (i === ri ? r : x)) });
  const last = g.ranges[g.ranges.length - 1];
  return (
    <fieldset class="hw-group" data-testid="hw-group" data-index={gi}>
      <legend class="hw-group-head">
        <span>{t('hw_group', { n: gi + 1 })}</span>
      </legend>
      <div class="hw-days" role="group" aria-label={t('hw_days')}>
        {DAYS.map((d) => {
          const on = g.days.includes(d);
          return (
            <button
              key={d}
              type="button"
              class={on ? 'hw-day hw-day-on' : 'hw-day'}
              aria-pressed={on}
              aria-label={t(`hw_day_name_${d}` as MessageKey)}
              data-testid={`hw-day-${d}`}
              onClick={() => onModel(toggleDay(model, gi, d))}
            >
              {t(`hw_day_${d}` as MessageKey)}
            </button>
          );
        })}
      </div>
      <Switch on={g.allDay} testid="hw-all-day" onToggle={() => onGroup({ ...g, allDay: !g.allDay })}>
        {t('hw_all_day')}
      </Switch>
      {g.allDay
        ? null
        : g.ranges.map((r, ri) => (
            <div key={ri} class="hw-range" data-testid="hw-range" data-index={ri}>
              <label class="hw-time">
                <span class="hw-time-label">{t('hw_start')}</span>
                <input type="time" required value={r.start} data-testid="hw-start" onInput={(e) => setRange(ri, { ...r, start: (e.currentTarget as HTMLInputElement).value })} />
              </label>
              <label class="hw-time">
                <span class="hw-time-label">
                  {t('hw_end')}
                  {crossesMidnight(r) ? (
                    <span class="tag tag-warn hw-next" data-testid="hw-next-day">
                      {t('hw_next_day')}
                    </span>
                  ) : null}
                </span>
                <input type="time" required value={r.end} data-testid="hw-end" onInput={(e) => setRange(ri, { ...r, end: (e.currentTarget as HTMLInputElement).value })} />
              </label>
              {g.ranges.length > 1 ? (
                <button type="button" class="btn btn-link hw-remove" data-testid="hw-remove-range" onClick={() => onGroup({ ...g, ranges: g.ranges.filter((_, i) => i !== ri) })}>
                  {t('hw_remove_range')}
                </button>
              ) : null}
            </div>
          ))}
      <div class="hw-group-actions">
        {g.allDay ? null : (
          <button
            type="button"
            class="btn btn-link"
            data-testid="hw-add-range"
            // The next range starts an hour after the last one ends.
            onClick={() => onGroup({ ...g, ranges: [...g.ranges, nextRange(last)] })}
          >
            {t('hw_add_range')}
          </button>
        )}
        {single ? null : (
          <button type="button" class="btn btn-link" data-testid="hw-remove-group" onClick={() => onModel({ ...model, groups: model.groups.filter((_, i) => i !== gi) })}>
            {t('hw_remove_group')}
          </button>
        )}
      </div>
    </fieldset>
  );
}

function nextRange(last: TimeRange | undefined): TimeRange {
  if (!last) return { start: '08:00', end: '12:00' };
  const [h, m] = last.end.split(':').map(Number);
  const start = Math.min(22, (h ?? 12) + 1);
  return { start: `${String(start).padStart(2, '0')}:${String(m ?? 0).padStart(2, '0')}`, end: `${String(Math.min(23, start + 1)).padStart(2, '0')}:00` };
}
