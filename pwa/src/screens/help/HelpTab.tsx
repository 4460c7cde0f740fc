import { HelpIcon } from '../../components/Icons';
import { Placeholder } from '../../components/Placeholder';
import { useI18n } from '../../i18n/context';
import type { TabProps } from '../tabs';


/** Rider 求助 tab. */
export function HelpTab(_: TabProps) {
  const { t } = useI18n();
  return <Placeholder testid="placeholder-help" icon={<HelpIcon size={48} />} title={t('help_soon')} detail={t('help_soon_detail')} />;
}
