import { describe, expect, it } from 'vitest';
import type { Region } from '../api/types';
import { districtCentres, inScope, regionName, regionOptions } from './regionScope';

const r = (code: string, level: Region['level'], parent: string | null, name: string, at?: [number, number]): Region => ({
  code,
  level,
  parent_code: parent,
  name_zh: name,
  name_en: level === 'street' ? null : `${name}-en`,
  lat: at?.[0] ?? null,
  lng: at?.[1] ?? null,
});

const REGIONS: Region[] = [
  r('310106013', 'street', '310106', '静安寺街道'),
  r('3101', 'city', null, '上海市', [31.23, 121.47]),
  r('310101', 'district', '3101', '黄浦区', [31.23, 121.48]),
  r('310106', 'district', '3101', '静安区', [31.25, 121.46]),
  r('310106006', 'street', '310106', '江宁路街道'),
  r('310101002', 'street', '310101', '南京东路街道'),
];

const codes = (scope: string | null) => regionOptions(REGIONS, scope).map((o) => `${'-'.repeat(o.depth)}${o.region.code}`);

describe('region scope', () => {
  it('offers district staff their district and its streets only', () => {
    expect(codes('310106')).toEqual(['310106', '-310106006', '-310106013']);
    expect(codes('310106')).not.toContain('310101');
  });

  it('offers street staff their street only', () => {
    expect(codes('310106006')).toEqual(['310106006']);
  });

  it('offers city staff and admins the whole tree', () => {
    const tree = ['3101', '-310101', '--310101002', '-310106', '--310106006', '--310106013'];
    expect(codes('3101')).toEqual(tree);
    expect(codes(null)).toEqual(tree);
  });

  it('offers nothing for a scope the table does not know', () => {
    expect(codes('320100')).toEqual([]);
  });

  it('checks codes by prefix, as the server does', () => {
    expect(inScope('310106013', '310106')).toBe(true);
    expect(inScope('310101', '310106')).toBe(false);
    expect(inScope('310101', null)).toBe(true);
  });

  it('names regions in the reader’s language, Chinese when there is no English', () => {
    expect(regionName(REGIONS[3]!, 'en')).toBe('静安区-en');
    expect(regionName(REGIONS[3]!, 'zh-CN')).toBe('静安区');
    expect(regionName(REGIONS[0]!, 'en')).toBe('静安寺街道');
  });

  it('labels the districts of the scope (and the district a street lies in)', () => {
    expect(districtCentres(REGIONS, '310106').map((x) => x.code)).toEqual(['310106']);
    expect(districtCentres(REGIONS, '310106006').map((x) => x.code)).toEqual(['310106']);
    expect(districtCentres(REGIONS, null).map((x) => x.code)).toEqual(['310101', '310106']);
  });
});
