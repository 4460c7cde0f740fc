import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { Problem } from '../api/problem';
import type { NewServiceLog, ServiceType } from '../api/serviceLogs';
import { idbLogStore, memoryLogStore, type LogEntry, type LogStore } from './logStore';
import { createServiceOutbox, entryIndex, MAX_BATCH, type BatchResult, type VoidResult } from './serviceOutbox';
import { pendingEntries } from './serviceCounters';

const problem = (status: number, code: string, errors: Problem['errors'] = []): Problem => ({ status, code, title: code, errors });
const offline = problem(0, 'network');

interface Call {
  station: string;
  body: NewServiceLog[];
  key: string;
}

/** A fake server: stores a batch once per key, answers replays, or fails as told. */
function fakeServer() {
  const calls: Call[] = [];
  const stored = new Map<string, { body: string; ids: string[] }>();
  const voids: { id: string; reason: string }[] = [];
  let next = 0;
  let fail: ((c: Call) => Problem | null) | null = null;
  /** Stores the batch but loses the answer (a dropped connection after the write). */
  let dropAnswer = false;
  let voidAnswer: VoidResult = { ok: true };
  return {
    calls,
    voids,
    stored,
    failWith(f: ((c: Call) => Problem | null) | null) {
      fail = f;
    },
    dropNextAnswer() {
      dropAnswer = true;
    },
    voidAnswers(r: VoidResult) {
      voidAnswer = r;
    },
    rows: () => [...stored.values()].flatMap((s) => s.ids),
    async send(station: string, body: NewServiceLog[], key: string): Promise<BatchResult> {
      const c = { station, body: structuredClone(body), key };
      calls.push(c);
      const p = fail?.(c);
      if (p) return { ok: false, problem: p };
      const had = stored.get(key);
      const text = JSON.stringify(body);
      if (had && had.body !== text) return { ok: false, problem: problem(409, 'idempotency_key_mismatch') };
      const s = had ?? { body: text, ids: body.map(() => `srv-${++next}`) };
      stored.set(key, s);
      if (dropAnswer) {
        dropAnswer = false;
        return { ok: false, problem: offline };
      }
      return { ok: true, ids: s.ids };
    },
    async voidLog(_station: string, id: string, reason: string): Promise<VoidResult> {
      voids.push({ id, reason });
      return voidAnswer;
    },
  };
}

function setup(store: LogStore = memoryLogStore('op1')) {
  const server = fakeServer();
  let online = true;
  let clock = 1_000_000;
  let ids = 0;
  const box = createServiceOutbox({
    owner: 'op1',
    store,
    send: server.send,
    voidLog: server.voidLog,
    isOnline: () => online,
    now: () => clock,
    newId: () => `id-${++ids}`,
  });
  return {
    box,
    server,
    store,
    setOnline: (v: boolean) => (online = v),
    advance: (ms: number) => (clock += ms),
  };
}

const tap = (type: ServiceType = 'hot_water', quantity = 1) => ({ service_type: type, quantity });
const settle = async (box: { flush(): Promise<number> }) => {
  // log() starts a flush of its own; one more waits for any that is running.
  await box.flush();
  await box.flush();
};

describe('service-log outbox', () => {
  it('keeps taps made offline and sends them in one batch, once, when back online', async () => {
    const s = setup();
    s.setOnline(false);
    for (let i = 0; i < 5; i++) await s.box.log('st1', tap());
    await settle(s.box);
    expect(s.server.calls).toHaveLength(0);
    expect(pendingEntries(s.box.entries())).toHaveLength(5);

    s.setOnline(true);
    expect(await s.box.flush()).toBe(5);
    expect(s.server.calls).toHaveLength(1);
    expect(s.server.calls[0]!.body).toHaveLength(5);
    expect(s.server.calls[0]!.body[0]).toMatchObject({ service_type: 'hot_water', quantity: 1 });
    expect(typeof s.server.calls[0]!.body[0]!.occurred_at).toBe('string');
    expect(pendingEntries(s.box.entries())).toHaveLength(0);
    expect(s.box.entries().map((e) => e.serverId)).toEqual(['srv-1', 'srv-2', 'srv-3', 'srv-4', 'srv-5']);
    expect(await s.box.flush()).toBe(0);
    expect(s.server.calls).toHaveLength(1);
  });

  it('resends a batch whose answer was lost with the same key and body: the server logs it once', async () => {
    const s = setup();
    s.setOnline(false);
    await s.box.log('st1', tap('toilet'));
    await s.box.log('st1', tap('hot_water', 3));
    s.setOnline(true);
    s.server.dropNextAnswer();
    await s.box.flush();
    expect(pendingEntries(s.box.entries())).toHaveLength(2);
    expect(s.box.sync().problem?.code).toBe('network');
    // A tap meanwhile goes in a later batch: the formed one is not changed.
    s.setOnline(false);
    await s.box.log('st1', tap('wifi'));
    s.setOnline(true);
    await s.box.flush();
    expect(s.server.calls.map((c) => c.body.length)).toEqual([2, 2, 1]);
    expect(s.server.calls[1]!.key).toBe(s.server.calls[0]!.key);
    expect(JSON.stringify(s.server.calls[1]!.body)).toBe(JSON.stringify(s.server.calls[0]!.body));
    expect(s.server.calls[2]!.key).not.toBe(s.server.calls[0]!.key);
    expect(s.server.rows()).toHaveLength(3);
    expect(s.box.sync().problem).toBeNull();
  });

  it('survives a reload mid-sync: the formed batch is read back from storage and sent with its key', async () => {
    const shared = new Map<string, LogEntry>();
    const a = setup(memoryLogStore('op1', shared));
    a.setOnline(false);
    await a.box.log('st1', tap());
    a.setOnline(true);
    a.server.dropNextAnswer();
    await a.box.flush();
    const key = a.server.calls[0]!.key;

    const b = setup(memoryLogStore('op1', shared));
    await b.box.flush();
    expect(b.server.calls.map((c) => c.key)).toEqual([key]);
    expect(pendingEntries(b.box.entries())).toHaveLength(0);
  });

  it('splits more than 200 entries into batches, and keeps stations apart', async () => {
    const s = setup();
    s.setOnline(false);
    for (let i = 0; i < MAX_BATCH + 3; i++) await s.box.log('st1', tap());
    await s.box.log('st2', tap());
    s.setOnline(true);
    expect(await s.box.flush()).toBe(MAX_BATCH + 4);
    expect(s.server.calls.map((c) => [c.station, c.body.length])).toEqual([
      ['st1', MAX_BATCH],
      ['st1', 3],
      ['st2', 1],
    ]);
  });

  it('keeps the entries a 422 names for the operator to discard and sends the rest under a new key', async () => {
    const s = setup();
    s.setOnline(false);
    await s.box.log('st1', tap());
    await s.box.log('st1', { ...tap(), rider_id: 'gone' });
    await s.box.log('st1', tap('wifi'));
    s.setOnline(true);
    s.server.failWith((c) => {
      const i = c.body.findIndex((b) => b.rider_id === 'gone');
      return i >= 0 ? problem(422, 'validation_failed', [{ field: `[${i}].rider_id`, code: 'rider_not_identified', message: 'x' }]) : null;
    });
    await s.box.flush();
    const failed = s.box.entries().filter((e) => e.failed);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.failed!.errors).toEqual([{ field: 'rider_id', code: 'rider_not_identified', message: 'x' }]);
    expect(s.server.calls).toHaveLength(2);
    expect(s.server.calls[1]!.key).not.toBe(s.server.calls[0]!.key);
    expect(s.server.calls[1]!.body.map((b) => b.service_type)).toEqual(['hot_water', 'wifi']);
    expect(pendingEntries(s.box.entries())).toHaveLength(0);

    await s.box.discard(failed[0]!.id);
    expect(s.box.entries().some((e) => e.failed)).toBe(false);
  });

  it('a refusal that names no entry (403) keeps them all as failed; a server error is retried', async () => {
    const s = setup();
    s.setOnline(false);
    await s.box.log('st1', tap());
    s.setOnline(true);
    s.server.failWith(() => problem(503, 'unavailable'));
    await s.box.flush();
    expect(pendingEntries(s.box.entries())).toHaveLength(1);
    s.server.failWith(() => problem(403, 'forbidden'));
    await s.box.flush();
    expect(s.box.entries()[0]!.failed?.code).toBe('forbidden');
    expect(pendingEntries(s.box.entries())).toHaveLength(0);
  });

  it('a key the server holds with another body is formed anew', async () => {
    const s = setup();
    s.setOnline(false);
    await s.box.log('st1', tap());
    s.setOnline(true);
    let first = true;
    s.server.failWith(() => (first ? ((first = false), problem(409, 'idempotency_key_mismatch')) : null));
    await s.box.flush();
    expect(s.server.calls).toHaveLength(2);
    expect(s.server.calls[1]!.key).not.toBe(s.server.calls[0]!.key);
    expect(pendingEntries(s.box.entries())).toHaveLength(0);
  });

  it('undo drops an unsent entry and voids a sent one (reason given), once', async () => {
    const s = setup();
    s.setOnline(false);
    const a = await s.box.log('st1', tap());
    await s.box.undo(a.id, '撤销');
    s.setOnline(true);
    await settle(s.box);
    expect(s.box.entries()).toHaveLength(0);
    expect(s.server.calls).toHaveLength(0);

    const b = await s.box.log('st1', tap('toilet'));
    await settle(s.box);
    expect(s.box.entries()[0]!.serverId).toBe('srv-1');
    await s.box.undo(b.id, 'undo');
    await settle(s.box);
    expect(s.server.voids).toEqual([{ id: 'srv-1', reason: 'undo' }]);
    expect(s.box.entries()[0]!.voidedAt).toBeDefined();
    await s.box.flush();
    expect(s.server.voids).toHaveLength(1);
  });

  it('an undo while its batch is out waits for the batch, then voids', async () => {
    const s = setup();
    s.setOnline(false);
    const a = await s.box.log('st1', tap());
    s.setOnline(true);
    s.server.dropNextAnswer();
    await s.box.flush(); // batch formed and stored, answer lost
    await s.box.undo(a.id, 'undo');
    await settle(s.box);
    expect(s.server.calls).toHaveLength(2);
    expect(s.server.rows()).toHaveLength(1);
    expect(s.server.voids).toEqual([{ id: 'srv-1', reason: 'undo' }]);
  });

  it('a void the server refuses is kept as such and not tried again', async () => {
    const s = setup();
    const a = await s.box.log('st1', tap());
    await settle(s.box);
    s.server.voidAnswers({ ok: false, problem: problem(403, 'forbidden') });
    await s.box.undo(a.id, 'undo');
    await settle(s.box);
    await s.box.flush();
    expect(s.server.voids).toHaveLength(1);
    expect(s.box.entries()[0]!.voidFailed?.code).toBe('forbidden');
  });

  it('forgets sent entries after a day and a half', async () => {
    const s = setup();
    await s.box.log('st1', tap());
    await settle(s.box);
    s.advance(37 * 60 * 60 * 1000);
    await s.box.flush();
    expect(s.box.entries()).toHaveLength(0);
  });

  it('reads field indices of a batch', () => {
    expect(entryIndex('[3].quantity')).toBe(3);
    expect(entryIndex('[12]')).toBe(12);
    expect(entryIndex('rider_id')).toBeNull();
  });
});

describe('IndexedDB store', () => {
  it('keeps each operator’s entries apart and survives a new connection', async () => {
    const factory = new IDBFactory();
    const a = idbLogStore('op1', factory);
    const other = idbLogStore('op2', factory);
    const entry = (id: string, owner: string): LogEntry => ({ id, owner, stationId: 'st1', body: { service_type: 'wifi', quantity: 1, occurred_at: '2026-01-01T00:00:00Z' }, createdAt: 1 });
    await a.update(() => ({ put: [entry('e1', 'op1'), entry('e2', 'op1')] }));
    await other.update(() => ({ put: [entry('x1', 'op2')] }));
    expect((await a.all()).map((e) => e.id).sort()).toEqual(['e1', 'e2']);
    await a.update((all) => ({ remove: [all[0]!.id], put: [{ ...all[1]!, sentAt: 5 }] }));
    const again = idbLogStore('op1', factory);
    expect(await again.all()).toMatchObject([{ id: 'e2', sentAt: 5 }]);
    expect((await other.all()).map((e) => e.id)).toEqual(['x1']);
  });

  it('drives the outbox end to end', async () => {
    const s = setup(idbLogStore('op1', new IDBFactory()));
    s.setOnline(false);
    for (let i = 0; i < 3; i++) await s.box.log('st1', tap());
    expect(pendingEntries(await s.store.all())).toHaveLength(3);
    s.setOnline(true);
    expect(await s.box.flush()).toBe(3);
    expect(s.server.calls).toHaveLength(1);
    expect(pendingEntries(await s.store.all())).toHaveLength(0);
  });
});
