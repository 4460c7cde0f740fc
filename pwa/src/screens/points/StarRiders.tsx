// 星级骑手 (典型选树): the rider's own choice to appear on the district's monthly list (off
// by default, explained before it is turned on), and the list itself.
import { useEffect, useState } from 'preact/hooks';
import { api, call } from '../../api/client';
import { problemMessage, type Problem } from '../../api/problem';
import { fetchStarRiders, fetchStarSetting, putStarSetting, type StarRiderList } from '../../api/points';
import type { Region } from '../../api/types';
import { Switch } from '../../components/Switch';
import { useI18n } from '../../i18n/context';
import { groupedNumber, shanghaiMonth } from '../../lib/points';
import { loadLocationChoice } from '../../lib/stations';
import { browserStore } from '../../lib/storage';

const store = browserStore();
const DISTRICT_KEY = 'warmnew.stars.district';

/** The district to show: the one picked here, else the one picked on the stations tab. */
function initialDistrict(): string | null {
  const own = store.getItem(DISTRICT_KEY);
  if (own) return own;
  const where = loadLocationChoice(store);
  return where?.mode === 'district' ? where.code : null;
}

/** `guest`: no account, so only the list (the opt-in switch needs one). */
export function StarRiders({ guest = false }: { guest?: boolean }) {
  const { t, locale } = useI18n();
  const [optIn, setOptIn] = useState<boolean | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<boolean | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [district, setDistrict] = useState<string | null>(initialDistrict);
  const [list, setList] = useState<StarRiderList | null>(null);
  const [listLoading, setListLoading] = useState(false);
  const [listProblem, setListProblem] = useState<Problem | null>(null);
  const [districts, setDistricts] = useState<Region[]>([]);

  useEffect(() => {
    if (!guest) void fetchStarSetting().then((r) => r.ok && setOptIn(r.data.opt_in));
    void call(api.GET('/api/v1/regions')).then((r) => r.ok && setDistricts(r.data.items.filter((i) => i.level === 'district')));
  }, []);

  useEffect(() => {
    if (!district) return;
    let live = true;
    setListLoading(true);
    setListProblem(null);
    void fetchStarRiders(district, shanghaiMonth(new Date())).then((r) => {
      if (!live) return;
      setListLoading(false);
      if (r.ok) setList(r.data);
      else setListProblem(r.problem);
    });
    return () => {
      live = false;
    };
  }, [district]);

  const toggle = async () => {
    if (optIn === null || saving) return;
    const next = !optIn;
    setSaving(true);
    setProblem(null);
    setSaved(null);
    const r = await putStarSetting(next);
    setSaving(false);
    if (r.ok) {
      setOptIn(r.data.opt_in);
      setSaved(r.data.opt_in);
    } else setProblem(r.problem);
  };

  const pick = (code: string) => {
    if (!code) return;
    store.setItem(DISTRICT_KEY, code);
    setDistrict(code);
  };
  const name = (r: Region) => (locale === 'en' && r.name_en ? r.name_en : r.name_zh);
  const listDistrict = list ? districts.find((d) => d.code === list.district_code) : undefined;

  return (
    <section class="card stars" data-testid="star-riders">
      <h3>
        <span aria-hidden="true">⭐</span> {t('pt_stars')}
      </h3>
      {guest ? null : (
        <>
          <Switch on={optIn === true} busy={saving} disabled={optIn === null} testid="star-toggle" onToggle={() => void toggle()}>
            {t('pt_stars_toggle')}
          </Switch>
          <p class="muted small">{t('pt_stars_explain')}</p>
        </>
      )}
      {saved !== null ? (
        <p class="saved" role="status" data-testid="star-saved">
          {saved ? t('pt_stars_saved_on') : t('pt_stars_saved_off')}
        </p>
      ) : null}
      {problem ? (
        <p class="form-error" role="alert">
          {problemMessage(problem, t)}
        </p>
      ) : null}

      {list ? (
        <h4 class="stars-title" data-testid="star-list-title" data-district={list.district_code}>
          {t('pt_stars_list', { district: listDistrict ? name(listDistrict) : list.district_name, month: list.month })}
        </h4>
      ) : null}
      {listLoading ? (
        <p class="progress-line" role="status" aria-busy="true">
          <span class="spinner" aria-hidden="true" /> {t('pt_stars_loading')}
        </p>
      ) : listProblem ? (
        <p class="muted" data-testid="star-list-error">
          {problemMessage(listProblem, t)}
        </p>
      ) : list && list.items.length === 0 ? (
        <p class="muted" data-testid="star-list-empty">
          {t('pt_stars_empty')}
        </p>
      ) : list ? (
        <ol class="star-list" data-testid="star-list">
          {list.items.map((s) => (
            <li key={s.rank} data-testid="star-row">
              <span class={`star-rank star-rank-${Math.min(s.rank, 4)}`}>{t('pt_stars_rank', { n: s.rank })}</span>
              <span class="star-name">
                <strong>{s.display_name}</strong>
                <span class="muted small">{s.phone_masked}</span>
              </span>
              <span class="star-points">{t('pt_cost', { n: groupedNumber(s.points) })}</span>
            </li>
          ))}
        </ol>
      ) : null}
      {districts.length > 0 ? (
        <label class="stars-district">
          <span>{district ? t('pt_stars_district') : t('pt_stars_pick')}</span>
          <select data-testid="star-district" value={district ?? ''} onChange={(e) => pick((e.currentTarget as HTMLSelectElement).value)}>
            {district === null ? <option value="">{t('pt_stars_choose')}</option> : null}
            {districts.map((d) => (
              <option key={d.code} value={d.code}>
                {name(d)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
    </section>
  );
}
