// Which regions a dashboard user may pick: their own and everything inside it (GB/T 2260 codes
// nest by prefix, which is also how the server checks it); an admin picks from all of them.
import type { Region } from '../api/types';
import type { Locale } from '../i18n';

export interface RegionOption {
  region: Region;
  /** 0 for the scope itself, 1 for its districts or streets, … (for indenting). */
  depth: number;
}

/** Whether `code` is inside `scope` (null scope: everywhere). */
export const inScope = (code: string, scope: string | null): boolean => scope === null || code.startsWith(scope);

/** The regions of `scope` as a tree in reading order: each region followed by its children. */
export function regionOptions(regions: readonly Region[], scope: string | null): RegionOption[] {
  const children = new Map<string | null, Region[]>();
  for (const r of regions) {
    if (!inScope(r.code, scope)) continue;
    const parent = r.parent_code ?? null;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  for (const list of children.values()) list.sort((a, b) => a.code.localeCompare(b.code));
  const roots = scope === null ? (children.get(null) ?? []) : regions.filter((r) => r.code === scope);
  const out: RegionOption[] = [];
  const walk = (r: Region, depth: number) => {
    out.push({ region: r, depth });
    // Depth bound: a corrupt cycle in the table cannot loop.
    if (depth < 4) for (const c of children.get(r.code) ?? []) walk(c, depth + 1);
  };
  for (const r of roots) walk(r, 0);
  return out;
}

export const regionName = (r: Pick<Region, 'name_zh' | 'name_en'>, locale: Locale): string =>
  locale === 'en' && r.name_en ? r.name_en : r.name_zh;

/** Districts (with a centre) inside the scope, for the map's labels. */
export const districtCentres = (regions: readonly Region[], scope: string | null): Region[] =>
  regions.filter((r) => r.level === 'district' && r.lat != null && r.lng != null && (scope === null || r.code.startsWith(scope) || scope.startsWith(r.code)));
