import { describe, expect, it } from 'vitest';
import { translator } from '../i18n';
import { fieldMessages, networkProblem, problemMessage, toProblem } from './problem';

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

  it("falls back to the server's detail, then title, for unknown codes", () => {
    expect(problemMessage(toProblem({ code: 'brand_new', detail: 'D', title: 'T' }, res(400)), en)).toBe('D');
    expect(problemMessage(toProblem({ code: 'brand_new', title: 'T' }, res(400)), en)).toBe('T');
  });

  it('has words for a lost network', () => {
    expect(problemMessage(networkProblem(), zh)).toBe('网络不可用，请检查网络后重试');
  });
});

describe('fieldMessages', () => {
  it('maps field errors to our words, falling back to the server message', () => {
    const p = toProblem(
      {
        code: 'validation_failed',
        errors: [
          { field: 'password', code: 'too_common', message: 'x' },
          { field: 'phone', code: 'invalid_phone', message: 'y' },
          { field: 'display_name', code: 'never_heard_of', message: 'server words' },
        ],
      },
      res(422),
    );
    expect(fieldMessages(p, zh)).toEqual({
      password: '这个密码太常见，请换一个',
      phone: '请输入正确的 11 位手机号',
      display_name: 'server words',
    });
  });

  it('puts phone_taken under the phone field', () => {
    const p = toProblem({ code: 'phone_taken', title: 'Conflict' }, res(409));
    expect(fieldMessages(p, en)).toEqual({ phone: 'This number is already registered' });
  });
});
