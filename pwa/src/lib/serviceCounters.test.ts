import { describe, expect, it } from 'vitest';
import type { ServiceType } from '../api/serviceLogs';
import type { LogEntry } from './logStore';
import { pendingEntries, shanghaiDay, todayCounts } from './serviceCounters';

const TODAY = '2026-12-04';
// 10:00 in Shanghai on TODAY.
const AT = '2026-12-04T02:00:00Z';
let n = 0;
const entry = (patch: Partial<LogEntry> & { type?: ServiceType; q?: number; at?: string } = {}): LogEntry => {
  const { type = 'hot_water', q = 1, at = AT, ...rest } = patch;
  return { id: `e${++n}`, owner: 'op', stationId: 'st', body: { service_type: type, quantity: q, occurred_at: at }, createdAt: 0, ...rest };
};
const summary = (services: [string, number][]) => ({ date: TODAY, services: services.map(([service_type, quantity]) => ({ service_type, quantity })) });
const counts = (s: ReturnType<typeof summary> | null, at: number | null, entries: LogEntry[]) => Object.fromEntries(todayCounts(s, at, entries, 'st', TODAY));

describe('today’s counters', () => {
  it('add the entries still on their way to the server’s summary', () => {
    expect(counts(summary([['hot_water', 4], ['toilet', 1]]), 100, [entry(), entry({ q: 3 }), entry({ type: 'wifi' })])).toEqual({ hot_water: 8, toilet: 1, wifi: 1 });
  });

  it('count a sent entry once: in the summary if it arrived before the summary was asked, else locally', () => {
    const before = entry({ sentAt: 90, serverId: 's1' });
    const after = entry({ sentAt: 110, serverId: 's2' });
    expect(counts(summary([['hot_water', 5]]), 100, [before, after])).toEqual({ hot_water: 6 });
  });

  it('take an undo off at once, whether the summary counted the entry or not', () => {
    const unsentUndone = entry({ undo: { reason: 'x', at: 1 } });
    const sentUndone = entry({ sentAt: 90, serverId: 's1', undo: { reason: 'x', at: 95 } });
    expect(counts(summary([['hot_water', 5]]), 100, [unsentUndone, sentUndone])).toEqual({ hot_water: 4 });
    // Once the summary is asked after the void, it no longer counts it: nothing to take off.
    const voided = { ...sentUndone, voidedAt: 120 };
    expect(counts(summary([['hot_water', 4]]), 130, [voided])).toEqual({ hot_water: 4 });
    // A void the server refused leaves the entry counted.
    expect(counts(summary([['hot_water', 5]]), 100, [{ ...sentUndone, voidFailed: { status: 403, code: 'forbidden', title: '', errors: [] } }])).toEqual({ hot_water: 5 });
  });

  it('leave out refused entries, other stations and other days', () => {
    const refused = entry({ failed: { status: 422, code: 'validation_failed', title: '', errors: [] } });
    const yesterday = entry({ at: '2026-12-03T15:59:00Z' }); // 23:59 in Shanghai
    const justToday = entry({ at: '2026-12-03T16:00:00Z' }); // 00:00 in Shanghai
    const elsewhere = { ...entry(), stationId: 'other' };
    expect(counts(null, null, [refused, yesterday, justToday, elsewhere])).toEqual({ hot_water: 1 });
  });

  it('ignore a summary of another day and count everything this phone knows', () => {
    const old = { date: '2026-12-03', services: [{ service_type: 'hot_water', quantity: 9 }] };
    expect(Object.fromEntries(todayCounts(old, 100, [entry({ sentAt: 50 })], 'st', TODAY))).toEqual({ hot_water: 1 });
  });

  it('never show less than zero', () => {
    expect(counts(summary([]), 100, [entry({ sentAt: 90, undo: { reason: 'x', at: 95 } })])).toEqual({ hot_water: 0 });
  });

  it('pending is what has not reached the server, not refused and not taken back', () => {
    const list = [entry(), entry({ sentAt: 1 }), entry({ undo: { reason: 'x', at: 1 } }), entry({ failed: { status: 422, code: 'x', title: '', errors: [] } }), entry({ batch: { key: 'k', index: 0 } })];
    expect(pendingEntries(list)).toHaveLength(2);
  });

  it('dates by Shanghai time', () => {
    expect(shanghaiDay(Date.parse('2026-12-03T16:00:00Z'))).toBe('2026-12-04');
    expect(shanghaiDay(Date.parse('2026-12-03T15:59:59Z'))).toBe('2026-12-03');
  });
});
