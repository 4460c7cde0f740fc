// The rider's queue of quiz answers given offline: one per account, sent whenever the phone
// is (back) online while the lessons or the 我的 tab is open.
import { useEffect } from 'preact/hooks';
import type { Result } from '../../api/client';
import { submitAttempt, type AttemptResult } from '../../api/lessons';
import { applyResult, loadList, saveList } from '../../lib/lessonCache';
import { createOutbox, type Outbox, type QueuedAttempt, type SendOutcome } from '../../lib/lessonOutbox';
import { isRetryable } from '../../lib/outbox';
import { loadPoints, savePoints } from '../../lib/points';
import { browserStore } from '../../lib/storage';
import { useStore } from '../../lib/useStore';

const store = browserStore();
const boxes = new Map<string, Outbox>();

export function outboxFor(owner: string): Outbox {
  let box = boxes.get(owner);
  if (!box) {
    box = createOutbox(store, owner);
    boxes.set(owner, box);
  }
  return box;
}

/** What a reply to an attempt means for a queued one: no network, a busy server or an
 * expired session wait for later; anything else the server refused is final. */
export function classify(r: Result<AttemptResult>): SendOutcome {
  if (r.ok) return { kind: 'sent', result: r.data };
  if (isRetryable(r.problem)) return { kind: 'retry' };
  return { kind: 'rejected', code: r.problem.code };
}

/** Keeps the offline copies in step with a graded attempt: the card's progress and the balance. */
export function rememberResult(owner: string, locale: string, slug: string, result: AttemptResult): void {
  const list = loadList(store, locale, owner);
  if (list) saveList(store, locale, owner, applyResult(list.data, slug, result), list.savedAt);
  const points = loadPoints(store, owner);
  if (points) savePoints(store, owner, { ...points, balance: result.balance });
}

function sender(owner: string) {
  return async (a: QueuedAttempt): Promise<SendOutcome> => {
    const outcome = classify(await submitAttempt(a.slug, { answers: a.answers, locale: a.locale, version: a.version }));
    if (outcome.kind === 'sent') rememberResult(owner, a.locale, a.slug, outcome.result);
    return outcome;
  };
}

export function flushOutbox(owner: string) {
  return outboxFor(owner).flush(sender(owner));
}

/** The rider's outbox, re-rendering on every change, and sent on mount and whenever the
 * phone comes back online or the app comes back to the front. */
export function useOutbox(owner: string): Outbox {
  const box = outboxFor(owner);
  useStore(box, box.version);
  useEffect(() => {
    const go = () => {
      if (navigator.onLine && box.pending().length > 0) void flushOutbox(owner);
    };
    const onVisible = () => document.visibilityState === 'visible' && go();
    go();
    window.addEventListener('online', go);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.removeEventListener('online', go);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [owner]);
  return box;
}
