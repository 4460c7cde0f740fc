import { describe, expect, it } from 'vitest';
import { exportFileName, formatDate, isValidDisplayName, isValidPhone, maskPhone, normalizePhone, roleKey } from './format';

describe('phones', () => {
  it('masks the middle four digits of a mobile number', () => {
    expect(maskPhone('13812341234')).toBe('138****1234');
    expect(maskPhone('13800000001')).toBe('138****0001');
  });

  it('never shows a short or odd number whole', () => {
    expect(maskPhone('123')).toBe('***');
    expect(maskPhone('1234567')).toBe('12***67');
  });

  it('accepts only mainland mobile numbers, as the server does', () => {
    expect(isValidPhone('13800000001')).toBe(true);
    expect(isValidPhone('19912345678')).toBe(true);
    expect(isValidPhone('12800000001')).toBe(false);
    expect(isValidPhone('1380000000')).toBe(false);
    expect(isValidPhone('138000000012')).toBe(false);
    expect(isValidPhone('+8613800000001')).toBe(false);
  });

  it('drops spaces and dashes people type', () => {
    expect(normalizePhone(' 138 0000-0001 ')).toBe('13800000001');
  });
});

describe('display names', () => {
  it('takes 1–40 characters after trimming, counting Chinese characters as one', () => {
    expect(isValidDisplayName('小王')).toBe(true);
    expect(isValidDisplayName('   ')).toBe(false);
    expect(isValidDisplayName('骑'.repeat(40))).toBe(true);
    expect(isValidDisplayName('骑'.repeat(41))).toBe(false);
  });
});

describe('dates and names', () => {
  it('formats dates in Shanghai time', () => {
    // 2026-03-04 17:00 UTC is already 5 March in Shanghai.
    expect(formatDate('2026-03-04T17:00:00Z', 'zh-CN')).toBe('2026年3月5日');
    expect(formatDate('2026-03-04T17:00:00Z', 'en')).toBe('5 Mar 2026');
    expect(formatDate('not a date', 'en')).toBe('not a date');
  });

  it('names the export file by the Shanghai date', () => {
    expect(exportFileName(new Date('2026-03-04T17:00:00Z'))).toBe('warmnew-my-data-20260305.json');
  });

  it('has a label for every role', () => {
    expect(roleKey('operator')).toBe('role_operator');
    expect(roleKey('staff')).toBe('role_staff');
    expect(roleKey('admin')).toBe('role_admin');
    expect(roleKey('rider')).toBe('role_rider');
  });
});
