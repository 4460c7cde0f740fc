// Operator: redeem a rider's points code for one of the station's rewards — scan or type the
// 6 digits, pick the reward, confirm; then who it was, what it cost and what is left.
import { useEffect, useRef, useState } from 'preact/hooks';
import { problemMessage, type Problem } from '../../api/problem';
import { redeem, type Redemption, type Reward } from '../../api/points';
import type { User } from '../../api/types';
import { Button } from '../../components/Button';
import { CheckIcon, QrIcon, RefreshIcon } from '../../components/Icons';
import { canScanQr, QrScanner } from '../../components/QrScanner';
import { useI18n } from '../../i18n/context';
import type { Translate } from '../../i18n';
import { groupedNumber, isValidRedeemCode, normalizeRedeemCode, parseRedeemPayload, redeemProblemKey, rewardName, signedPoints, stockOf } from '../../lib/points';
import { useRewards } from './usePoints';

function refusal(p: Problem, balance: number | null, t: Translate): string {
  if (p.code === 'insufficient_points' && balance !== null) return t('pt_err_insufficient_balance', { balance: groupedNumber(balance) });
  const key = redeemProblemKey(p.code);
  return key ? t(key) : problemMessage(p, t);
}

export function RedeemPanel({ user }: { user: User }) {
  const { t } = useI18n();
  const stationId = user.station_id ?? null;
  if (user.role !== 'operator' || !stationId) return null;
  return (
    <section class="card redeem" data-testid="redeem-panel">
      <h2>
        <span aria-hidden="true">🎁</span> {t('pt_redeem_title')}
      </h2>
      <RedeemForm stationId={stationId} />
    </section>
  );
}

function RedeemForm({ stationId }: { stationId: string }) {
  const { t, locale } = useI18n();
  const rewards = useRewards(stationId);
  const [scannable, setScannable] = useState(false);
  const [scanning, setScanning] = useState(false);
  const [code, setCode] = useState('');
  const [rewardId, setRewardId] = useState<string | null>(null);
  const [codeError, setCodeError] = useState<string | null>(null);
  const [rewardError, setRewardError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Redemption | null>(null);
  const [refused, setRefused] = useState<{ problem: Problem; balance: number | null } | null>(null);
  const codeInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void canScanQr().then(setScannable);
  }, []);

  const active = (rewards.items ?? []).filter((r) => r.active);
  const chosen = active.find((r) => r.id === rewardId) ?? null;

  const submit = async () => {
    const c = normalizeRedeemCode(code);
    const badCode = !isValidRedeemCode(c);
    setCodeError(badCode ? t('pt_redeem_code_invalid') : null);
    setRewardError(chosen ? null : t('pt_redeem_pick_reward'));
    if (badCode || !chosen) return;
    setBusy(true);
    setRefused(null);
    setDone(null);
    const r = await redeem(stationId, c, chosen.id);
    setBusy(false);
    if (r.ok) {
      setDone(r.data);
      void rewards.reload(); // stock has changed
    } else setRefused({ problem: r.problem, balance: r.balance });
  };

  const next = () => {
    setDone(null);
    setRefused(null);
    setCode('');
    setCodeError(null);
    codeInput.current?.focus();
  };

  const onScanned = (text: string) => {
    setScanning(false);
    const c = parseRedeemPayload(text);
    if (!c) setCodeError(t('pt_scan_not_code'));
    else {
      setCode(c);
      setCodeError(null);
    }
  };

  if (done) return <Done r={done} onNext={next} />;

  return (
    <form
      class="redeem-form"
      noValidate
      data-testid="redeem-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <p class="muted small">{t('pt_redeem_hint')}</p>
      {scannable && !scanning ? (
        <Button data-testid="redeem-scan" onClick={() => setScanning(true)}>
          <QrIcon size={22} /> {t('pt_redeem_scan')}
        </Button>
      ) : null}
      {scanning ? (
        <QrScanner testid="redeem-scanner" aim={t('pt_scan_aim')} failText={t('pt_scan_failed')} onText={onScanned} onClose={() => setScanning(false)} />
      ) : null}
      <label for="redeem-code" class="field-label">
        {scannable ? t('pt_redeem_or_type') : t('pt_redeem_code')}
      </label>
      <input
        id="redeem-code"
        ref={codeInput}
        class="code-input redeem-code"
        data-testid="redeem-code"
        value={code}
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9]*"
        maxLength={7}
        placeholder="000000"
        aria-invalid={codeError ? true : undefined}
        aria-describedby={codeError ? 'redeem-code-error' : undefined}
        onInput={(e) => {
          setCode(normalizeRedeemCode((e.currentTarget as HTMLInputElement).value));
          setRefused(null);
        }}
      />
      {codeError ? (
        <p class="field-error" id="redeem-code-error" data-testid="redeem-code-error">
          {codeError}
        </p>
      ) : null}

      <fieldset class="reward-pick">
        <legend class="field-label">{t('pt_redeem_reward')}</legend>
        {rewards.items === null ? (
          rewards.problem ? (
            <div class="stack">
              <p class="form-error" role="alert">
                {problemMessage(rewards.problem, t)}
              </p>
              <Button variant="secondary" onClick={() => void rewards.reload()}>
                <RefreshIcon size={20} /> {t('retry')}
              </Button>
            </div>
          ) : (
            <p class="progress-line" role="status" aria-busy="true">
              <span class="spinner" aria-hidden="true" /> {t('pt_rewards_loading')}
            </p>
          )
        ) : active.length === 0 ? (
          <p class="muted" data-testid="redeem-no-rewards">
            {t('pt_no_rewards')}
          </p>
        ) : (
          <div class="reward-options" role="radiogroup">
            {active.map((r) => (
              <RewardOption
                key={r.id}
                r={r}
                on={r.id === rewardId}
                name={rewardName(r, locale)}
                onPick={() => {
                  setRewardId(r.id);
                  setRewardError(null);
                  setRefused(null);
                }}
              />
            ))}
          </div>
        )}
        {rewardError ? (
          <p class="field-error" data-testid="redeem-reward-error">
            {rewardError}
          </p>
        ) : null}
      </fieldset>

      {refused ? (
        <p class="form-error" role="alert" data-testid="redeem-error" data-code={refused.problem.code}>
          {refusal(refused.problem, refused.balance, t)}
        </p>
      ) : null}
      <Button type="submit" busy={busy} busyLabel={t('pt_redeeming')} data-testid="redeem-submit">
        {chosen ? t('pt_redeem_submit', { n: groupedNumber(chosen.cost) }) : t('pt_redeem_submit_plain')}
      </Button>
    </form>
  );
}

function RewardOption({ r, on, name, onPick }: { r: Reward; on: boolean; name: string; onPick(): void }) {
  const { t } = useI18n();
  const stock = stockOf(r);
  const out = stock.kind === 'out';
  return (
    <button
      type="button"
      role="radio"
      aria-checked={on}
      class={on ? 'reward-option reward-option-on' : 'reward-option'}
      data-testid="redeem-reward"
      data-reward-id={r.id}
      disabled={out}
      onClick={onPick}
    >
      <span class="reward-emoji" aria-hidden="true">
        {r.emoji}
      </span>
      <span class="reward-main">
        <strong>{name}</strong>
        <span class="small">
          {t('pt_cost', { n: groupedNumber(r.cost) })}
          {stock.kind === 'out'
            ? ` · ${t('pt_stock_out')}`
            : stock.kind === 'few'
              ? ` · ${t('pt_stock_few', { n: stock.n })}`
              : stock.kind === 'some'
                ? ` · ${t('pt_stock_some', { n: stock.n })}`
                : ''}
        </span>
      </span>
    </button>
  );
}

function Done({ r, onNext }: { r: Redemption; onNext(): void }) {
  const { t, locale } = useI18n();
  const next = useRef<HTMLButtonElement>(null);
  useEffect(() => next.current?.focus(), []);
  return (
    <div class="redeem-done stack" data-testid="redeem-done">
      <p class="success" role="status">
        <CheckIcon size={26} /> {t('pt_redeem_ok')}
      </p>
      <dl class="rows">
        <div class="row row-wide">
          <dt>{t('pt_redeem_rider')}</dt>
          <dd data-testid="redeem-rider">
            {r.rider.display_name} · {r.rider.phone_masked}
          </dd>
        </div>
        <div class="row row-wide">
          <dt>{t('pt_redeem_reward_label')}</dt>
          <dd data-testid="redeem-reward-name">
            {r.reward.emoji} {rewardName(r.reward, locale)}
          </dd>
        </div>
        <div class="row row-wide">
          <dt>{t('pt_redeem_cost')}</dt>
          <dd data-testid="redeem-cost">{signedPoints(-r.cost)}</dd>
        </div>
        <div class="row row-wide">
          <dt>{t('pt_redeem_balance')}</dt>
          <dd data-testid="redeem-balance">{groupedNumber(r.balance_after)}</dd>
        </div>
        {r.stock_after !== null && r.stock_after !== undefined ? (
          <div class="row row-wide">
            <dt>{t('pt_redeem_stock')}</dt>
            <dd data-testid="redeem-stock">{groupedNumber(r.stock_after)}</dd>
          </div>
        ) : null}
      </dl>
      <button ref={next} type="button" class="btn btn-primary" data-testid="redeem-next" onClick={onNext}>
        {t('pt_redeem_next')}
      </button>
    </div>
  );
}
