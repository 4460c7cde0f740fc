// A lesson's quiz on the phone: one question at a time, the rider's choices, and what the
// server said back. The client never knows the right answers: it only learns which of its
// questions were wrong.
import type { AttemptAnswer, AttemptResult, QuizQuestion } from '../api/lessons';

export interface QuizState {
  /** The question on screen (0-based). */
  index: number;
  /** question id → chosen option id. */
  answers: Record<string, string>;
}

export const newQuiz = (): QuizState => ({ index: 0, answers: {} });

const clamp = (n: number, total: number) => Math.max(0, Math.min(n, Math.max(0, total - 1)));

/** Picks an option (a second tap on another option changes the choice). */
export function choose(s: QuizState, questionId: string, optionId: string): QuizState {
  return { ...s, answers: { ...s.answers, [questionId]: optionId } };
}

export function goTo(s: QuizState, index: number, total: number): QuizState {
  return { ...s, index: clamp(index, total) };
}

/** How many of these questions have an answer that is one of their options. */
export function answeredCount(questions: QuizQuestion[], s: QuizState): number {
  return questions.filter((q) => isAnswered(q, s)).length;
}

export function isAnswered(q: QuizQuestion, s: QuizState): boolean {
  const chosen = s.answers[q.id];
  return chosen !== undefined && q.options.some((o) => o.id === chosen);
}

export const isComplete = (questions: QuizQuestion[], s: QuizState): boolean =>
  questions.length > 0 && answeredCount(questions, s) === questions.length;

/** The first question without an answer, or -1. */
export const firstUnanswered = (questions: QuizQuestion[], s: QuizState): number =>
  questions.findIndex((q) => !isAnswered(q, s));

/** The answers to send, in the quiz's order (unknown or stale choices left out). */
export function toAnswers(questions: QuizQuestion[], s: QuizState): AttemptAnswer[] {
  return questions.filter((q) => isAnswered(q, s)).map((q) => ({ question_id: q.id, option_id: s.answers[q.id]! }));
}

/** Back to a state from answers that were sent (e.g. a queued attempt being shown again). */
export function fromAnswers(answers: AttemptAnswer[]): QuizState {
  return { index: 0, answers: Object.fromEntries(answers.map((a) => [a.question_id, a.option_id])) };
}

export interface ReviewRow {
  id: string;
  number: number;
  prompt: string;
  /** The text of the option the rider chose, or null when the question was skipped. */
  chosen: string | null;
  right: boolean;
}

/** Each question with the rider's choice and whether the server counted it right. */
export function review(questions: QuizQuestion[], answers: AttemptAnswer[], result: Pick<AttemptResult, 'wrong_question_ids'>): ReviewRow[] {
  const wrong = new Set(result.wrong_question_ids);
  const chosen = new Map(answers.map((a) => [a.question_id, a.option_id]));
  return questions.map((q, i) => {
    const oid = chosen.get(q.id);
    const text = q.options.find((o) => o.id === oid)?.text ?? null;
    return { id: q.id, number: i + 1, prompt: q.prompt, chosen: text, right: text !== null && !wrong.has(q.id) };
  });
}

/** A new try: the questions answered right keep their answers, the first wrong one is shown. */
export function retry(questions: QuizQuestion[], answers: AttemptAnswer[], result: Pick<AttemptResult, 'wrong_question_ids'>): QuizState {
  const rows = review(questions, answers, result);
  const kept = Object.fromEntries(answers.filter((a) => rows.find((r) => r.id === a.question_id)?.right).map((a) => [a.question_id, a.option_id]));
  const s: QuizState = { index: 0, answers: kept };
  const first = firstUnanswered(questions, s);
  return { ...s, index: first < 0 ? 0 : first };
}

/** 0–100 as the quiz progress bar's width. */
export function progressPercent(questions: QuizQuestion[], s: QuizState): number {
  if (questions.length === 0) return 0;
  return Math.round((answeredCount(questions, s) / questions.length) * 100);
}

/** `#/lessons/{slug}` reads a lesson, `#/lessons/{slug}/quiz` takes its quiz. */
export function lessonRoute(sub: string | null): { slug: string | null; quiz: boolean } {
  if (!sub) return { slug: null, quiz: false };
  const parts = sub.split('/').filter(Boolean);
  const slug = parts[0] ?? null;
  return { slug, quiz: slug !== null && parts[1] === 'quiz' };
}
