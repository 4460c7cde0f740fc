import { LessonIcon } from '../../components/Icons';
import { Placeholder } from '../../components/Placeholder';
import { useI18n } from '../../i18n/context';
import type { TabProps } from '../tabs';

/** Rider 微课堂 tab. */
export function LessonsTab(_: TabProps) {
  const { t } = useI18n();
  return <Placeholder testid="placeholder-lessons" icon={<LessonIcon size={48} />} title={t('lessons_soon')} detail={t('lessons_soon_detail')} />;
}
