// The dashboard's errors in our own words: the field and code the server names, mapped to a
// sentence in the catalogue; the server's own text is never shown.
import type { Problem } from '../api/problem';
import type { MessageKey } from '../i18n';

const FIELD_CODES: Record<string, MessageKey> = {
  'from:after_to': 'db_problem_range_order',
  'to:range_too_long': 'db_problem_range_too_long',
  'from:invalid_date': 'db_problem_bad_date',
  'to:invalid_date': 'db_problem_bad_date',
  'region:unknown_region': 'db_problem_region',
  'minutes:out_of_range': 'db_problem_minutes',
  'suggestions:out_of_range': 'db_problem_invalid',
};

export function dashboardProblemKey(p: Problem): MessageKey {
  if (p.code === 'network' || p.status === 0) return 'problem_network';
  if (p.code === 'unauthorized' || p.status === 401) return 'problem_unauthorized';
  if (p.code === 'forbidden' || p.status === 403) return 'db_problem_forbidden';
  if (p.code === 'rate_limited' || p.status === 429) return 'problem_rate_limited';
  if (p.code === 'validation_failed' || p.status === 422 || p.status === 400) {
    for (const e of p.errors) {
      const key = FIELD_CODES[`${e.field}:${e.code}`];
      if (key) return key;
    }
    return 'db_problem_invalid';
  }
  if (p.status >= 500) return 'db_problem_server';
  return 'db_problem_unknown';
}
