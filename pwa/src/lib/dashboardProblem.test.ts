import { describe, expect, it } from 'vitest';
import type { Problem } from '../api/problem';
import { translator } from '../i18n';
import '../i18n/dashboard'; // the dashboard registers it (see i18n/index.ts)
import { dashboardProblemKey } from './dashboardProblem';

const p = (status: number, code: string, errors: Problem['errors'] = [], detail = 'SERVER TEXT'): Problem => ({ status, code, title: 'Title', detail, errors });

describe('dashboard errors', () => {
  it('names the field the server named, in our words', () => {
    expect(dashboardProblemKey(p(422, 'validation_failed', [{ field: 'from', code: 'after_to', message: 'x' }]))).toBe('db_problem_range_order');
    expect(dashboardProblemKey(p(422, 'validation_failed', [{ field: 'to', code: 'range_too_long', message: 'x' }]))).toBe('db_problem_range_too_long');
    expect(dashboardProblemKey(p(422, 'validation_failed', [{ field: 'minutes', code: 'out_of_range', message: 'x' }]))).toBe('db_problem_minutes');
    expect(dashboardProblemKey(p(422, 'validation_failed', [{ field: 'metric', code: 'unknown', message: 'x' }]))).toBe('db_problem_invalid');
  });

  it('says plainly what scope, network and server failures mean', () => {
    expect(dashboardProblemKey(p(403, 'forbidden'))).toBe('db_problem_forbidden');
    expect(dashboardProblemKey(p(0, 'network'))).toBe('problem_network');
    expect(dashboardProblemKey(p(401, 'unauthorized'))).toBe('problem_unauthorized');
    expect(dashboardProblemKey(p(503, 'service_unavailable'))).toBe('db_problem_server');
    expect(dashboardProblemKey(p(500, 'internal'))).toBe('db_problem_server');
    expect(dashboardProblemKey(p(418, 'teapot'))).toBe('db_problem_unknown');
  });

  it('never shows the server text', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const t = translator(locale);
      for (const problem of [p(403, 'forbidden'), p(422, 'validation_failed'), p(500, 'internal'), p(418, 'x')]) {
        const text = t(dashboardProblemKey(problem));
        expect(text).not.toContain('SERVER TEXT');
        expect(text.trim()).not.toBe('');
      }
    }
  });
});
