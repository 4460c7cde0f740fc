// The services an operator logs, in the console's order. The server's list (GET
// /service-types) is kept for offline use; this built-in copy is the first-start fallback.
import type { ServiceType, ServiceTypeDto } from '../api/serviceLogs';
import { readJson, writeJson, type Cached, type KeyValueStore } from './storage';

type T = ServiceTypeDto;
const t = (code: ServiceType, label_zh: string, label_en: string, icon: string, amenity: boolean): T => ({ code, label_zh, label_en, icon, amenity });

export const FALLBACK_SERVICE_TYPES: readonly T[] = [
  t('hot_water', '热水', 'Hot water', 'water', false),
  t('phone_charging', '手机充电', 'Phone charging', 'charge', true),
  t('drinking_water', '饮用水', 'Drinking water', 'water', true),
  t('meal_heating', '热饭', 'Meal heating', 'microwave', false),
  t('microwave', '微波炉', 'Microwave', 'microwave', true),
  t('toilet', '如厕', 'Toilet', 'toilet', true),
  t('rest_area', '休息', 'Rest', 'rest', true),
  t('cooling_rest', '纳凉休息', 'Cooling rest', 'snow', false),
  t('air_conditioning', '空调', 'Air conditioning', 'snow', true),
  t('heating', '取暖', 'Heating', 'fire', true),
  t('battery_swap', '换电', 'Battery swap', 'battery', true),
  t('repair', '车辆维修', 'Repair', 'wrench', false),
  t('repair_tools', '借用工具', 'Repair tools', 'wrench', true),
  t('first_aid', '急救用品', 'First-aid kit', 'firstaid', true),
  t('first_aid_given', '急救处置', 'First aid given', 'firstaid', false),
  t('medicine', '常用药品', 'Medicine', 'pill', true),
  t('umbrella', '借伞', 'Umbrella', 'umbrella', true),
  t('wifi', '无线网络', 'Wi-Fi', 'wifi', true),
  t('shower', '淋浴', 'Shower', 'shower', true),
  t('legal_aid', '法律援助', 'Legal aid', 'law', true),
  t('legal_consult', '法律咨询', 'Legal consultation', 'law', false),
  t('counselling', '心理疏导', 'Counselling', 'heart', true),
  t('counselling_session', '心理咨询', 'Counselling session', 'heart', false),
  t('library', '阅读', 'Library', 'book', true),
  t('other', '其他', 'Other', 'dots', false),
];

const SERVICE_TYPES_KEY = 'warmnew.service-types';

export const serviceLabel = (types: readonly T[], code: string, locale: string): string => {
  const found = types.find((x) => x.code === code) ?? FALLBACK_SERVICE_TYPES.find((x) => x.code === code);
  if (!found) return code;
  return locale === 'en' ? found.label_en : found.label_zh;
};

/** The kept server list, or null (a damaged or empty copy is as good as none). */
export function loadServiceTypes(store: KeyValueStore): Cached<T[]> | null {
  const v = readJson<Cached<T[]>>(store, SERVICE_TYPES_KEY);
  if (!v || !Array.isArray(v.data) || v.data.length === 0) return null;
  const ok = v.data.every((x) => x && typeof x.code === 'string' && typeof x.label_zh === 'string' && typeof x.label_en === 'string');
  return ok ? v : null;
}

export const saveServiceTypes = (store: KeyValueStore, items: T[], now = Date.now()): boolean =>
  writeJson(store, SERVICE_TYPES_KEY, { savedAt: now, data: items } satisfies Cached<T[]>);
