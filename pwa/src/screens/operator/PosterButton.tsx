import { useState } from 'preact/hooks';
import { problemMessage, type Problem } from '../../api/problem';
import { Button } from '../../components/Button';
import { PrintIcon } from '../../components/Icons';
import { useI18n } from '../../i18n/context';
import { openPoster } from '../../lib/poster';

/** "打印签到海报": the server's A4 page with the check-in QR, in a new tab, printed. */
export function PosterButton({ stationId, testid = 'poster-print' }: { stationId: string; testid?: string }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [blocked, setBlocked] = useState(false);
  const open = async () => {
    setBusy(true);
    setProblem(null);
    const r = await openPoster(stationId);
    setBusy(false);
    if (r.ok) setBlocked(r.blocked);
    else setProblem(r.problem);
  };
  return (
    <div class="stack">
      <Button variant="secondary" busy={busy} busyLabel={t('td_poster_opening')} data-testid={testid} onClick={() => void open()}>
        <PrintIcon size={22} /> {t('td_poster')}
      </Button>
      {blocked ? (
        <p class="muted small" role="status">
          {t('td_poster_blocked')}
        </p>
      ) : null}
      {problem ? (
        <p class="form-error" role="alert" data-testid={`${testid}-error`}>
          {problemMessage(problem, t)}
        </p>
      ) : null}
    </div>
  );
}
