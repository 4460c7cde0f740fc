import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogues, translator } from '../i18n';
import { fieldMessages, networkProblem, problemMessage, toProblem } from './problem';

/** The API's error codes, as the committed OpenAPI document lists them (from api/src/error.rs). */
function apiCodes(): string[] {
  const doc = JSON.parse(readFileSync(new URL('../../../openapi/openapi.json', import.meta.url), 'utf8')) as {
    components: { schemas: { Problem: { allOf: { properties?: { code?: { enum?: string[] } } }[] } } };
  };
  const codes = doc.components.schemas.Problem.allOf.flatMap((s) => s.properties?.code?.enum ?? []);
  return codes;
}

const zh = translator('zh-CN');
const en = translator('en');

const res = (status: number, headers: Record<string, string> = {}) => new Response(null, { status, headers });

describe('toProblem', () => {
  it('reads an RFC 9457 body with field errors', () => {
    const p = toProblem(
      {
        type: 'about:blank',
        title: 'Validation failed',
        status: 422,
        detail: 'check the fields',
        code: 'validation_failed',
        errors: [{ field: 'password', code: 'too_common', message: 'is too easy to guess' }, { bogus: true }],
      },
      res(422),
    );
    expect(p).toMatchObject({ status: 422, code: 'validation_failed', detail: 'check the fields' });
    expect(p.errors).toEqual([{ field: 'password', code: 'too_common', message: 'is too easy to guess' }]);
  });

  it('reads Retry-After in seconds or as a date', () => {
    expect(toProblem({ code: 'rate_limited' }, res(429, { 'Retry-After': '42' })).retryAfter).toBe(42);
    const at = new Date(Date.now() + 30_000).toUTCString();
    const secs = toProblem({ code: 'rate_limited' }, res(429, { 'Retry-After': at })).retryAfter ?? -1;
    expect(secs).toBeGreaterThan(25);
    expect(secs).toBeLessThanOrEqual(31);
  });

  it('makes do with a body that is not a problem', () => {
    expect(toProblem('<html>bad gateway</html>', res(502)).code).toBe('server_error');
    expect(toProblem(undefined, res(401)).code).toBe('unauthorized');
  });
});

describe('problemMessage', () => {
  it('says known codes in the current language', () => {
    const p = toProblem({ code: 'invalid_credentials', title: 'Unauthorized' }, res(401));
    expect(problemMessage(p, zh)).toBe('手机号或密码错误');
    expect(problemMessage(p, en)).toBe('Wrong mobile number or password');
  });

  it('includes the wait when rate limited', () => {
    const p = toProblem({ code: 'rate_limited' }, res(429, { 'Retry-After': '60' }));
    expect(problemMessage(p, zh)).toBe('尝试次数过多，请 60 秒后再试');
  });

  it("never shows the server's English words: a sentence by status for codes it does not know", () => {
    const body = (status: number) => toProblem({ code: 'brand_new', detail: 'Some English detail', title: 'Teapot' }, res(status));
    expect(problemMessage(body(500), zh)).toBe('服务暂时出了问题，请稍后再试');
    expect(problemMessage(body(503), en)).toBe('Something went wrong on our side. Please try again later.');
    expect(problemMessage(body(409), zh)).toBe('内容已有变化，请刷新后再试');
    expect(problemMessage(body(400), zh)).toBe('请求有误，请检查后重试');
    expect(problemMessage(body(403), zh)).toBe('没有权限执行这个操作');
    expect(problemMessage(toProblem('<html>bad gateway</html>', res(502)), zh)).toBe('服务暂时出了问题，请稍后再试');
  });

  it('has words in both languages for every error code of the API', () => {
    const codes = apiCodes();
    // The document lists them all (a guard against reading the wrong place).
    expect(codes).toEqual(expect.arrayContaining(['validation_failed', 'not_found', 'internal_error', 'rate_limited']));
    expect(codes.length).toBeGreaterThan(25);
    const missing = codes.flatMap((c) =>
      (['zh-CN', 'en'] as const).filter((l) => !catalogues[l][`problem_${c}`]).map((l) => `${l}: problem_${c}`),
    );
    expect(missing).toEqual([]);
    for (const code of codes) {
      const status = code === 'internal_error' ? 500 : 400;
      const said = problemMessage(toProblem({ code, title: 'English title', detail: 'English detail' }, res(status)), zh);
      expect(said, code).toMatch(/[\u4e00-\u9fff]/);
      expect(said, code).not.toMatch(/English/);
    }
  });

  it('has words for a lost network', () => {
    expect(problemMessage(networkProblem(), zh)).toBe('网络不可用，请检查网络后重试');
  });
});

describe('fieldMessages', () => {
  it('maps field errors to our words, never to the server’s English message', () => {
    const p = toProblem(
      {
        code: 'validation_failed',
        errors: [
          { field: 'password', code: 'too_common', message: 'x' },
          { field: 'phone', code: 'invalid_phone', message: 'y' },
          { field: 'display_name', code: 'never_heard_of', message: 'server words in English' },
        ],
      },
      res(422),
    );
    expect(fieldMessages(p, zh)).toEqual({
      password: '这个密码太常见，请换一个',
      phone: '请输入正确的 11 位手机号',
      display_name: '这一项填写有误',
    });
  });

  it('puts phone_taken under the phone field', () => {
    const p = toProblem({ code: 'phone_taken', title: 'Conflict' }, res(409));
    expect(fieldMessages(p, en)).toEqual({ phone: 'This number is already registered' });
  });
});
