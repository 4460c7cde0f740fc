// "Show my code": a full-screen one-time code for the station counter — the server's QR,
// the 6 digits large enough to read across the counter, and the 5 minutes counting down. The
// same code identifies the rider (a service logged in their name) and redeems points.
// While it shows, the balance is asked every few seconds so the rider sees the redemption.
import { useEffect, useRef, useState } from 'preact/hooks';
import { problemMessage, type Problem } from '../../api/problem';
import { createRedemptionCode, fetchPoints, type PointsEntry, type RedemptionCode } from '../../api/points';
import { Button } from '../../components/Button';
import { CheckIcon } from '../../components/Icons';
import { useI18n } from '../../i18n/context';
import { countdown, groupCode, groupedNumber, localExpiry, signedPoints, svgDataUrl } from '../../lib/points';
import { useNow } from '../../lib/useNow';
import { useOnline } from '../../lib/useOnline';

const WATCH_EVERY_MS = 4000;

interface WakeLockLike {
  release(): Promise<void>;
}

/** Keeps the screen on while the code shows, where the browser allows it. */
function useWakeLock(on: boolean) {
  useEffect(() => {
    if (!on) return;
    let lock: WakeLockLike | null = null;
    let live = true;
    const nav = navigator as Navigator & { wakeLock?: { request(type: 'screen'): Promise<WakeLockLike> } };
    nav.wakeLock
      ?.request('screen')
      .then((l) => {
        if (live) lock = l;
        else void l.release();
      })
      .catch(() => {});
    return () => {
      live = false;
      void lock?.release().catch(() => {});
    };
  }, [on]);
}

export function CodeScreen({ onClose, onRedeemed }: { onClose(): void; onRedeemed(): void }) {
  const { t } = useI18n();
  const online = useOnline();
  const now = useNow(1000);
  const [code, setCode] = useState<RedemptionCode | null>(null);
  /** When it expires by this phone's clock. */
  const [expiry, setExpiry] = useState(0);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [redeemed, setRedeemed] = useState<{ entry: PointsEntry; balance: number } | null>(null);
  const closeRef = useRef<HTMLButtonElement>(null);

  const create = async () => {
    setBusy(true);
    setProblem(null);
    setRedeemed(null);
    const r = await createRedemptionCode();
    setBusy(false);
    if (r.ok) {
      setExpiry(localExpiry(r.data.expires_at, r.response.headers.get('Date'), Date.now()));
      setCode(r.data);
    } else setProblem(r.problem);
  };

  useEffect(() => {
    closeRef.current?.focus();
    void create();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const cd = code ? countdown(new Date(expiry).toISOString(), now.getTime()) : null;
  const active = !!code && !!cd && !cd.expired && !redeemed;
  useWakeLock(active);

  // Watch for the counter redeeming this code: a redemption newer than what was there.
  useEffect(() => {
    if (!active || !code) return;
    let live = true;
    let baseline: string | null | undefined;
    const tick = async () => {
      const r = await fetchPoints(1, 1);
      if (!live || !r.ok) return;
      const newest = r.data.items[0] ?? null;
      if (baseline === undefined) {
        baseline = newest?.id ?? null;
        return;
      }
      if (newest && newest.id !== baseline && newest.reason === 'redemption') {
        setRedeemed({ entry: newest, balance: r.data.balance });
        onRedeemed();
      }
    };
    void tick();
    const id = setInterval(() => void tick(), WATCH_EVERY_MS);
    return () => {
      live = false;
      clearInterval(id);
    };
  }, [active, code?.code]);

  const state = busy ? 'loading' : redeemed ? 'redeemed' : problem ? 'error' : cd?.expired ? 'expired' : code ? 'active' : 'loading';

  return (
    <div class="code-screen" role="dialog" aria-modal="true" aria-labelledby="code-title" data-testid="code-screen" data-state={state}>
      <div class="code-screen-head">
        <h2 id="code-title">{t('pt_code_title')}</h2>
        <button ref={closeRef} type="button" class="btn btn-secondary" data-testid="code-close" onClick={onClose}>
          {t('close')}
        </button>
      </div>
      <div class="code-screen-body">
        {state === 'loading' ? (
          <p class="center" role="status" aria-busy="true" data-testid="code-loading">
            <span class="spinner spinner-big" aria-hidden="true" />
            <br />
            {t('pt_code_loading')}
          </p>
        ) : state === 'error' && problem ? (
          <div class="stack">
            <p class={problem.code === 'network' ? 'notice' : 'form-error'} role="alert" data-testid="code-error" data-code={problem.code}>
              {problem.code === 'network' || !online ? t('pt_code_offline') : problemMessage(problem, t)}
            </p>
            <Button data-testid="code-new" disabled={!online} onClick={() => void create()}>
              {t('retry')}
            </Button>
          </div>
        ) : state === 'redeemed' && redeemed ? (
          <div class="stack center">
            <p class="success code-redeemed" role="status" data-testid="code-redeemed">
              <CheckIcon size={28} />
              <span>
                {t('pt_code_redeemed', {
                  label: redeemed.entry.source_label ?? t('pt_reason_redemption'),
                  delta: signedPoints(redeemed.entry.delta),
                })}
              </span>
            </p>
            <p class="code-balance">{t('pt_code_balance', { n: groupedNumber(redeemed.balance) })}</p>
            <Button onClick={onClose}>{t('close')}</Button>
          </div>
        ) : code && cd ? (
          <>
            {cd.expired ? (
              <div class="stack center" data-testid="code-expired">
                <p class="code-digits code-digits-dead" aria-hidden="true">
                  {groupCode(code.code)}
                </p>
                <p class="form-error" role="alert">
                  {t('pt_code_expired')}
                </p>
                <Button data-testid="code-new" disabled={!online} onClick={() => void create()}>
                  {t('pt_code_new')}
                </Button>
              </div>
            ) : (
              <>
                <p class="code-mode" data-testid="code-mode">
                  {t('pt_code_mode')}
                </p>
                <img class="code-qr" src={svgDataUrl(code.qr_svg)} alt={t('pt_code_qr_alt')} data-testid="code-qr" width={280} height={280} />
                <p class="code-digits" data-testid="code-digits" data-code={code.code} aria-label={code.code.split('').join(' ')}>
                  {groupCode(code.code)}
                </p>
                <p class="code-countdown" role="timer" data-testid="code-countdown" data-seconds={cd.seconds}>
                  {t('pt_code_expires_in', { time: cd.label })}
                </p>
                <div class="bar bar-thick" aria-hidden="true">
                  <span style={{ width: `${Math.round(cd.fraction * 100)}%` }} />
                </div>
                <p class="muted center">{t('pt_code_hint')}</p>
                <p class="muted small center">
                  {t('pt_code_once')} · {t('pt_code_balance', { n: groupedNumber(code.balance) })}
                </p>
                <Button variant="secondary" data-testid="code-renew" onClick={() => void create()}>
                  {t('pt_code_new')}
                </Button>
              </>
            )}
          </>
        ) : null}
      </div>
    </div>
  );
}
