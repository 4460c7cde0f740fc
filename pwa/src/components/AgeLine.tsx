import { useI18n } from '../i18n/context';
import { ageKey } from '../lib/stations';
import { useNow } from '../lib/useNow';

/**
 * How old the shown data is ("3 分钟前的数据"). Without `showFresh` it appears only while
 * `stale`; with it, fresh data reads "更新于…" and the line carries `data-stale`.
 * Nothing is shown when there is no `savedAt`.
 */
export function AgeLine({
  savedAt,
  stale,
  testid,
  showFresh = false,
  everyMs,
}: {
  savedAt: number | null | undefined;
  stale: boolean;
  testid: string;
  showFresh?: boolean;
  everyMs?: number;
}) {
  const { t } = useI18n();
  const now = useNow(everyMs);
  if (!savedAt) return null;
  const age = ageKey(savedAt, now.getTime());
  const text = t(age.key, { n: age.n });
  if (!showFresh) {
    return stale ? (
      <p class="age age-stale" data-testid={testid}>
        {t('data_age', { age: text })}
      </p>
    ) : null;
  }
  return (
    <p class={stale ? 'age age-stale' : 'age'} data-testid={testid} data-stale={stale ? 'true' : 'false'}>
      {stale ? t('data_age', { age: text }) : t('updated_age', { age: text })}
    </p>
  );
}
