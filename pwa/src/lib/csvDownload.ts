// CSV downloads of the dashboard: the server's file (UTF-8 with a BOM, so Excel reads Chinese)
// fetched with the bearer token — a plain link could not carry it — and saved byte for byte
// under a name that says what it holds: warmnew-stations-310106-2026-11-05_2026-12-04.csv.
import type { Result } from '../api/client';
import type { Problem } from '../api/problem';
import { saveBlob, type SaveEnv } from './download';

/** `stations` from `attachment; filename="stations.csv"`, else `fallback`. */
export function dispositionBase(disposition: string | null, fallback: string): string {
  const m = disposition?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  const raw = m?.[1] ? decodeURIComponent(m[1]) : fallback;
  const base = raw.replace(/\.csv$/i, '').replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '');
  return base || fallback;
}

export function csvFileName(base: string, p: { from: string; to: string; region?: string }): string {
  const where = p.region ? `-${p.region}` : '';
  return `warmnew-${base}${where}-${p.from}_${p.to}.csv`;
}

/** Fetches and saves; resolves with the problem when there is no file to save. */
export async function downloadCsv(
  fetchFile: () => Promise<Result<{ blob: Blob; disposition: string | null }>>,
  fallbackBase: string,
  period: { from: string; to: string; region?: string },
  env?: SaveEnv,
): Promise<Problem | null> {
  const r = await fetchFile();
  if (!r.ok) return r.problem;
  const name = csvFileName(dispositionBase(r.data.disposition, fallbackBase), period);
  saveBlob(r.data.blob, name, env);
  return null;
}
