// The dashboard's question: which region (the user's own or one inside it; an admin any) and
// which days (last 7 / 30 / 90, or a custom range checked before it is asked).
import { useState } from 'preact/hooks';
import type { Region } from '../../api/types';
import { Button } from '../../components/Button';
import { useI18n } from '../../i18n/context';
import type { MessageKey } from '../../i18n';
import { checkRange, daysIn, PRESETS, presetOf, presetRange, previousRange, todayInShanghai, type DayRange } from '../../lib/dateRange';
import { regionName, regionOptions } from '../../lib/regionScope';

export interface Question {
  /** '' = the whole platform (admins only). */
  region: string;
  range: DayRange;
}

interface Props {
  value: Question;
  /** The user's own region; null for an admin (all regions). */
  scope: string | null;
  regions: readonly Region[] | null;
  onChange(q: Question): void;
}

export function Filters({ value, scope, regions, onChange }: Props) {
  const { t } = useI18n();
  const before = previousRange(value.range);
  return (
    <div class="db-filters" data-testid="db-filters">
      <RegionPicker value={value.region} scope={scope} regions={regions} onChange={(region) => onChange({ ...value, region })} />
      <RangePicker value={value.range} onChange={(range) => onChange({ ...value, range })} />
      <p class="db-range-line muted small" data-testid="db-range" data-from={value.range.from} data-to={value.range.to}>
        {t('db_range_line', { from: value.range.from, to: value.range.to, days: daysIn(value.range), pfrom: before.from, pto: before.to })}
      </p>
    </div>
  );
}

function RegionPicker({ value, scope, regions, onChange }: { value: string; scope: string | null; regions: readonly Region[] | null; onChange(v: string): void }) {
  const { t, locale } = useI18n();
  const options = regions ? regionOptions(regions, scope) : [];
  return (
    <label class="db-field">
      <span>{t('db_region')}</span>
      <select
        class="db-select"
        value={value}
        data-testid="db-region"
        disabled={!regions}
        onChange={(e) => onChange((e.currentTarget as HTMLSelectElement).value)}
      >
        {scope === null ? <option value="">{t('db_region_all')}</option> : null}
        {!regions && scope !== null ? <option value={value}>{t('loading')}</option> : null}
        {options.map(({ region, depth }) => (
          <option key={region.code} value={region.code} data-level={region.level}>
            {`${'\u3000'.repeat(depth)}${regionName(region, locale)}`}
          </option>
        ))}
      </select>
    </label>
  );
}

const RANGE_ERRORS: Record<NonNullable<ReturnType<typeof checkRange>>, MessageKey> = {
  missing: 'db_range_missing',
  invalid: 'db_problem_bad_date',
  order: 'db_problem_range_order',
  too_long: 'db_problem_range_too_long',
  future: 'db_range_future',
};

function RangePicker({ value, onChange }: { value: DayRange; onChange(r: DayRange): void }) {
  const { t } = useI18n();
  const preset = presetOf(value);
  const [custom, setCustom] = useState(preset === null);
  const [draft, setDraft] = useState<DayRange>(value);
  const [error, setError] = useState<MessageKey | null>(null);
  const today = todayInShanghai();

  const apply = (e: Event) => {
    e.preventDefault();
    const why = checkRange(draft);
    if (why) return setError(RANGE_ERRORS[why]);
    setError(null);
    onChange(draft);
  };

  return (
    <div class="db-range">
      <div class="segmented db-presets" role="group" aria-label={t('db_range')}>
        {PRESETS.map((d) => (
          <button
            key={d}
            type="button"
            class={!custom && preset === d ? 'seg seg-on' : 'seg'}
            aria-pressed={!custom && preset === d}
            data-testid={`db-range-${d}`}
            onClick={() => {
              setCustom(false);
              setError(null);
              const r = presetRange(d);
              setDraft(r);
              onChange(r);
            }}
          >
            {t('db_range_last', { n: d })}
          </button>
        ))}
        <button type="button" class={custom ? 'seg seg-on' : 'seg'} aria-pressed={custom} data-testid="db-range-custom" onClick={() => setCustom(true)}>
          {t('db_range_custom')}
        </button>
      </div>
      {custom ? (
        <form class="db-custom" onSubmit={apply} noValidate>
          <label class="db-field">
            <span>{t('db_from')}</span>
            <input type="date" value={draft.from} max={today} data-testid="db-from" onInput={(e) => setDraft({ ...draft, from: (e.currentTarget as HTMLInputElement).value })} />
          </label>
          <label class="db-field">
            <span>{t('db_to')}</span>
            <input type="date" value={draft.to} max={today} data-testid="db-to" onInput={(e) => setDraft({ ...draft, to: (e.currentTarget as HTMLInputElement).value })} />
          </label>
          <Button type="submit" data-testid="db-range-apply">
            {t('db_apply')}
          </Button>
          {error ? (
            <p class="field-error db-range-error" role="alert" data-testid="db-range-error">
              {t(error)}
            </p>
          ) : null}
        </form>
      ) : null}
    </div>
  );
}
