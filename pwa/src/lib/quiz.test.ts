import { describe, expect, it } from 'vitest';
import type { QuizQuestion } from '../api/lessons';
import {
  answeredCount,
  choose,
  firstUnanswered,
  fromAnswers,
  goTo,
  isComplete,
  lessonRoute,
  newQuiz,
  progressPercent,
  retry,
  review,
  toAnswers,
} from './quiz';

const q = (id: string, n = 3): QuizQuestion => ({
  id,
  prompt: `问题 ${id}`,
  options: Array.from({ length: n }, (_, i) => ({ id: 'abcd'[i]!, text: `${id}-${'abcd'[i]}` })),
});
const QS = [q('q1'), q('q2', 2), q('q3', 4)];

describe('quiz state', () => {
  it('starts on the first question with nothing chosen', () => {
    const s = newQuiz();
    expect(s.index).toBe(0);
    expect(answeredCount(QS, s)).toBe(0);
    expect(isComplete(QS, s)).toBe(false);
    expect(firstUnanswered(QS, s)).toBe(0);
    expect(progressPercent(QS, s)).toBe(0);
  });

  it('a second choice replaces the first, without changing the question shown', () => {
    let s = choose(newQuiz(), 'q1', 'a');
    s = choose(s, 'q1', 'c');
    expect(s.answers).toEqual({ q1: 'c' });
    expect(s.index).toBe(0);
  });

  it('moves within the quiz only', () => {
    const s = newQuiz();
    expect(goTo(s, 2, 3).index).toBe(2);
    expect(goTo(s, 7, 3).index).toBe(2);
    expect(goTo(s, -1, 3).index).toBe(0);
    expect(goTo(s, 3, 0).index).toBe(0);
  });

  it('is complete when every question has one of its own options', () => {
    let s = choose(choose(newQuiz(), 'q1', 'b'), 'q2', 'a');
    expect(firstUnanswered(QS, s)).toBe(2);
    expect(progressPercent(QS, s)).toBe(67);
    // An option id the question does not have does not count (e.g. a lesson changed since).
    s = choose(s, 'q3', 'z');
    expect(isComplete(QS, s)).toBe(false);
    s = choose(s, 'q3', 'd');
    expect(isComplete(QS, s)).toBe(true);
    expect(isComplete([], s)).toBe(false);
  });

  it('sends answers in the quiz order, leaving out unknown questions and options', () => {
    const s = { index: 1, answers: { q3: 'a', gone: 'a', q1: 'b', q2: 'x' } };
    expect(toAnswers(QS, s)).toEqual([
      { question_id: 'q1', option_id: 'b' },
      { question_id: 'q3', option_id: 'a' },
    ]);
    expect(fromAnswers(toAnswers(QS, s))).toEqual({ index: 0, answers: { q1: 'b', q3: 'a' } });
  });
});

describe('after grading', () => {
  const answers = [
    { question_id: 'q1', option_id: 'a' },
    { question_id: 'q3', option_id: 'b' },
  ];

  it('marks the wrong and the skipped questions, with the text chosen', () => {
    const rows = review(QS, answers, { wrong_question_ids: ['q3'] });
    expect(rows.map((r) => [r.id, r.number, r.right, r.chosen])).toEqual([
      ['q1', 1, true, 'q1-a'],
      ['q2', 2, false, null],
      ['q3', 3, false, 'q3-b'],
    ]);
  });

  it('a retry keeps the right answers and opens the first question to answer again', () => {
    const s = retry(QS, answers, { wrong_question_ids: ['q3'] });
    expect(s.answers).toEqual({ q1: 'a' });
    expect(s.index).toBe(1);
    const all = retry(QS, [...answers, { question_id: 'q2', option_id: 'a' }], { wrong_question_ids: [] });
    expect(all.index).toBe(0);
    expect(Object.keys(all.answers)).toHaveLength(3);
  });
});

describe('lessonRoute', () => {
  it('reads the lesson and the quiz from the hash', () => {
    expect(lessonRoute(null)).toEqual({ slug: null, quiz: false });
    expect(lessonRoute('heat-stroke')).toEqual({ slug: 'heat-stroke', quiz: false });
    expect(lessonRoute('heat-stroke/quiz')).toEqual({ slug: 'heat-stroke', quiz: true });
    expect(lessonRoute('heat-stroke/other')).toEqual({ slug: 'heat-stroke', quiz: false });
  });
});
