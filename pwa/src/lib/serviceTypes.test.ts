import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FALLBACK_SERVICE_TYPES, loadServiceTypes, saveServiceTypes, serviceLabel } from './serviceTypes';
import { memoryStore } from './storage';

describe('service types', () => {
  it('the built-in list has every code of the API, in its order', () => {
    const spec = JSON.parse(readFileSync(new URL('../../../openapi/openapi.json', import.meta.url), 'utf8'));
    expect(FALLBACK_SERVICE_TYPES.map((t) => t.code)).toEqual(spec.components.schemas.ServiceType.enum);
  });

  it('keeps the server list and ignores a damaged copy', () => {
    const store = memoryStore();
    expect(loadServiceTypes(store)).toBeNull();
    saveServiceTypes(store, [{ code: 'wifi', label_zh: '无线网络', label_en: 'Wi-Fi', icon: 'wifi', amenity: true }], 5);
    expect(loadServiceTypes(store)).toEqual({ savedAt: 5, data: [{ code: 'wifi', label_zh: '无线网络', label_en: 'Wi-Fi', icon: 'wifi', amenity: true }] });
    store.setItem('warmnew.service-types', '{"savedAt":1,"data":[{"code":1}]}');
    expect(loadServiceTypes(store)).toBeNull();
  });

  it('labels by locale, falling back to the built-in list and then the code', () => {
    expect(serviceLabel([], 'hot_water', 'zh-CN')).toBe('热水');
    expect(serviceLabel([], 'hot_water', 'en')).toBe('Hot water');
    expect(serviceLabel([], 'nonsense', 'en')).toBe('nonsense');
  });
});
