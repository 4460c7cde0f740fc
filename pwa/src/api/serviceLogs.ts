// Service-log calls (服务登记): the service types, logging (one entry or a batch, with an
// Idempotency-Key), voiding, the day summary, identifying a rider by their code, the services a
// rider received, and the printable poster. Every call returns ok/problem (see call()).
import { api, call, type Result } from './client';
import { networkProblem, toProblem, type Problem } from './problem';
import type { components } from './schema';

type Schemas = components['schemas'];

export type ServiceType = Schemas['ServiceType'];
export type ServiceTypeDto = Schemas['ServiceTypeDto'];
export type ServiceTypeList = Schemas['ServiceTypeList'];
export type NewServiceLog = Schemas['NewServiceLog'];
export type ServiceLogDto = Schemas['ServiceLogDto'];
export type ServiceLogBatch = Schemas['ServiceLogBatch'];
export type DaySummary = Schemas['DaySummary'];
export type IdentifiedRider = Schemas['IdentifiedRider'];
export type ReceivedService = Schemas['ReceivedService'];
export type ReceivedServicePage = Schemas['ReceivedServicePage'];

export const fetchServiceTypes = (): Promise<Result<ServiceTypeList>> => call(api.GET('/api/v1/service-types'));

/** Logs a batch. A repeat of the same key and body gets the first answer again (201). */
export const postServiceLogs = (stationId: string, entries: NewServiceLog[], key: string): Promise<Result<ServiceLogBatch>> =>
  call(api.POST('/api/v1/stations/{id}/service-logs', { params: { path: { id: stationId }, header: { 'Idempotency-Key': key } }, body: entries }));

export const voidServiceLog = (stationId: string, logId: string, reason: string): Promise<Result<ServiceLogDto>> =>
  call(api.POST('/api/v1/stations/{id}/service-logs/{log_id}/void', { params: { path: { id: stationId, log_id: logId } }, body: { reason } }));

export const fetchDaySummary = (stationId: string, date: string): Promise<Result<DaySummary>> =>
  call(api.GET('/api/v1/stations/{id}/summary', { params: { path: { id: stationId }, query: { date } }, cache: 'no-store' }));

export const identifyRider = (stationId: string, code: string): Promise<Result<IdentifiedRider>> =>
  call(api.POST('/api/v1/stations/{id}/rider-identifications', { params: { path: { id: stationId } }, body: { code } }));

export const fetchMyServices = (page: number, perPage: number): Promise<Result<ReceivedServicePage>> =>
  call(api.GET('/api/v1/me/services', { params: { query: { page, per_page: perPage } }, cache: 'no-store' }));

/** The printable A4 poster (HTML) of the station, fetched with the operator's token. */
export async function fetchPoster(stationId: string): Promise<{ ok: true; html: string } | { ok: false; problem: Problem }> {
  try {
    const r = await api.GET('/api/v1/stations/{id}/poster', { params: { path: { id: stationId } }, parseAs: 'text', headers: { Accept: 'text/html' }, cache: 'no-store' });
    if (r.response.ok && typeof r.data === 'string') return { ok: true, html: r.data };
    let body: unknown = r.error;
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        /* not JSON */
      }
    }
    return { ok: false, problem: toProblem(body, r.response) };
  } catch {
    return { ok: false, problem: networkProblem() };
  }
}
