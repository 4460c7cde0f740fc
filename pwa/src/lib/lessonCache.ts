// The offline copy of the lessons: the list per language and every lesson opened (or
// downloaded), each with the time it was fetched so the screen can say how old it is.
import type { AttemptResult, LessonCard, LessonCategory, LessonDetail, LessonProgress } from '../api/lessons';
import type { MessageKey } from '../i18n';
import { readJson as read, writeJson as write, type Cached, type KeyValueStore } from './storage';

export type { Cached };

export const LESSON_CATEGORIES: readonly LessonCategory[] = [
  'traffic_safety',
  'heat_and_cold',
  'first_aid',
  'labor_rights',
  'e_bike_battery_safety',
  'mental_health',
  'skills',
  'policy',
];

export const isLessonCategory = (v: string): v is LessonCategory => (LESSON_CATEGORIES as readonly string[]).includes(v);

/** The label of a category (a code this app does not know yet reads as "skills"). */
export const categoryKey = (category: string): MessageKey => `ln_cat_${isLessonCategory(category) ? category : 'skills'}`;

const LIST_KEY = (locale: string) => `warmnew.lessons.list.${locale}`;
const DETAIL_KEY = (locale: string, slug: string) => `warmnew.lessons.detail.${locale}.${slug}`;
const INDEX_KEY = (locale: string) => `warmnew.lessons.index.${locale}`;

export interface CachedList extends Cached<LessonCard[]> {
  /** Whose progress the cards carry (null: fetched logged out). */
  owner: string | null;
}

export function saveList(store: KeyValueStore, locale: string, owner: string | null, items: LessonCard[], now = Date.now()): void {
  write(store, LIST_KEY(locale), { savedAt: now, owner, data: items } satisfies CachedList);
  // Lessons taken off the list are not kept for offline reading either.
  const keep = new Set(items.map((i) => i.slug));
  const index = readIndex(store, locale);
  const gone = Object.keys(index).filter((slug) => !keep.has(slug));
  if (gone.length) {
    for (const slug of gone) {
      store.removeItem(DETAIL_KEY(locale, slug));
      delete index[slug];
    }
    write(store, INDEX_KEY(locale), index);
  }
}

/** The cached list; another account's progress is not shown to this one. */
export function loadList(store: KeyValueStore, locale: string, owner: string | null): CachedList | null {
  const c = read<CachedList>(store, LIST_KEY(locale));
  if (!c || !Array.isArray(c.data) || typeof c.savedAt !== 'number') return null;
  if (c.owner === owner) return c;
  return { ...c, owner, data: c.data.map((card) => ({ ...card, progress: null })) };
}

function readIndex(store: KeyValueStore, locale: string): Record<string, number> {
  const index = read<Record<string, number>>(store, INDEX_KEY(locale));
  return index && typeof index === 'object' ? index : {};
}

/** Keeps a lesson for offline reading; false when the phone's storage is full. */
export function saveLesson(store: KeyValueStore, requestedLocale: string, detail: LessonDetail, now = Date.now()): boolean {
  if (!write(store, DETAIL_KEY(requestedLocale, detail.slug), { savedAt: now, data: detail } satisfies Cached<LessonDetail>)) return false;
  const index = readIndex(store, requestedLocale);
  index[detail.slug] = now;
  return write(store, INDEX_KEY(requestedLocale), index);
}

export function loadLesson(store: KeyValueStore, locale: string, slug: string): Cached<LessonDetail> | null {
  const c = read<Cached<LessonDetail>>(store, DETAIL_KEY(locale, slug));
  if (!c || !c.data || typeof c.savedAt !== 'number' || !c.data.quiz) return null;
  return c;
}

/** slug → when it was saved, for the lessons kept offline in this language. */
export const offlineLessons = (store: KeyValueStore, locale: string): Record<string, number> => readIndex(store, locale);

/** The card's progress after an attempt the server graded (kept offline until the next fetch). */
export function progressAfter(p: LessonProgress | null | undefined, r: AttemptResult): LessonProgress {
  return {
    passed: (p?.passed ?? false) || r.passed,
    best_score: Math.max(p?.best_score ?? 0, r.score),
    attempts: (p?.attempts ?? 0) + 1,
    points_awarded: (p?.points_awarded ?? 0) + r.points_awarded,
  };
}

export function applyResult(items: LessonCard[], slug: string, r: AttemptResult): LessonCard[] {
  return items.map((c) => (c.slug === slug ? { ...c, progress: progressAfter(c.progress, r) } : c));
}

/** Categories that have at least one lesson, in the fixed order. */
export function presentCategories(items: Pick<LessonCard, 'category'>[]): LessonCategory[] {
  const have = new Set(items.map((i) => i.category));
  return LESSON_CATEGORIES.filter((c) => have.has(c));
}

export function completed(items: LessonCard[]): { done: number; total: number } {
  return { done: items.filter((i) => i.progress?.passed).length, total: items.length };
}
