import { describe, expect, it } from 'vitest';
import { createLoginGate, GATE_KEY, GATE_TTL_MS } from './loginGate';
import { memoryStore } from './storage';

describe('login gate', () => {
  it('keeps the action in storage, so a reload (a new gate on the same storage) still has it', () => {
    const store = memoryStore();
    createLoginGate(store).ask('checkin', { stationId: 's1', code: 'ABC123' });
    expect(store.data.has(GATE_KEY)).toBe(true);
    const again = createLoginGate(store);
    expect(again.pending()).toMatchObject({ kind: 'checkin', data: { stationId: 's1', code: 'ABC123' } });
  });

  it('gives the action back once, and only to its kind', () => {
    const gate = createLoginGate(memoryStore());
    gate.ask('quiz', { slug: 'heat', answers: { q1: 'a' } });
    expect(gate.take('checkin')).toBeNull();
    expect(gate.take('quiz', (d) => d.slug === 'other')).toBeNull();
    expect(gate.take('quiz', (d) => d.slug === 'heat')).toEqual({ slug: 'heat', answers: { q1: 'a' } });
    expect(gate.take('quiz')).toBeNull();
    expect(gate.pending()).toBeNull();
  });

  it('drops the action on cancel and tells its listeners', () => {
    const store = memoryStore();
    const gate = createLoginGate(store);
    let calls = 0;
    gate.subscribe(() => calls++);
    gate.ask('login', {});
    gate.cancel();
    expect(gate.pending()).toBeNull();
    expect(store.data.has(GATE_KEY)).toBe(false);
    expect(calls).toBe(2);
  });

  it('forgets an action asked too long ago', () => {
    let t = 1_000_000;
    const gate = createLoginGate(memoryStore(), () => t);
    gate.ask('checkin', { stationId: 's1', code: 'ABC123' });
    t += GATE_TTL_MS + 1;
    expect(gate.pending()).toBeNull();
    expect(gate.take('checkin')).toBeNull();
  });

  it('still works in memory when storage refuses to write, and ignores a damaged entry', () => {
    const broken = { getItem: () => '{not json', setItem: () => { throw new Error('full'); }, removeItem: () => {} };
    const gate = createLoginGate(broken);
    expect(gate.pending()).toBeNull();
    gate.ask('help', { key: 'k1', body: { category: 'other' } });
    expect(gate.take('help')).toEqual({ key: 'k1', body: { category: 'other' } });
  });
});
