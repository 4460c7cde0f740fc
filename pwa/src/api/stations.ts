// Station calls, typed by the generated schema. Every call returns ok/problem (see call()).
import { api, call, type Result } from './client';
import type { CheckIn, CheckinCode, NearbyList, PublicConfig, StationDetail, StationPatch } from './types';

/** A dead connection (a basement, a hung proxy) answers nothing: the list and a station give
 * up sooner than the client's 8 s for every request (api/timeout.ts), well inside the 10 s a
 * rider waits, and show the kept copy or the offline state instead. */
export const NEARBY_TIMEOUT_MS = 7000;

const timeout = (ms: number): AbortSignal | undefined =>
  typeof AbortSignal !== 'undefined' && 'timeout' in AbortSignal ? AbortSignal.timeout(ms) : undefined;

export interface NearbyRequest {
  lat: number;
  lng: number;
  radiusM: number;
  limit: number;
  amenities: string[];
  openNow: boolean;
}

export function fetchNearby(q: NearbyRequest): Promise<Result<NearbyList>> {
  return call(
    api.GET('/api/v1/stations/nearby', {
      params: {
        query: {
          lat: Number(q.lat.toFixed(6)),
          lng: Number(q.lng.toFixed(6)),
          radius_m: q.radiusM,
          limit: q.limit,
          coord: 'wgs84',
          ...(q.amenities.length ? { amenities: q.amenities.join(',') } : {}),
          ...(q.openNow ? { open_now: true } : {}),
        },
      },
      // The list must be fresh: never from the HTTP cache.
      cache: 'no-store',
      signal: timeout(NEARBY_TIMEOUT_MS),
    }),
  );
}

export const fetchStation = (id: string): Promise<Result<StationDetail>> =>
  call(api.GET('/api/v1/stations/{id}', { params: { path: { id } }, cache: 'no-store', signal: timeout(NEARBY_TIMEOUT_MS) }));

export const patchStation = (id: string, body: StationPatch): Promise<Result<StationDetail>> =>
  call(api.PATCH('/api/v1/stations/{id}', { params: { path: { id } }, body }));

export const fetchCheckinCode = (id: string): Promise<Result<CheckinCode>> =>
  call(api.GET('/api/v1/stations/{id}/checkin-code', { params: { path: { id } }, cache: 'no-store' }));

export const rotateCheckinCode = (id: string): Promise<Result<CheckinCode>> =>
  call(api.POST('/api/v1/stations/{id}/checkin-code/rotate', { params: { path: { id } } }));

/** A check-in that times out (the client's 8 s) is kept in the check-in outbox and sent again
 * (a replay is harmless). */
export const checkIn = (id: string, code: string): Promise<Result<CheckIn>> =>
  call(api.POST('/api/v1/stations/{id}/check-ins', { params: { path: { id } }, body: { code } }));

let configOnce: Promise<Result<PublicConfig>> | null = null;

/** GET /config, asked once per page load (a failure is asked again next time). */
export function fetchConfig(): Promise<Result<PublicConfig>> {
  configOnce ??= call(api.GET('/api/v1/config')).then((r) => {
    if (!r.ok) configOnce = null;
    return r;
  });
  return configOnce;
}
