// The city dashboard's calls (数据看板, staff and admin). Every call returns ok/problem (see
// call()); CSV downloads come back as a Blob with the server's file name.
import { api, call, type Result } from './client';
import { networkProblem, toProblem } from './problem';
import type { components } from './schema';

type Schemas = components['schemas'];

export type Overview = Schemas['Overview'];
export type Trend = Schemas['Trend'];
export type RateTrend = Schemas['RateTrend'];
export type Timeseries = Schemas['Timeseries'];
export type StationStats = Schemas['StationStats'];
export type StationStatsPage = Schemas['StationStatsPage'];
export type HelpGroup = Schemas['HelpGroup'];
export type HelpStats = Schemas['HelpStats'];
export type LessonStats = Schemas['LessonStats'];
export type LessonStatsList = Schemas['LessonStatsList'];
export type StationCollection = Schemas['StationCollection'];

export const METRICS = ['check_ins', 'services', 'unique_riders', 'help_opened', 'help_resolved', 'lesson_completions'] as const;
export type Metric = (typeof METRICS)[number];
export type Interval = 'day' | 'week' | 'hour';
/** The columns the server sorts the station table by. */
export const STATION_SORTS = ['name', 'check_ins', 'services', 'peak_occupancy', 'help_handled', 'last_verified_at'] as const;
export type StationSort = (typeof STATION_SORTS)[number];
export type SortOrder = 'asc' | 'desc';

/** The question every panel asks: whole Shanghai days, inclusive, and an area (none: the
 * caller's own region, or everything for an admin). */
export interface Period {
  from: string;
  to: string;
  region?: string;
}

/** The tabular routes also answer CSV (`format=csv`, see csvDownload); these calls never ask
 * for it, so their answer is the JSON shape. */
const jsonOnly = <T,>(r: Promise<Result<T | string>>): Promise<Result<T>> => r as Promise<Result<T>>;

const query = (p: Period) => ({ from: p.from, to: p.to, ...(p.region ? { region: p.region } : {}) });

export const fetchOverview = (p: Period): Promise<Result<Overview>> =>
  jsonOnly(call(api.GET('/api/v1/analytics/overview', { params: { query: query(p) }, cache: 'no-store' })));

export const fetchTimeseries = (p: Period, metric: Metric, interval: Interval): Promise<Result<Timeseries>> =>
  jsonOnly(call(api.GET('/api/v1/analytics/timeseries', { params: { query: { ...query(p), metric, interval } }, cache: 'no-store' })));

export interface StationQuery {
  sort: StationSort;
  order: SortOrder;
  page: number;
  perPage: number;
}

const stationQuery = (p: Period, s: StationQuery) => ({ ...query(p), sort: s.sort, order: s.order, page: s.page, per_page: s.perPage });

export const fetchStationStats = (p: Period, s: StationQuery): Promise<Result<StationStatsPage>> =>
  jsonOnly(call(api.GET('/api/v1/analytics/stations', { params: { query: stationQuery(p, s) }, cache: 'no-store' })));

export const fetchHelpStats = (p: Period): Promise<Result<HelpStats>> =>
  jsonOnly(call(api.GET('/api/v1/analytics/help-requests', { params: { query: query(p) }, cache: 'no-store' })));

export const fetchLessonStats = (p: Period): Promise<Result<LessonStatsList>> =>
  jsonOnly(call(api.GET('/api/v1/analytics/lessons', { params: { query: query(p) }, cache: 'no-store' })));

// ---- Coverage: GeoJSON that the spec leaves untyped ----

export interface CellProperties {
  kind: 'cell';
  cell: string;
  /** Distinct riders; null when fewer than 5 (suppressed). */
  demand: number | null;
  /** Minutes to the nearest serving station; null when none is within 20 km. */
  minutes: number | null;
  within_limit: boolean;
  blank_spot: boolean;
}

export interface SiteProperties {
  kind: 'suggested_site';
  rank: number;
  covers_demand: number;
  covers_cells: number;
}

export type CellFeature = { type: 'Feature'; geometry: { type: 'Polygon'; coordinates: number[][][] }; properties: CellProperties };
export type SiteFeature = { type: 'Feature'; geometry: { type: 'Point'; coordinates: [number, number] }; properties: SiteProperties };

export interface CoverageMetadata {
  minutes: number;
  speed_kmh: number;
  detour_factor: number;
  h3_resolution: number;
  suppressed_below: number;
  method: string;
  cells: number;
  blank_spots: number;
  blank_spot_demand: number;
}

export interface Coverage {
  type: 'FeatureCollection';
  features: (CellFeature | SiteFeature)[];
  metadata: CoverageMetadata;
}

export const isCell = (f: CellFeature | SiteFeature): f is CellFeature => f.properties.kind === 'cell';
export const isSite = (f: CellFeature | SiteFeature): f is SiteFeature => f.properties.kind === 'suggested_site';

export async function fetchCoverage(p: Period, minutes: number, suggestions = 5): Promise<Result<Coverage>> {
  const r = await call(
    api.GET('/api/v1/analytics/coverage', {
      params: { query: { ...query(p), minutes, suggestions } },
      headers: { Accept: 'application/geo+json, application/json' },
      cache: 'no-store',
    }),
  );
  return r.ok ? { ...r, data: r.data as unknown as Coverage } : r;
}

/** Stations of the area for the map (public data). */
export const fetchStationPoints = (region: string | undefined): Promise<Result<StationCollection>> =>
  call(
    api.GET('/api/v1/stations.geojson', {
      params: { query: region ? { region } : {} },
      headers: { Accept: 'application/geo+json, application/json' },
    }),
  );

// ---- CSV ----

export type CsvTable = 'overview' | 'stations' | 'help' | 'lessons' | 'timeseries';

const CSV_PATH = {
  overview: '/api/v1/analytics/overview',
  stations: '/api/v1/analytics/stations',
  help: '/api/v1/analytics/help-requests',
  lessons: '/api/v1/analytics/lessons',
  timeseries: '/api/v1/analytics/timeseries',
} as const satisfies Record<CsvTable, string>;

export interface CsvFile {
  blob: Blob;
  /** Content-Disposition as sent, for the file name. */
  disposition: string | null;
}

/** A table as CSV (UTF-8 with a BOM), fetched with the bearer token. */
export async function fetchCsv(table: CsvTable, p: Period, extra: Record<string, string> = {}): Promise<Result<CsvFile>> {
  try {
    // One path type for the call: every CSV path takes the same query words.
    const path = CSV_PATH[table] as '/api/v1/analytics/lessons';
    const r = await api.GET(path, {
      params: { query: { ...query(p), ...extra, format: 'csv' } },
      parseAs: 'blob',
      headers: { Accept: 'text/csv' },
      cache: 'no-store',
    });
    if (r.response.ok && r.data instanceof Blob) {
      return { ok: true, data: { blob: r.data, disposition: r.response.headers.get('Content-Disposition') }, response: r.response };
    }
    return { ok: false, problem: toProblem(r.error, r.response) };
  } catch {
    return { ok: false, problem: networkProblem() };
  }
}
