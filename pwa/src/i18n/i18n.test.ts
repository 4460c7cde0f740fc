import { describe, expect, it } from 'vitest';
import { catalogues, isLocale, isMessageKey, translator } from './index';
// Every part, so the checks below cover the whole catalogue.
import './help';
import './learn';
import './operator';
import './dashboard';

const zhCN = catalogues['zh-CN'];
const en = catalogues.en;

const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

describe('message catalogues', () => {
  it('every zh-CN key exists in en', () => {
    const missing = Object.keys(zhCN).filter((k) => !(k in en));
    expect(missing).toEqual([]);
  });

  it('every en key exists in zh-CN', () => {
    const extra = Object.keys(en).filter((k) => !(k in zhCN));
    expect(extra).toEqual([]);
  });

  it('no message is empty', () => {
    for (const [locale, table] of Object.entries(catalogues)) {
      for (const [key, value] of Object.entries(table)) {
        expect(value.trim(), `${locale}.${key}`).not.toBe('');
      }
    }
  });

  it('both catalogues use the same placeholders for each key', () => {
    for (const key of Object.keys(zhCN)) {
      expect(placeholders(en[key] ?? ''), key).toEqual(placeholders(zhCN[key] ?? ''));
    }
  });

  it('keys contain no dots (rosetta would read them as paths)', () => {
    expect(Object.keys(zhCN).filter((k) => k.includes('.'))).toEqual([]);
  });
});

describe('translator', () => {
  it('looks up the bound locale and fills placeholders', () => {
    expect(translator('zh-CN')('nav_stations')).toBe('驿站');
    expect(translator('en')('nav_stations')).toBe('Stations');
    expect(translator('zh-CN')('problem_rate_limited_seconds', { seconds: 30 })).toContain('30 秒');
    expect(translator('en')('problem_rate_limited_seconds', { seconds: 7 })).toContain('7 s');
  });

  it('knows its locales and keys', () => {
    expect(isLocale('en')).toBe(true);
    expect(isLocale('zh-CN')).toBe(true);
    expect(isLocale('fr')).toBe(false);
    expect(isMessageKey('problem_invalid_credentials')).toBe(true);
    expect(isMessageKey('problem_no_such_code')).toBe(false);
    expect(isMessageKey('toString')).toBe(false);
    expect(isMessageKey('hr_sos')).toBe(true); // a registered part
  });

  it('has the parts of the catalogue once they are registered', () => {
    expect(Object.keys(zhCN).length).toBeGreaterThan(500);
    expect(translator('en')('hr_sos')).not.toBe('');
    expect(translator('zh-CN')('db_tab_overview')).not.toBe('');
  });
});
