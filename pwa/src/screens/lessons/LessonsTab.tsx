// Rider 微课堂 tab: `#/lessons` the list, `#/lessons/{slug}` a lesson, `#/lessons/{slug}/quiz`
// its quiz. Everything opened is kept for offline reading; answers given offline are queued.
import '../../i18n/learn';
import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../../i18n/context';
import { completed } from '../../lib/lessonCache';
import { lessonRoute } from '../../lib/quiz';
import type { GuestTabProps } from '../tabs';
import { LessonList } from './LessonList';
import { LessonView } from './LessonView';
import { useOutbox } from './outbox';
import { useDownloadAll, useLessonList } from './useLessons';

export function LessonsTab({ user, sub, navigate }: GuestTabProps) {
  const { locale } = useI18n();
  // Without an account the lessons are read (and kept offline) under a guest's name.
  const owner = user?.id ?? 'guest';
  const list = useLessonList(locale, owner);
  const outbox = useOutbox(owner);
  const download = useDownloadAll(locale);
  const { slug, quiz } = lessonRoute(sub);
  const scrollY = useRef(0);

  // An attempt sent from the queue has updated the offline list: show it, then ask the server
  // again (a list fetched while the attempt was on its way would not have it).
  const changes = outbox.version();
  const first = useRef(true);
  useEffect(() => {
    list.reload();
    if (first.current) first.current = false;
    else if (navigator.onLine && outbox.pending().length === 0) void list.refresh();
  }, [changes]);

  // The list stays mounted under a lesson, so going back keeps its place.
  useEffect(() => {
    if (!slug) window.scrollTo(0, scrollY.current);
  }, [slug]);

  const open = (s: string) => {
    scrollY.current = window.scrollY;
    navigate(`#/lessons/${encodeURIComponent(s)}`);
  };

  return (
    <>
      <div hidden={slug !== null}>
        <LessonList
          list={list.state}
          outbox={outbox}
          download={download.state}
          onRefresh={() => void list.refresh()}
          onDownload={(items) => void download.start(items)}
          onOpen={open}
        />
      </div>
      {slug ? (
        <LessonView
          key={slug}
          slug={slug}
          quiz={quiz}
          owner={owner}
          loggedIn={user?.role === 'rider'}
          outbox={outbox}
          progress={completed(list.state.items ?? [])}
          navigate={navigate}
          onSaved={() => {
            list.reload();
            download.noteSaved();
          }}
        />
      ) : null}
    </>
  );
}
