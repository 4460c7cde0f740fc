import { describe, expect, it } from 'vitest';
import type { AttemptResult } from '../api/lessons';
import { createOutbox, outboxKey, type QueuedAttempt, type SendOutcome } from './lessonOutbox';
import { memoryStore } from './storage';

const attempt = (slug: string, queuedAt: number, option = 'a'): QueuedAttempt => ({
  slug,
  locale: 'zh-CN',
  version: 1,
  title: slug,
  answers: [{ question_id: 'q1', option_id: option }],
  queuedAt,
});
const result = (score: number): AttemptResult => ({
  score,
  passed: score >= 60,
  correct: score / 20,
  total: 5,
  wrong_question_ids: [],
  points_awarded: score >= 60 ? 20 : 0,
  already_awarded: false,
  balance: 120,
});

/** A controllable send: each call waits for the test to answer it. */
function manualSend() {
  const calls: { a: QueuedAttempt; answer(o: SendOutcome): void }[] = [];
  const send = (a: QueuedAttempt) => new Promise<SendOutcome>((answer) => calls.push({ a, answer }));
  return { calls, send };
}
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('lesson outbox', () => {
  it('keeps one attempt per lesson, the latest, in local storage per account', () => {
    const store = memoryStore();
    const box = createOutbox(store, 'u1');
    box.enqueue(attempt('a', 1, 'a'));
    box.enqueue(attempt('b', 2));
    box.enqueue(attempt('a', 3, 'c'));
    expect(box.pending().map((p) => [p.slug, p.queuedAt])).toEqual([
      ['b', 2],
      ['a', 3],
    ]);
    expect(box.get('a')?.answers[0]?.option_id).toBe('c');
    // It survives a reload; another account on the phone has its own queue.
    expect(createOutbox(store, 'u1').pending()).toHaveLength(2);
    expect(createOutbox(store, 'u2').pending()).toHaveLength(0);
    expect(store.data.has(outboxKey('u1'))).toBe(true);
  });

  it('sends oldest first; a graded attempt moves to "delivered" with its answers', async () => {
    const box = createOutbox(memoryStore(), 'u1');
    box.enqueue(attempt('late', 20));
    box.enqueue(attempt('early', 10));
    const sent: string[] = [];
    const report = await box.flush(async (a) => {
      sent.push(a.slug);
      return { kind: 'sent', result: result(80) };
    }, () => 99);
    expect(sent).toEqual(['early', 'late']);
    expect(report).toEqual({ sent: 2, rejected: 0, kept: 0 });
    expect(box.pending()).toEqual([]);
    expect(box.delivered('early')).toMatchObject({ result: { score: 80 }, deliveredAt: 99, queuedAt: 10 });
    box.dismiss('early');
    expect(box.delivered('early')).toBeNull();
    expect(box.delivered('late')).not.toBeNull();
  });

  it('stops at the first "retry" and keeps that attempt and the rest', async () => {
    const box = createOutbox(memoryStore(), 'u1');
    box.enqueue(attempt('a', 1));
    box.enqueue(attempt('b', 2));
    box.enqueue(attempt('c', 3));
    let n = 0;
    const report = await box.flush(async () => (n++ === 0 ? { kind: 'sent', result: result(100) } : { kind: 'retry' }));
    expect(n).toBe(2);
    expect(report).toEqual({ sent: 1, rejected: 0, kept: 2 });
    expect(box.pending().map((p) => p.slug)).toEqual(['b', 'c']);
  });

  it('a thrown send counts as "retry"; a refusal is dropped and remembered', async () => {
    const box = createOutbox(memoryStore(), 'u1');
    box.enqueue(attempt('a', 1));
    await box.flush(async () => {
      throw new Error('offline');
    });
    expect(box.get('a')).not.toBeNull();
    await box.flush(async () => ({ kind: 'rejected', code: 'not_found' }), () => 5);
    expect(box.get('a')).toBeNull();
    expect(box.rejected('a')).toEqual({ slug: 'a', title: 'a', code: 'not_found', at: 5 });
    // Answering again clears the refusal.
    box.enqueue(attempt('a', 6));
    expect(box.rejected('a')).toBeNull();
  });

  it('new answers given while the old ones are on their way still wait', async () => {
    const box = createOutbox(memoryStore(), 'u1');
    const m = manualSend();
    box.enqueue(attempt('a', 1, 'a'));
    const run = box.flush(m.send);
    await tick();
    expect(box.sending('a')).toBe(true);
    box.enqueue(attempt('a', 2, 'b'));
    m.calls[0]!.answer({ kind: 'sent', result: result(40) });
    await tick();
    // The newer answers are sent in the same flush, after the older ones.
    expect(box.get('a')?.queuedAt).toBe(2);
    await tick();
    expect(m.calls).toHaveLength(2);
    expect(m.calls[1]!.a.answers[0]!.option_id).toBe('b');
    m.calls[1]!.answer({ kind: 'sent', result: result(100) });
    await run;
    expect(box.pending()).toEqual([]);
    expect(box.delivered('a')?.result.score).toBe(100);
  });

  it('flushes one at a time: a call during a run shares it', async () => {
    const box = createOutbox(memoryStore(), 'u1');
    const m = manualSend();
    box.enqueue(attempt('a', 1));
    const first = box.flush(m.send);
    const second = box.flush(m.send);
    expect(second).toBe(first);
    await tick();
    expect(m.calls).toHaveLength(1);
    m.calls[0]!.answer({ kind: 'sent', result: result(60) });
    await first;
    expect(m.calls).toHaveLength(1);
    expect(box.sending('a')).toBe(false);
  });

  it('discard takes a waiting attempt back; listeners hear every change', () => {
    const box = createOutbox(memoryStore(), 'u1');
    let heard = 0;
    const off = box.subscribe(() => heard++);
    const v0 = box.version();
    box.enqueue(attempt('a', 1));
    box.discard('a');
    expect(box.get('a')).toBeNull();
    expect(heard).toBe(2);
    expect(box.version()).toBe(v0 + 2);
    off();
    box.enqueue(attempt('a', 2));
    expect(heard).toBe(2);
  });

  it('a damaged entry in storage is an empty outbox', () => {
    const store = memoryStore({ [outboxKey('u1')]: '{not json' });
    const box = createOutbox(store, 'u1');
    expect(box.pending()).toEqual([]);
    box.enqueue(attempt('a', 1));
    expect(box.pending()).toHaveLength(1);
  });
});
