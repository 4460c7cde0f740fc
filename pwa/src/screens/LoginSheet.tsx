// The login asked at the action (lib/loginGate): a full-screen sheet over the screen the rider
// was on, saying what continues after it. The login itself is the Auth screen, loaded with it.
import { useEffect, useRef } from 'preact/hooks';
import type { TokenResponse } from '../api/types';
import { lazyScreen } from '../components/LazyScreen';
import { useI18n } from '../i18n/context';
import type { MessageKey } from '../i18n';
import { loginGate, type GateKind } from '../lib/loginGate';
import type { EndReason } from '../state/session';

const AuthScreens = lazyScreen(() => import('./Auth').then((m) => m.AuthScreens), 'login-loading');

const REASONS: Record<GateKind, MessageKey> = {
  checkin: 'gate_reason_checkin',
  help: 'gate_reason_help',
  quiz: 'gate_reason_quiz',
  login: 'gate_reason_login',
};

export function LoginSheet({ kind, ended, onSession }: { kind: GateKind; ended: EndReason | null; onSession(tokens: TokenResponse): Promise<void> }) {
  const { t } = useI18n();
  const sheet = useRef<HTMLDivElement>(null);
  useEffect(() => {
    sheet.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') loginGate.cancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div class="sheet-backdrop">
      <div class="sheet" role="dialog" aria-modal="true" aria-labelledby="login-sheet-title" tabIndex={-1} ref={sheet} data-testid="login-sheet" data-kind={kind}>
        <div class="sheet-head">
          <h2 id="login-sheet-title">{t('gate_title')}</h2>
          <button type="button" class="btn btn-secondary" data-testid="login-sheet-close" onClick={() => loginGate.cancel()}>
            {t('gate_cancel')}
          </button>
        </div>
        <p class="notice" role="status" data-testid="gate-reason" data-kind={kind}>
          {t(REASONS[kind])}
        </p>
        <AuthScreens onSession={onSession} ended={ended} />
      </div>
    </div>
  );
}
