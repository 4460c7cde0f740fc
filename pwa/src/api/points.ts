// Points calls (积分): balance and history, rewards, redemption codes, star riders. Typed by
// the generated schema; every call returns ok/problem (see call()).
import { api, call, type Result } from './client';
import { networkProblem, toProblem, type Problem } from './problem';
import type { components } from './schema';

type Schemas = components['schemas'];
export type PointsReason = 'lesson' | 'check_in' | 'hazard_report' | 'redemption';
export type PointsEntry = Schemas['PointsEntry'];
export type PointsPage = Schemas['PointsPage'];
export type Reward = Schemas['RewardDto'];
export type RewardList = Schemas['RewardList'];
export type RedemptionCode = Schemas['RedemptionCodeDto'];
export type Redemption = Schemas['RedemptionDto'];
export type StarRiderSetting = Schemas['StarRiderSetting'];
export type StarRiderList = Schemas['StarRiderList'];

export const fetchPoints = (page: number, perPage: number): Promise<Result<PointsPage>> =>
  call(api.GET('/api/v1/me/points', { params: { query: { page, per_page: perPage } }, cache: 'no-store' }));

export const fetchRewards = (stationId?: string | null): Promise<Result<RewardList>> =>
  call(api.GET('/api/v1/rewards', { params: { query: stationId ? { station_id: stationId } : {} }, cache: 'no-store' }));

export const createRedemptionCode = (): Promise<Result<RedemptionCode>> => call(api.POST('/api/v1/me/redemption-codes'));

export const fetchStarSetting = (): Promise<Result<StarRiderSetting>> =>
  call(api.GET('/api/v1/me/star-rider', { cache: 'no-store' }));

export const putStarSetting = (optIn: boolean): Promise<Result<StarRiderSetting>> =>
  call(api.PUT('/api/v1/me/star-rider', { body: { opt_in: optIn } }));

export const fetchStarRiders = (district: string, month: string | null): Promise<Result<StarRiderList>> =>
  call(api.GET('/api/v1/star-riders', { params: { query: { district, ...(month ? { month } : {}) } }, cache: 'no-store' }));

/** A refused redemption also says the rider's balance (insufficient_points). */
export type RedeemResult = { ok: true; data: Redemption } | { ok: false; problem: Problem; balance: number | null };

export async function redeem(stationId: string, code: string, rewardId: string): Promise<RedeemResult> {
  try {
    const r = await api.POST('/api/v1/stations/{id}/redemptions', {
      params: { path: { id: stationId } },
      body: { code, reward_id: rewardId },
    });
    if (r.response.ok && r.data) return { ok: true, data: r.data };
    const body: unknown = r.error;
    const balance = body && typeof body === 'object' ? (body as Record<string, unknown>).balance : undefined;
    return { ok: false, problem: toProblem(body, r.response), balance: typeof balance === 'number' ? balance : null };
  } catch {
    return { ok: false, problem: networkProblem(), balance: null };
  }
}
