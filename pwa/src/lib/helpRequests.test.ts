import { describe, expect, it } from 'vitest';
import {
  canRate,
  canReopen,
  CATEGORIES,
  coarse,
  countdown,
  currentDue,
  formatMinutes,
  formatSpan,
  formatWhen,
  handlerActions,
  isOverdue,
  needsNote,
  newIdempotencyKey,
  SLA_MINUTES,
  sortQueue,
} from './helpRequests';

const NOW = Date.parse('2026-03-05T12:00:00Z');
const at = (minutes: number) => new Date(NOW + minutes * 60_000).toISOString();

describe('categories and actions', () => {
  it('has the thirteen categories of the design, medical first', () => {
    expect(CATEGORIES).toHaveLength(13);
    expect(CATEGORIES[0]).toBe('medical');
  });

  it('orders the allowed actions for each side and ignores the other side’s', () => {
    expect(handlerActions(['reject', 'accept', 'cancel', 'escalate'])).toEqual(['accept', 'escalate', 'reject']);
    expect(handlerActions(['resolve', 'start'])).toEqual(['start', 'resolve']);
    expect(needsNote('reject')).toBe(true);
    expect(needsNote('resolve')).toBe(false);
  });

  it('offers reopening only while allowed and before reopen_until', () => {
    expect(canReopen({ allowed_actions: ['reopen'], reopen_until: at(10) }, NOW)).toBe(true);
    expect(canReopen({ allowed_actions: ['reopen'], reopen_until: at(-1) }, NOW)).toBe(false);
    expect(canReopen({ allowed_actions: [], reopen_until: at(10) }, NOW)).toBe(false);
    expect(canReopen({ allowed_actions: ['reopen'], reopen_until: null }, NOW)).toBe(true);
  });

  it('rates only when the server offers feedback', () => {
    expect(canRate({ allowed_actions: ['reopen', 'feedback'] })).toBe(true);
    expect(canRate({ allowed_actions: ['reopen'] })).toBe(false);
  });

  it('coarsens coordinates to three decimals', () => {
    expect(coarse(31.223456)).toBe(31.223);
    expect(coarse(121.44551)).toBe(121.446);
    expect(coarse(-0.0004)).toBe(-0);
  });

  it('makes distinct v4 keys', () => {
    const a = newIdempotencyKey();
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(newIdempotencyKey()).not.toBe(a);
  });

  it('promises the SLA of the design', () => {
    expect(SLA_MINUTES.sos).toEqual({ accept: 30, resolve: 1440 });
    expect(SLA_MINUTES.urgent).toEqual({ accept: 120, resolve: 4320 });
    expect(SLA_MINUTES.normal).toEqual({ accept: 1440, resolve: 10080 });
  });
});

describe('deadlines', () => {
  it('takes the deadline of the current step', () => {
    const r = { accept_due_at: at(30), resolve_due_at: at(600) };
    expect(currentDue({ ...r, status: 'submitted' })).toBe(at(30));
    expect(currentDue({ ...r, status: 'in_progress' })).toBe(at(600));
    expect(currentDue({ ...r, status: 'reopened' })).toBe(at(30));
    expect(currentDue({ ...r, status: 'in_progress', due_at: at(5) })).toBe(at(5));
    expect(currentDue({ ...r, status: 'resolved', due_at: at(5) })).toBeNull();
  });

  it('counts down in whole minutes, never promising more than is left', () => {
    expect(countdown(at(90), NOW)).toEqual({ overdue: false, days: 0, hours: 1, minutes: 30 });
    expect(countdown(new Date(NOW + 59_999).toISOString(), NOW)).toEqual({ overdue: false, days: 0, hours: 0, minutes: 0 });
    expect(countdown(at(-1), NOW)).toEqual({ overdue: true, days: 0, hours: 0, minutes: 1 });
    expect(countdown(new Date(NOW - 1000).toISOString(), NOW)).toEqual({ overdue: true, days: 0, hours: 0, minutes: 1 });
    expect(countdown(at(3 * 1440 + 125), NOW)).toEqual({ overdue: false, days: 3, hours: 2, minutes: 5 });
    expect(countdown('soon', NOW)).toBeNull();
  });

  it('formats a span with its two largest units', () => {
    expect(formatSpan({ days: 0, hours: 1, minutes: 5 }, 'zh-CN')).toBe('1 小时 5 分钟');
    expect(formatSpan({ days: 2, hours: 3, minutes: 59 }, 'zh-CN')).toBe('2 天 3 小时');
    expect(formatSpan({ days: 2, hours: 0, minutes: 59 }, 'zh-CN')).toBe('2 天');
    expect(formatSpan({ days: 0, hours: 0, minutes: 0 }, 'zh-CN')).toBe('0 分钟');
    expect(formatSpan({ days: 0, hours: 0, minutes: 12 }, 'en')).toBe('12 min');
    expect(formatSpan({ days: 1, hours: 4, minutes: 0 }, 'en')).toBe('1 d 4 h');
    expect(formatMinutes(30, 'zh-CN')).toBe('30 分钟');
    expect(formatMinutes(120, 'zh-CN')).toBe('2 小时');
    expect(formatMinutes(4320, 'en')).toBe('3 d');
  });

  it('is overdue by the server’s flag or by the clock, and never once finished', () => {
    expect(isOverdue({ status: 'submitted', due_at: at(-1) }, NOW)).toBe(true);
    expect(isOverdue({ status: 'submitted', due_at: at(1) }, NOW)).toBe(false);
    expect(isOverdue({ status: 'accepted', due_at: at(100), overdue: true }, NOW)).toBe(true);
    expect(isOverdue({ status: 'closed', due_at: at(-100), overdue: true }, NOW)).toBe(false);
  });
});

describe('queue order', () => {
  const item = (id: string, status: string, due: number | null, urgency = 'normal', updated = 0) => ({
    id,
    status,
    urgency,
    due_at: due === null ? null : at(due),
    updated_at: at(updated),
  });

  it('puts open requests first by deadline (overdue on top), then finished ones newest first', () => {
    const sorted = sortQueue([
      item('done-old', 'closed', null, 'normal', -100),
      item('later', 'accepted', 300),
      item('no-due-sos', 'submitted', null, 'sos'),
      item('overdue', 'submitted', -5),
      item('done-new', 'resolved', 10, 'normal', -1),
      item('soon', 'in_progress', 20),
      item('no-due-normal', 'reopened', null, 'normal'),
    ]);
    expect(sorted.map((x) => x.id)).toEqual(['overdue', 'soon', 'later', 'no-due-sos', 'no-due-normal', 'done-new', 'done-old']);
  });
});

describe('formatWhen', () => {
  it('writes the moment in Shanghai time', () => {
    expect(formatWhen('2026-03-05T12:00:00Z', 'zh-CN')).toBe('3月5日 20:00');
    expect(formatWhen('2026-03-05T12:07:00Z', 'en')).toBe('5 Mar 20:07');
    expect(formatWhen('2026-12-31T16:05:00Z', 'zh-CN')).toBe('1月1日 00:05');
    expect(formatWhen('nonsense', 'en')).toBe('nonsense');
  });
});
