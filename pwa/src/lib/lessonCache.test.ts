import { describe, expect, it } from 'vitest';
import type { AttemptResult, LessonCard, LessonDetail } from '../api/lessons';
import {
  applyResult,
  categoryKey,
  completed,
  isLessonCategory,
  loadLesson,
  loadList,
  offlineLessons,
  presentCategories,
  progressAfter,
  saveLesson,
  saveList,
} from './lessonCache';
import { memoryStore, type KeyValueStore } from './storage';

const card = (slug: string, over: Partial<LessonCard> = {}): LessonCard => ({
  slug,
  locale: 'zh-CN',
  title: slug,
  summary: '',
  category: 'traffic_safety',
  minutes: 3,
  cover: '🚦',
  points: 20,
  version: 1,
  published: true,
  progress: null,
  ...over,
});
const detail = (slug: string, version = 1): LessonDetail => ({
  ...card(slug, { version }),
  pass_mark: 60,
  body_html: '<p>正文</p>',
  available_locales: ['zh-CN'],
  quiz: { questions: [] },
});
const result = (over: Partial<AttemptResult> = {}): AttemptResult => ({
  score: 80,
  passed: true,
  correct: 4,
  total: 5,
  wrong_question_ids: ['q2'],
  points_awarded: 20,
  already_awarded: false,
  balance: 140,
  ...over,
});

describe('the offline lesson list', () => {
  it('is kept per language with when it was fetched', () => {
    const store = memoryStore();
    saveList(store, 'zh-CN', 'u1', [card('a')], 1000);
    expect(loadList(store, 'zh-CN', 'u1')).toEqual({ savedAt: 1000, owner: 'u1', data: [card('a')] });
    expect(loadList(store, 'en', 'u1')).toBeNull();
  });

  it('does not show one account’s progress to another', () => {
    const store = memoryStore();
    const done = { passed: true, best_score: 100, attempts: 1, points_awarded: 20 };
    saveList(store, 'zh-CN', 'u1', [card('a', { progress: done })], 1000);
    expect(loadList(store, 'zh-CN', 'u1')?.data[0]?.progress).toEqual(done);
    expect(loadList(store, 'zh-CN', 'u2')?.data[0]?.progress).toBeNull();
  });

  it('a damaged entry is no entry', () => {
    const store = memoryStore({ 'warmnew.lessons.list.zh-CN': '{"savedAt":"x"' });
    expect(loadList(store, 'zh-CN', null)).toBeNull();
  });
});

describe('lessons kept for offline reading', () => {
  it('saves and loads a lesson and lists it as offline', () => {
    const store = memoryStore();
    expect(saveLesson(store, 'zh-CN', detail('a'), 500)).toBe(true);
    expect(loadLesson(store, 'zh-CN', 'a')).toEqual({ savedAt: 500, data: detail('a') });
    expect(loadLesson(store, 'en', 'a')).toBeNull();
    expect(offlineLessons(store, 'zh-CN')).toEqual({ a: 500 });
  });

  it('drops the lessons a fresh list no longer has', () => {
    const store = memoryStore();
    saveLesson(store, 'zh-CN', detail('a'));
    saveLesson(store, 'zh-CN', detail('b'));
    saveList(store, 'zh-CN', null, [card('b')]);
    expect(loadLesson(store, 'zh-CN', 'a')).toBeNull();
    expect(loadLesson(store, 'zh-CN', 'b')).not.toBeNull();
    expect(Object.keys(offlineLessons(store, 'zh-CN'))).toEqual(['b']);
  });

  it('says so when the phone’s storage is full', () => {
    const full: KeyValueStore = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('full', 'QuotaExceededError');
      },
      removeItem: () => {},
    };
    expect(saveLesson(full, 'zh-CN', detail('a'))).toBe(false);
    expect(() => saveList(full, 'zh-CN', null, [card('a')])).not.toThrow();
  });
});

describe('progress', () => {
  it('adds an attempt: passed stays passed, the best score is kept, points add up', () => {
    const first = progressAfter(null, result({ score: 40, passed: false, points_awarded: 0 }));
    expect(first).toEqual({ passed: false, best_score: 40, attempts: 1, points_awarded: 0 });
    const second = progressAfter(first, result({ score: 100, points_awarded: 20 }));
    expect(second).toEqual({ passed: true, best_score: 100, attempts: 2, points_awarded: 20 });
    const third = progressAfter(second, result({ score: 60, points_awarded: 0, already_awarded: true }));
    expect(third).toEqual({ passed: true, best_score: 100, attempts: 3, points_awarded: 20 });
  });

  it('applies to the one lesson and counts the lessons done', () => {
    const items = applyResult([card('a'), card('b')], 'b', result());
    expect(items[0]!.progress).toBeNull();
    expect(items[1]!.progress?.passed).toBe(true);
    expect(completed(items)).toEqual({ done: 1, total: 2 });
  });

  it('lists the categories present, in the fixed order', () => {
    const items = [card('a', { category: 'policy' }), card('b', { category: 'first_aid' }), card('c', { category: 'policy' })];
    expect(presentCategories(items)).toEqual(['first_aid', 'policy']);
    expect(isLessonCategory('first_aid')).toBe(true);
    expect(isLessonCategory('cooking')).toBe(false);
  });
});

describe('categoryKey', () => {
  it('names known categories and falls back for new ones', () => {
    expect(categoryKey('first_aid')).toBe('ln_cat_first_aid');
    expect(categoryKey('astrology')).toBe('ln_cat_skills');
  });
});
