import { describe, expect, it } from 'vitest';
import type { AttemptResult } from '../../api/lessons';
import type { Problem } from '../../api/problem';
import { classify } from './outbox';

const problem = (status: number, code: string): { ok: false; problem: Problem } => ({
  ok: false,
  problem: { status, code, title: code, errors: [] },
});

describe('what a reply means for a queued attempt', () => {
  it('graded: sent', () => {
    const result = { score: 100 } as AttemptResult;
    expect(classify({ ok: true, data: result, response: new Response() })).toEqual({ kind: 'sent', result });
  });

  it('no network, a busy or failing server, an expired session: try again later', () => {
    for (const [status, code] of [
      [0, 'network'],
      [401, 'unauthorized'],
      [429, 'rate_limited'],
      [500, 'server_error'],
      [503, 'unavailable'],
    ] as const) {
      expect(classify(problem(status, code)), code).toEqual({ kind: 'retry' });
    }
  });

  it('a refusal (lesson gone, answers invalid): dropped with its code', () => {
    expect(classify(problem(404, 'not_found'))).toEqual({ kind: 'rejected', code: 'not_found' });
    expect(classify(problem(422, 'validation_failed'))).toEqual({ kind: 'rejected', code: 'validation_failed' });
  });
});
