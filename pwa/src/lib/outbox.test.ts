import { describe, expect, it } from 'vitest';
import type { Problem } from '../api/problem';
import { createOutbox, isRetryable, SENT_KEEP_MS, startOutboxSync, type OutboxItem, type SendResult } from './outbox';
import { memoryStore } from './storage';

const KEY = 'test.outbox';
const problem = (status: number, code: string): Problem => ({ status, code, title: code, errors: [] });

/** A fake server: remembers which keys it has seen, like Idempotency-Key handling does. */
function fakeServer() {
  const created = new Map<string, string>();
  const calls: string[] = [];
  let mode: 'up' | 'down' | 'refuse' | 'busy' = 'up';
  return {
    calls,
    created,
    set: (m: typeof mode) => void (mode = m),
    async send(item: OutboxItem<{ text: string }>): Promise<SendResult> {
      calls.push(item.key);
      if (mode === 'down') return { ok: false, problem: problem(0, 'network') };
      if (mode === 'busy') return { ok: false, problem: problem(503, 'unavailable') };
      if (mode === 'refuse') return { ok: false, problem: problem(422, 'validation_failed') };
      const seen = created.get(item.key);
      if (seen) return { ok: true, id: seen, replayed: true };
      const id = `hr-${created.size + 1}`;
      created.set(item.key, id);
      return { ok: true, id, replayed: false };
    },
  };
}

function setup(opts: { online?: boolean; now?: number; store?: ReturnType<typeof memoryStore> } = {}) {
  const store = opts.store ?? memoryStore();
  const server = fakeServer();
  const net = { online: opts.online ?? true };
  let clock = opts.now ?? 1_000_000;
  const outbox = createOutbox<{ text: string }>({
    store,
    storageKey: KEY,
    send: (i) => server.send(i),
    isOnline: () => net.online,
    now: () => clock,
  });
  return { store, server, net, outbox, tick: (ms: number) => (clock += ms) };
}

const states = (o: { items(): OutboxItem<unknown>[] }) => o.items().map((x) => `${x.key}:${x.state}`);

describe('outbox', () => {
  it('queues while offline, keeps the entry in storage, and sends it once online', async () => {
    const { outbox, net, server, store } = setup({ online: false });
    expect(outbox.add('k1', { text: 'a' })).toBe(true);
    await outbox.flush();
    expect(states(outbox)).toEqual(['k1:queued']);
    expect(server.calls).toEqual([]);
    expect(JSON.parse(store.getItem(KEY)!)[0]).toMatchObject({ key: 'k1', body: { text: 'a' }, state: 'queued' });

    net.online = true;
    await outbox.flush();
    expect(states(outbox)).toEqual(['k1:sent']);
    expect(outbox.items()[0]).toMatchObject({ resultId: 'hr-1', replayed: false, attempts: 1 });
    expect(server.created.size).toBe(1);
  });

  it('dedupes by key: adding the same key twice (a double tap) sends once', async () => {
    const { outbox, server } = setup();
    expect(outbox.add('k1', { text: 'a' })).toBe(true);
    expect(outbox.add('k1', { text: 'a' })).toBe(false);
    await Promise.all([outbox.flush(), outbox.flush()]);
    expect(server.calls).toEqual(['k1']);
    expect(outbox.items()).toHaveLength(1);
  });

  it('concurrent flushes share one run and pick up entries added meanwhile', async () => {
    const { outbox, server } = setup();
    outbox.add('k1', { text: 'a' });
    const first = outbox.flush();
    outbox.add('k2', { text: 'b' });
    const second = outbox.flush();
    await Promise.all([first, second]);
    expect(server.calls).toEqual(['k1', 'k2']);
    expect(states(outbox)).toEqual(['k1:sent', 'k2:sent']);
  });

  it('a network failure leaves the entry queued (with the reason) and stops the run', async () => {
    const { outbox, server } = setup();
    server.set('down');
    outbox.add('k1', { text: 'a' });
    outbox.add('k2', { text: 'b' });
    await outbox.flush();
    expect(states(outbox)).toEqual(['k1:queued', 'k2:queued']);
    expect(outbox.items()[0]!.problem?.code).toBe('network');
    expect(server.calls).toEqual(['k1']);
    server.set('busy');
    await outbox.flush();
    expect(states(outbox)).toEqual(['k1:queued', 'k2:queued']);
    server.set('up');
    await outbox.flush();
    expect(states(outbox)).toEqual(['k1:sent', 'k2:sent']);
    expect(outbox.items()[0]!.problem).toBeUndefined();
  });

  it('a refusal marks the entry failed and goes on; retry sends it again', async () => {
    const { outbox, server } = setup();
    server.set('refuse');
    outbox.add('k1', { text: 'a' });
    await outbox.flush();
    expect(states(outbox)).toEqual(['k1:failed']);
    expect(outbox.items()[0]!.problem?.code).toBe('validation_failed');
    // flush alone does not resend what the server refused
    server.set('up');
    await outbox.flush();
    expect(server.calls).toEqual(['k1']);
    await outbox.retry('k1');
    expect(states(outbox)).toEqual(['k1:sent']);
    expect(outbox.items()[0]!.attempts).toBe(2);
  });

  it('a replayed answer counts as delivered (the first answer was lost on the way back)', async () => {
    const { outbox, server } = setup();
    server.created.set('k1', 'hr-9'); // the server already has it
    outbox.add('k1', { text: 'a' });
    await outbox.flush();
    expect(outbox.items()[0]).toMatchObject({ state: 'sent', resultId: 'hr-9', replayed: true });
    expect(server.created.size).toBe(1);
  });

  it('a send that throws is treated as a network failure', async () => {
    const store = memoryStore();
    const outbox = createOutbox<{ text: string }>({
      store,
      storageKey: KEY,
      send: () => Promise.reject(new Error('boom')),
      isOnline: () => true,
    });
    outbox.add('k1', { text: 'a' });
    await outbox.flush();
    expect(outbox.items()[0]).toMatchObject({ state: 'queued', problem: { code: 'network' } });
  });

  it('after a restart: an entry caught mid-send is queued again; old sent entries are dropped; damage is ignored', () => {
    const now = 50 * SENT_KEEP_MS;
    const store = memoryStore({
      [KEY]: JSON.stringify([
        { key: 'a', body: {}, state: 'sending', createdAt: now, attempts: 1 },
        { key: 'b', body: {}, state: 'sent', createdAt: 0, attempts: 1, sentAt: now - SENT_KEEP_MS - 1 },
        { key: 'c', body: {}, state: 'sent', createdAt: 0, attempts: 1, sentAt: now - 1000 },
        { nonsense: true },
      ]),
    });
    const { outbox } = setup({ store, now });
    expect(states(outbox)).toEqual(['a:queued', 'c:sent']);
    expect(setup({ store: memoryStore({ [KEY]: '{not json' }) }).outbox.items()).toEqual([]);
  });

  it('remove forgets an entry and listeners hear every change', async () => {
    const { outbox } = setup();
    let heard = 0;
    const stop = outbox.subscribe(() => heard++);
    outbox.add('k1', { text: 'a' });
    outbox.remove('k1');
    expect(outbox.items()).toEqual([]);
    expect(heard).toBe(2);
    stop();
    outbox.add('k2', { text: 'b' });
    expect(heard).toBe(2);
  });

  it('sync sends on start and on the online event', async () => {
    const { outbox, net, server } = setup({ online: false });
    outbox.add('k1', { text: 'a' });
    const target = new EventTarget();
    const stop = startOutboxSync(outbox, target as unknown as Window, 60_000);
    await outbox.flush();
    expect(server.calls).toEqual([]);
    net.online = true;
    target.dispatchEvent(new Event('online'));
    await outbox.flush();
    expect(states(outbox)).toEqual(['k1:sent']);
    stop();
    outbox.add('k2', { text: 'b' });
    target.dispatchEvent(new Event('online'));
    await Promise.resolve();
    expect(states(outbox)).toEqual(['k1:sent', 'k2:queued']);
  });

  it('knows which problems are worth retrying', () => {
    expect([0, 401, 408, 429, 500, 503].every((s) => isRetryable(problem(s, 'x')))).toBe(true);
    expect([400, 403, 404, 409, 413, 422].some((s) => isRetryable(problem(s, 'x')))).toBe(false);
  });
});
