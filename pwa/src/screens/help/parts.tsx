// Pieces shared by the rider's help screens and the handlers' queue.
import type { HelpEvent, HelpPlace } from '../../api/help';
import { problemMessage, type Problem } from '../../api/problem';
import { isMessageKey, type Translate } from '../../i18n';
import { useI18n } from '../../i18n/context';
import { roleKey } from '../../lib/format';
import { awaitsAccept, countdown, currentDue, formatSpan, formatWhen, isOpen, isOverdue, type Deadlines } from '../../lib/helpRequests';
import { CategoryIcon } from './CategoryIcon';

/** `hr_status_accepted` etc., or the code itself for one this build does not know. */
export function label(t: Translate, prefix: string, code: string): string {
  const key = `${prefix}${code}`;
  return isMessageKey(key) ? t(key) : code;
}

/** Our words for the help-specific problem codes, else the app's usual message. */
export function helpProblem(p: Problem, t: Translate): string {
  const key = `hr_problem_${p.code}`;
  if (p.code === 'rate_limited' && p.retryAfter !== undefined) return problemMessage(p, t);
  return isMessageKey(key) ? t(key) : problemMessage(p, t);
}

export function ProblemLine({ problem, testid }: { problem: Problem | null; testid: string }) {
  const { t } = useI18n();
  if (!problem) return null;
  return (
    <p class="form-error" role="alert" data-testid={testid} data-code={problem.code}>
      {helpProblem(problem, t)}
    </p>
  );
}

/** The status in words and colour (never colour alone). */
export function StatusChip({ status, testid = 'hr-status' }: { status: string; testid?: string }) {
  const { t } = useI18n();
  return (
    <span class={`hr-chip hr-chip-${status}`} data-testid={testid} data-status={status}>
      {label(t, 'hr_status_', status)}
    </span>
  );
}

export function UrgencyBadge({ urgency }: { urgency: string }) {
  const { t } = useI18n();
  if (urgency === 'normal') return null;
  return (
    <span class={`hr-urgency hr-urgency-${urgency}`} data-testid="hr-urgency" data-urgency={urgency}>
      {label(t, 'hr_urgency_', urgency)}
    </span>
  );
}

export function CategoryName({ category }: { category: string }) {
  const { t } = useI18n();
  return (
    <span class="hr-cat-name">
      <CategoryIcon category={category} size={24} />
      <strong data-testid="hr-category" data-category={category}>
        {label(t, 'hr_cat_', category)}
      </strong>
    </span>
  );
}

/** "2 小时 5 分钟内受理" or, in red, "已超时 12 分钟"; nothing once finished. */
export function DueLine({ r, now }: { r: Deadlines & { overdue?: boolean }; now: Date }) {
  const { t, locale } = useI18n();
  const due = currentDue(r);
  if (!isOpen(r.status) || !due) return null;
  const c = countdown(due, now.getTime());
  if (!c) return null;
  const late = isOverdue(r, now.getTime());
  const time = formatSpan(c, locale);
  const text = late
    ? t('hr_overdue_by', { time: c.overdue ? time : formatSpan({ days: 0, hours: 0, minutes: 0 }, locale) })
    : t(awaitsAccept(r.status) ? 'hr_due_accept_in' : 'hr_due_resolve_in', { time });
  return (
    <span class={late ? 'hr-due hr-due-late' : 'hr-due'} data-testid="hr-due" data-overdue={late ? 'true' : 'false'} title={formatWhen(due, locale)}>
      {text}
    </span>
  );
}

/** What an entry says happened, in the reader's language (the server sends data, not words). */
export function eventText(e: HelpEvent, t: Translate): string {
  if (e.kind === 'escalated') {
    const tier = label(t, 'hr_tier_', e.tier ?? '');
    return e.from_tier ? t('hr_event_escalated_from', { from: label(t, 'hr_tier_', e.from_tier), tier }) : t('hr_event_escalated', { tier });
  }
  if (e.kind === 'sla_breached' && e.step) return label(t, 'hr_event_sla_breached_', e.step);
  return label(t, 'hr_event_', e.kind);
}

/** The timeline, oldest first: what happened, who did it, when, and the note. */
export function Timeline({ events }: { events: HelpEvent[] }) {
  const { t, locale } = useI18n();
  return (
    <ol class="hr-timeline" data-testid="hr-timeline">
      {events.map((e, i) => {
        const what = eventText(e, t);
        const system = e.actor_role === 'system';
        const who = system ? t('hr_actor_system') : t(roleKey(e.actor_role));
        // Only people write notes; an older server's (or an old offline copy's) English
        // sentence on a system entry is not shown.
        const note = system ? null : e.note;
        return (
          <li key={`${e.at}-${i}`} class={`hr-tl hr-tl-${e.kind}`} data-testid="hr-timeline-item" data-kind={e.kind}>
            <span class="hr-tl-dot" aria-hidden="true" />
            <div>
              <strong data-testid="hr-timeline-what">{what}</strong>
              <span class="muted small">
                {' '}
                · {who} · <time dateTime={e.at}>{formatWhen(e.at, locale)}</time>
              </span>
              {e.kind === 'sla_breached' && e.due_at ? (
                <p class="muted small" data-testid="hr-timeline-due">
                  {t('hr_event_due_was', { time: formatWhen(e.due_at, locale) })}
                </p>
              ) : null}
              {note ? (
                <p class="hr-tl-note" data-testid="hr-timeline-note">
                  {note}
                </p>
              ) : null}
            </div>
          </li>
        );
      })}
    </ol>
  );
}

/** Five big star buttons (a radio group). */
export function Stars({ value, onChange, disabled }: { value: number; onChange(n: number): void; disabled?: boolean }) {
  const { t } = useI18n();
  return (
    <div class="hr-stars" role="radiogroup" aria-label={t('hr_rate_title')}>
      {[1, 2, 3, 4, 5].map((n) => (
        <button
          key={n}
          type="button"
          role="radio"
          aria-checked={value === n}
          aria-label={t('hr_rate_star', { n })}
          class={n <= value ? 'hr-star hr-star-on' : 'hr-star'}
          disabled={disabled}
          data-testid={`hr-rate-${n}`}
          onClick={() => onChange(n)}
        >
          <svg width={34} height={34} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path
              d="m12 2.8 2.8 5.8 6.4.9-4.6 4.5 1.1 6.3L12 17.3l-5.7 3 1.1-6.3-4.6-4.5 6.4-.9z"
              fill={n <= value ? 'currentColor' : 'none'}
              stroke="currentColor"
              stroke-width={2}
              stroke-linejoin="round"
            />
          </svg>
        </button>
      ))}
    </div>
  );
}

/** A labelled textarea with a character counter. */
export function NoteField(p: {
  id: string;
  label: string;
  value: string;
  max: number;
  onInput(v: string): void;
  hint?: string;
  error?: string;
  placeholder?: string;
  rows?: number;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  const n = [...p.value].length;
  const over = n > p.max;
  return (
    <div class={`field${p.error || over ? ' field-invalid' : ''}`}>
      <label for={p.id}>{p.label}</label>
      <textarea
        id={p.id}
        class="hr-textarea"
        data-testid={p.id}
        value={p.value}
        rows={p.rows ?? 3}
        placeholder={p.placeholder}
        disabled={p.disabled}
        aria-invalid={p.error || over ? true : undefined}
        aria-describedby={`${p.id}-count`}
        onInput={(e) => p.onInput((e.currentTarget as HTMLTextAreaElement).value)}
      />
      <div class="hr-field-foot">
        {p.error ? (
          <p class="field-error" data-testid={`${p.id}-error`}>
            {p.error}
          </p>
        ) : p.hint ? (
          <p class="field-hint">{p.hint}</p>
        ) : (
          <span />
        )}
        <span id={`${p.id}-count`} class={over ? 'hr-count hr-count-over' : 'hr-count'} data-testid={`${p.id}-count`}>
          {t('hr_description_count', { n, max: p.max })}
        </span>
      </div>
    </div>
  );
}

/** "静安寺街道，静安区 · 离 xx 驿站最近（约 300 米）" as a <dt>/<dd> pair: where the rider was, as a
 * place (handlers never see raw coordinates); nothing without a place. */
export function PlaceFact({ place }: { place: HelpPlace | null | undefined }) {
  const { t, locale } = useI18n();
  if (!place) return null;
  const area = [place.street_name, place.district_name].filter((x): x is string => !!x).join(locale === 'en' ? ', ' : '，');
  const metres = place.nearest_station_distance_m;
  const near = place.nearest_station_name
    ? t('hq_place_near', { station: place.nearest_station_name }) + (metres != null ? t('hq_place_metres', { m: metres }) : '')
    : '';
  const text = [area, near].filter(Boolean).join(' · ');
  if (!text) return null;
  return (
    <>
      <dt>{t('hq_place')}</dt>
      <dd data-testid="hq-place">{text}</dd>
    </>
  );
}
