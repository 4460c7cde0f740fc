import { isMessageKey, type MessageKey, type Translate } from '../i18n';

export interface FieldError {
  field: string;
  code: string;
  message: string;
}

/** An RFC 9457 problem as the server sends it, or one made up for a network failure. */
export interface Problem {
  status: number;
  code: string;
  title: string;
  detail?: string;
  errors: FieldError[];
  /** Seconds from a Retry-After header, when the server sent one. */
  retryAfter?: number;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** Reads an error body (already parsed by openapi-fetch, or raw text) into a Problem. */
export function toProblem(body: unknown, response: Response | undefined): Problem {
  const status = response?.status ?? 0;
  const obj = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const rawErrors = Array.isArray(obj.errors) ? obj.errors : [];
  const errors: FieldError[] = rawErrors.flatMap((e) => {
    if (!e || typeof e !== 'object') return [];
    const r = e as Record<string, unknown>;
    const field = str(r.field);
    if (!field) return [];
    return [{ field, code: str(r.code) ?? 'invalid', message: str(r.message) ?? '' }];
  });
  return {
    status,
    code: str(obj.code) ?? (status === 401 ? 'unauthorized' : status >= 500 ? 'server_error' : 'unknown'),
    title: str(obj.title) ?? response?.statusText ?? '',
    detail: str(obj.detail),
    errors,
    retryAfter: parseRetryAfter(response?.headers.get('Retry-After') ?? null),
  };
}

export const networkProblem = (): Problem => ({
  status: 0,
  code: 'network',
  title: 'network error',
  errors: [],
});

/** A sentence in the app's language for a status whose code we do not know (a newer
 * server, a proxy's error page). */
function statusKey(status: number): MessageKey {
  if (status === 0) return 'problem_network';
  if (status === 401) return 'problem_unauthorized';
  if (status === 403) return 'problem_forbidden';
  if (status === 404) return 'problem_not_found';
  if (status === 409) return 'problem_conflict';
  if (status === 429) return 'problem_rate_limited';
  if (status >= 500) return 'problem_server';
  if (status >= 400) return 'problem_bad_request';
  return 'problem_unknown';
}

/** The sentence to show for a problem, always in the app's language: our words for its code
 * (every code of api/src/error.rs has some), else a sentence by status. The server's own
 * title/detail are English and never shown. */
export function problemMessage(p: Problem, t: Translate): string {
  if (p.code === 'rate_limited' && p.retryAfter !== undefined) {
    return t('problem_rate_limited_seconds', { seconds: p.retryAfter });
  }
  const key = `problem_${p.code}`;
  if (isMessageKey(key)) return t(key);
  return t(statusKey(p.status));
}

/** Field errors keyed by field name, in our words (the field's code, else a general one). */
export function fieldMessages(p: Problem, t: Translate): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of p.errors) {
    if (out[e.field]) continue;
    const keys = [`field_${e.field}_${e.code}`, `field_${e.code}`];
    const known = keys.find(isMessageKey) as MessageKey | undefined;
    // The server's message is English: never shown, our general words instead.
    out[e.field] = known ? t(known) : t('field_invalid');
  }
  if (p.code === 'phone_taken' && !out.phone) out.phone = t('field_phone_taken');
  return out;
}
