import type { User } from '../../api/types';
import { HelpIcon } from '../../components/Icons';
import { Placeholder } from '../../components/Placeholder';
import { useI18n } from '../../i18n/context';

/** Operator / staff / admin queue of help requests. */
export function HelpQueue(_: { user: User }) {
  const { t } = useI18n();
  return <Placeholder testid="placeholder-help-queue" icon={<HelpIcon size={40} />} title={t('operator_queue')} detail={t('operator_queue_soon')} />;
}
