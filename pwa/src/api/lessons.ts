// Lesson calls (微课堂), typed by the generated schema. Every call returns ok/problem (see call()).
import type { Locale } from '../i18n';
import { api, call, type Result } from './client';
import type { components } from './schema';

type Schemas = components['schemas'];
export type LessonCategory =
  | 'traffic_safety'
  | 'heat_and_cold'
  | 'first_aid'
  | 'labor_rights'
  | 'e_bike_battery_safety'
  | 'mental_health'
  | 'skills'
  | 'policy';
export type LessonProgress = Schemas['LessonProgressDto'];
export type LessonCard = Schemas['LessonCard'];
export type LessonList = Schemas['LessonList'];
export type LessonDetail = Schemas['LessonDetail'];
export type QuizQuestion = Schemas['LessonQuestion'];
export type AttemptAnswer = Schemas['AttemptAnswer'];
export type AttemptRequest = Schemas['AttemptRequest'];
export type AttemptResult = Schemas['AttemptResult'];

// Lessons come straight from the server (not the HTTP cache): the offline copy is ours.
export const fetchLessons = (locale: Locale): Promise<Result<LessonList>> =>
  call(api.GET('/api/v1/lessons', { params: { query: { locale } }, cache: 'no-store' }));

export const fetchLesson = (slug: string, locale: Locale): Promise<Result<LessonDetail>> =>
  call(api.GET('/api/v1/lessons/{slug}', { params: { path: { slug }, query: { locale } }, cache: 'no-store' }));

export const submitAttempt = (slug: string, body: AttemptRequest): Promise<Result<AttemptResult>> =>
  call(api.POST('/api/v1/lessons/{slug}/attempts', { params: { path: { slug } }, body }));
