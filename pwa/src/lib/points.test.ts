import { describe, expect, it } from 'vitest';
import type { PointsEntry, Reward } from '../api/points';
import { translator } from '../i18n';
import '../i18n/learn'; // the screens that use these register it (see i18n/index.ts)
import {
  countdown,
  groupCode,
  groupedNumber,
  localExpiry,
  isValidRedeemCode,
  loadPoints,
  mergeEntries,
  normalizeRedeemCode,
  parseRedeemPayload,
  reasonKey,
  redeemProblemKey,
  rewardName,
  savePoints,
  shanghaiMonth,
  shortfall,
  signedPoints,
  sortRewards,
  stockOf,
  svgDataUrl,
} from './points';
import { memoryStore } from './storage';

const reward = (id: string, cost: number, over: Partial<Reward> = {}): Reward => ({
  id,
  name: `奖品${id}`,
  name_en: null,
  emoji: '🎁',
  cost,
  station_id: null,
  station_name: null,
  stock: null,
  active: true,
  ...over,
});

describe('amounts', () => {
  it('signs points with a real minus and groups thousands', () => {
    expect(signedPoints(20)).toBe('+20');
    expect(signedPoints(-50)).toBe('\u221250');
    expect(signedPoints(0)).toBe('0');
    expect(signedPoints(1200)).toBe('+1,200');
    expect(groupedNumber(12345)).toBe('12,345');
  });

  it('prices in both languages', () => {
    expect(translator('zh-CN')('pt_cost', { n: groupedNumber(1500) })).toBe('1,500 积分');
    expect(translator('en')('pt_cost', { n: 50 })).toBe('50 pts');
  });

  it('groups a 6-digit code in threes', () => {
    expect(groupCode('123456')).toBe('123 456');
    expect(groupCode('12345')).toBe('12345');
  });
});

describe('countdown', () => {
  const start = Date.parse('2026-03-05T12:00:00Z');
  const expires = '2026-03-05T12:05:00Z';
  it('counts 5:00 down to 0:00 and then says expired', () => {
    expect(countdown(expires, start)).toEqual({ seconds: 300, label: '5:00', expired: false, fraction: 1 });
    expect(countdown(expires, start + 61_500)).toMatchObject({ seconds: 239, label: '3:59', expired: false });
    expect(countdown(expires, start + 299_001)).toMatchObject({ seconds: 1, label: '0:01', expired: false });
    expect(countdown(expires, start + 300_000)).toMatchObject({ seconds: 0, label: '0:00', expired: true, fraction: 0 });
    expect(countdown(expires, start + 900_000).expired).toBe(true);
  });
  it('shows at most the full time (clocks agree to a second), and a bad date is expired', () => {
    expect(countdown(expires, start - 1_400)).toMatchObject({ seconds: 300, label: '5:00', fraction: 1 });
    expect(countdown('not a date', start).expired).toBe(true);
  });
});

describe('localExpiry', () => {
  const received = 1_000_000;
  it('counts the server’s time left from when the code arrived, whatever the phone’s clock says', () => {
    expect(localExpiry('2026-03-05T12:05:00Z', 'Thu, 05 Mar 2026 12:00:00 GMT', received)).toBe(received + 300_000);
  });
  it('without a usable Date header, trusts expires_at', () => {
    const end = Date.parse('2026-03-05T12:05:00Z');
    expect(localExpiry('2026-03-05T12:05:00Z', null, received)).toBe(end);
    expect(localExpiry('2026-03-05T12:05:00Z', 'garbage', received)).toBe(end);
    // A server date after the expiry is not believed either.
    expect(localExpiry('2026-03-05T12:05:00Z', 'Thu, 05 Mar 2026 13:00:00 GMT', received)).toBe(end);
  });
});

describe('rewards', () => {
  it('stock: none given never runs out; 5 or fewer is "few"', () => {
    expect(stockOf({ stock: null })).toEqual({ kind: 'unlimited' });
    expect(stockOf({ stock: undefined })).toEqual({ kind: 'unlimited' });
    expect(stockOf({ stock: 0 })).toEqual({ kind: 'out' });
    expect(stockOf({ stock: 5 })).toEqual({ kind: 'few', n: 5 });
    expect(stockOf({ stock: 6 })).toEqual({ kind: 'some', n: 6 });
  });

  it('how many points are missing', () => {
    expect(shortfall(30, 50)).toBe(20);
    expect(shortfall(80, 50)).toBe(0);
  });

  it('lists what the rider can have first, cheapest first, without inactive ones', () => {
    const items = [
      reward('big', 500),
      reward('out', 10, { stock: 0 }),
      reward('cheap', 20),
      reward('off', 5, { active: false }),
      reward('mid', 100),
    ];
    expect(sortRewards(items, 120).map((r) => r.id)).toEqual(['cheap', 'mid', 'out', 'big']);
    expect(sortRewards(items, null).map((r) => r.id)).toEqual(['cheap', 'mid', 'big', 'out']);
  });

  it('names a reward in English when it has an English name', () => {
    expect(rewardName(reward('a', 1, { name: '矿泉水', name_en: 'Water' }), 'en')).toBe('Water');
    expect(rewardName(reward('a', 1, { name: '矿泉水', name_en: 'Water' }), 'zh-CN')).toBe('矿泉水');
    expect(rewardName(reward('a', 1, { name: '矿泉水' }), 'en')).toBe('矿泉水');
  });

  it('labels each ledger reason, anything else as "other"', () => {
    const t = translator('zh-CN');
    expect(t(reasonKey('lesson'))).toBe('学习微课堂');
    expect(t(reasonKey('redemption'))).toBe('兑换奖品');
    expect(t(reasonKey('bonus'))).toBe('其他');
  });
});

describe('the rider’s code at the counter', () => {
  it('keeps digits only, at most six', () => {
    expect(normalizeRedeemCode(' 123-456 ')).toBe('123456');
    expect(normalizeRedeemCode('1234567')).toBe('123456');
    expect(isValidRedeemCode('123456')).toBe(true);
    expect(isValidRedeemCode('12345')).toBe(false);
    expect(isValidRedeemCode('12345a')).toBe(false);
  });

  it('reads a scanned QR: a bare code, a link with ?code=, or text with one 6-digit run', () => {
    expect(parseRedeemPayload('654321')).toBe('654321');
    expect(parseRedeemPayload('654 321')).toBe('654321');
    expect(parseRedeemPayload('https://warm.example/redeem?code=012345')).toBe('012345');
    expect(parseRedeemPayload('warmnew:redeem:987654')).toBe('987654');
    expect(parseRedeemPayload('https://warm.example/checkin/abc?code=ABC123')).toBeNull();
    expect(parseRedeemPayload('111111 222222')).toBeNull();
    expect(parseRedeemPayload('1234567')).toBeNull();
  });

  it('has our words for each refusal', () => {
    const t = translator('zh-CN');
    for (const code of ['not_found', 'redemption_code_used', 'redemption_code_expired', 'insufficient_points', 'out_of_stock']) {
      expect(redeemProblemKey(code), code).not.toBeNull();
    }
    expect(t(redeemProblemKey('redemption_code_used')!)).toContain('已经用过');
    expect(redeemProblemKey('validation_failed')).toBeNull();
    expect(t('pt_err_insufficient_balance', { balance: 30 })).toContain('30');
  });
});

describe('points kept offline', () => {
  const entry = (id: string, delta = 20): PointsEntry => ({ id, delta, reason: 'lesson', source_label: null, created_at: '2026-03-05T12:00:00Z' });

  it('saves and loads the balance and the first page', () => {
    const store = memoryStore();
    expect(loadPoints(store, 'u1')).toBeNull();
    savePoints(store, 'u1', { savedAt: 9, balance: 40, items: [entry('1')], total: 1 });
    expect(loadPoints(store, 'u1')?.balance).toBe(40);
    expect(loadPoints(store, 'u2')).toBeNull();
  });

  it('merges pages without showing an entry twice', () => {
    expect(mergeEntries([entry('3'), entry('2')], [entry('2'), entry('1')]).map((e) => e.id)).toEqual(['3', '2', '1']);
  });
});

describe('misc', () => {
  it('the star-rider month is Shanghai’s', () => {
    expect(shanghaiMonth(new Date('2026-03-31T16:30:00Z'))).toBe('2026-04');
    expect(shanghaiMonth(new Date('2026-03-31T15:30:00Z'))).toBe('2026-03');
  });
  it('a QR SVG becomes an image source', () => {
    expect(svgDataUrl('<svg/>')).toBe('data:image/svg+xml;charset=utf-8,%3Csvg%2F%3E');
  });
});
