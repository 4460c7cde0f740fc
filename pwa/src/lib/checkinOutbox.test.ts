import { describe, expect, it } from 'vitest';
import type { Problem } from '../api/problem';
import { checkinStorageKey, createCheckinOutbox, DONE_SHOWN_MS, enqueueCheckIn, shownCheckIns, viewOf, type CheckInAnswer } from './checkinOutbox';
import { memoryStore } from './storage';

const problem = (status: number, code: string): Problem => ({ status, code, title: code, errors: [] });

/** The server's check-in rules: the station's current code; a repeat is a replay; 5 points once. */
function fakeServer() {
  const codes = new Map([['s1', 'ABC123'], ['s2', 'XYZ789']]);
  const visits: { station: string; id: string }[] = [];
  const paid = new Set<string>();
  let mode: 'up' | 'down' = 'up';
  let calls = 0;
  return {
    visits,
    get calls() {
      return calls;
    },
    codes,
    set: (m: typeof mode) => void (mode = m),
    async send(stationId: string, code: string): Promise<{ ok: true; data: CheckInAnswer } | { ok: false; problem: Problem }> {
      calls++;
      if (mode === 'down') return { ok: false, problem: problem(0, 'network') };
      if (codes.get(stationId) !== code) return { ok: false, problem: problem(422, 'invalid_checkin_code') };
      const prev = visits.find((v) => v.station === stationId);
      if (prev) return { ok: true, data: { id: prev.id, replay: true, points_awarded: 0, created_at: '2026-03-05T01:00:00Z' } };
      const id = `v${visits.length + 1}`;
      visits.push({ station: stationId, id });
      const points = paid.has(stationId) ? 0 : 5;
      paid.add(stationId);
      return { ok: true, data: { id, replay: false, points_awarded: points, created_at: '2026-03-05T01:00:00Z' } };
    },
  };
}

function setup(opts: { online?: boolean; user?: string | null } = {}) {
  const store = memoryStore();
  const server = fakeServer();
  const net = { online: opts.online ?? true, user: opts.user === undefined ? 'rider-1' : opts.user };
  const make = () =>
    createCheckinOutbox({
      store,
      userId: 'rider-1',
      send: (s, c) => server.send(s, c),
      currentUser: () => net.user,
      isOnline: () => net.online,
      now: () => 1_000_000,
    });
  return { store, server, net, box: make(), make };
}

describe('the check-in outbox', () => {
  it('sends at once when online and keeps the points earned', async () => {
    const { box, server } = setup();
    const key = enqueueCheckIn(box, { stationId: 's1', code: 'ABC123', stationName: '静安寺街道暖新驿站' });
    await box.flush();
    expect(server.visits).toHaveLength(1);
    const item = box.items().find((x) => x.key === key)!;
    expect(viewOf(item)).toEqual({ kind: 'done', points: 5, createdAt: '2026-03-05T01:00:00Z' });
  });

  it('queues offline, keeps the entry across a reload, and sends it exactly once on reconnect', async () => {
    const { box, server, net, make, store } = setup({ online: false });
    const key = enqueueCheckIn(box, { stationId: 's1', code: 'ABC123' });
    // Tapping again while it waits does not make a second entry.
    expect(enqueueCheckIn(box, { stationId: 's1', code: 'ABC123' })).toBe(key);
    await box.flush();
    expect(server.calls).toBe(0);
    expect(viewOf(box.items()[0]!)).toEqual({ kind: 'queued' });
    expect(store.getItem(checkinStorageKey('rider-1'))).toContain('ABC123');

    // The app was closed; opened again with the signal back.
    net.online = true;
    const again = make();
    await Promise.all([again.flush(), again.flush()]);
    expect(server.calls).toBe(1);
    expect(server.visits).toHaveLength(1);
    expect(viewOf(again.items()[0]!)).toMatchObject({ kind: 'done', points: 5 });
    await again.flush();
    expect(server.calls).toBe(1);
  });

  it('a dropped answer resent is a replay that pays nothing more', async () => {
    const { box, server } = setup();
    server.set('up');
    // First attempt reaches the server but the answer is lost: the server has the visit.
    await server.send('s1', 'ABC123');
    enqueueCheckIn(box, { stationId: 's1', code: 'ABC123' });
    await box.flush();
    expect(server.visits).toHaveLength(1);
    expect(viewOf(box.items()[0]!)).toMatchObject({ kind: 'done', points: 0 });
  });

  it('a code changed before the signal came back fails clearly, and is not retried', async () => {
    const { box, server, net } = setup({ online: false });
    enqueueCheckIn(box, { stationId: 's1', code: 'ABC123' });
    server.codes.set('s1', 'NEW456'); // the operator rotated the QR meanwhile
    net.online = true;
    await box.flush();
    const v = viewOf(box.items()[0]!);
    expect(v.kind).toBe('failed');
    expect(v.kind === 'failed' && v.problem?.code).toBe('invalid_checkin_code');
    await box.flush();
    expect(server.calls).toBe(1);
  });

  it('a network failure keeps it queued for the next try', async () => {
    const { box, server } = setup();
    server.set('down');
    enqueueCheckIn(box, { stationId: 's2', code: 'XYZ789' });
    await box.flush();
    expect(viewOf(box.items()[0]!)).toEqual({ kind: 'queued' });
    server.set('up');
    await box.flush();
    expect(viewOf(box.items()[0]!)).toMatchObject({ kind: 'done', points: 5 });
  });

  it('another account signed in on the phone: the queue waits for its owner', async () => {
    const { box, server, net } = setup({ user: 'rider-2' });
    enqueueCheckIn(box, { stationId: 's1', code: 'ABC123' });
    await box.flush();
    expect(server.calls).toBe(0);
    expect(viewOf(box.items()[0]!)).toEqual({ kind: 'queued' });
    net.user = 'rider-1';
    await box.flush();
    expect(server.visits).toHaveLength(1);
  });

  it('shows the newest first, for one station when asked', async () => {
    const { box } = setup({ online: false });
    box.add('a', { stationId: 's1', code: 'ABC123' });
    box.add('b', { stationId: 's2', code: 'XYZ789' });
    expect(shownCheckIns(box.items(), 1_000_000).map((x) => x.key).sort()).toEqual(['a', 'b']);
    expect(shownCheckIns(box.items(), 1_000_000, 's2').map((x) => x.key)).toEqual(['b']);
  });

  it('keeps a sent one in view briefly at the top of the list, all day at its station', async () => {
    const { box } = setup();
    enqueueCheckIn(box, { stationId: 's1', code: 'ABC123' });
    await box.flush(); // sent at 1 000 000
    const later = 1_000_000 + 11 * 60_000;
    expect(shownCheckIns(box.items(), later, undefined, DONE_SHOWN_MS.list)).toEqual([]);
    expect(shownCheckIns(box.items(), later, 's1')).toHaveLength(1);
    expect(shownCheckIns(box.items(), 1_000_000 + 13 * 3600_000, 's1')).toEqual([]);
  });
});
