// Help-request calls (诉求). Every call returns ok/problem (see call()).
import { api, call, type Result } from './client';
import type { components, paths } from './schema';

type Schemas = components['schemas'];

export type HelpRequestSummary = Schemas['HelpRequestSummary'];
export type HelpRequestDetail = Schemas['HelpRequestDetail'];
export type HelpRequestPage = Schemas['HelpRequestPage'];
export type HelpEvent = Schemas['HelpEvent'];
export type HelpPlace = Schemas['HelpPlace'];
export type NewHelpRequest = Schemas['NewHelpRequest'];
export type Transition = Schemas['TransitionRequest'];
export type Feedback = Schemas['FeedbackRequest'];
/** The `data:` of an `event: help_request` frame. */
export type HelpLiveEvent = Schemas['HelpLiveEvent'];
export type HelpListQuery = NonNullable<paths['/api/v1/help-requests']['get']['parameters']['query']>;

/** Files a request; `replayed` when the server answered with an earlier success for this key. */
export async function createHelpRequest(body: NewHelpRequest, key: string): Promise<Result<HelpRequestDetail> & { replayed?: boolean }> {
  const r = await call(api.POST('/api/v1/help-requests', { body, params: { header: { 'Idempotency-Key': key } } }));
  if (!r.ok) return r;
  return { ...r, replayed: r.response.headers.get('Idempotent-Replayed') === 'true' };
}

export const listHelpRequests = (query: HelpListQuery): Promise<Result<HelpRequestPage>> =>
  call(api.GET('/api/v1/help-requests', { params: { query }, cache: 'no-store' }));

export const fetchHelpRequest = (id: string): Promise<Result<HelpRequestDetail>> =>
  call(api.GET('/api/v1/help-requests/{id}', { params: { path: { id } }, cache: 'no-store' }));

export const transitionHelpRequest = (id: string, body: Transition): Promise<Result<HelpRequestDetail>> =>
  call(api.POST('/api/v1/help-requests/{id}/transitions', { params: { path: { id } }, body }));

export const sendFeedback = (id: string, body: Feedback): Promise<Result<HelpRequestDetail>> =>
  call(api.POST('/api/v1/help-requests/{id}/feedback', { params: { path: { id } }, body }));

/** Opens the live event stream (the bearer token and its refresh come with the API client). */
export async function openHelpEvents(signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
  const r = await api.GET('/api/v1/events', { parseAs: 'stream', signal, headers: { Accept: 'text/event-stream' }, cache: 'no-store' });
  if (!r.response.ok || !r.data) throw new Error(`events: ${r.response.status}`);
  return r.data;
}
