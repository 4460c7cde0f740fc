import { useState } from 'preact/hooks';
import { api, call } from '../api/client';
import { fieldMessages, problemMessage, type Problem } from '../api/problem';
import type { TokenResponse } from '../api/types';
import { Button } from '../components/Button';
import { Field } from '../components/Field';
import { LangSwitch } from '../components/LangSwitch';
import { useI18n } from '../i18n/context';
import { isValidDisplayName, isValidPhone, normalizePhone } from '../lib/format';
import type { EndReason } from '../state/session';

interface AuthProps {
  onSession(tokens: TokenResponse): Promise<void> | void;
  /** Why the last session ended, to say so above the form. */
  ended: EndReason | null;
  /** A station's check-in link was opened: it completes after login. */
  checkinPending?: boolean;
}

export function AuthScreens(props: AuthProps) {
  const [view, setView] = useState<'login' | 'register'>('login');
  const { t } = useI18n();
  return (
    <main class="auth">
      <header class="auth-head">
        <img src="/icons/icon-192.png" width={72} height={72} alt="" />
        <h1 data-testid="app-title">{t('app_name')}</h1>
        <p class="muted">{t('app_tagline')}</p>
      </header>
      {props.checkinPending ? (
        <p class="notice" role="status" data-testid="notice-checkin">
          {t('checkin_login_first')}
        </p>
      ) : null}
      {view === 'login' ? (
        <Login {...props} onRegister={() => setView('register')} />
      ) : (
        <Register onSession={props.onSession} onLogin={() => setView('login')} />
      )}
      <LangSwitch />
    </main>
  );
}

function FormError({ problem, testid }: { problem: Problem | null; testid: string }) {
  const { t } = useI18n();
  if (!problem) return null;
  return (
    <p class="form-error" role="alert" data-testid={testid} data-code={problem.code}>
      {problemMessage(problem, t)}
    </p>
  );
}

function Login({ onSession, ended, onRegister }: AuthProps & { onRegister(): void }) {
  const { t } = useI18n();
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = async (e: Event) => {
    e.preventDefault();
    const p = normalizePhone(phone);
    const local: Record<string, string> = {};
    if (!isValidPhone(p)) local.phone = t('validation_phone');
    if (!password) local.password = t('validation_required');
    setErrors(local);
    setProblem(null);
    if (Object.keys(local).length) return;
    setBusy(true);
    const r = await call(api.POST('/api/v1/auth/login', { body: { phone: p, password } }));
    if (r.ok) {
      await onSession(r.data);
      return; // this screen goes away
    }
    setBusy(false);
    setProblem(r.problem);
    setErrors(fieldMessages(r.problem, t));
  };

  return (
    <form class="card form" onSubmit={submit} noValidate data-testid="login-form">
      <h2>{t('login_title')}</h2>
      {ended === 'deleted' ? (
        <p class="notice" role="status" data-testid="notice-deleted">
          {t('login_account_deleted')}
        </p>
      ) : ended === 'expired' ? (
        <p class="notice" role="status" data-testid="notice-expired">
          {t('login_session_expired')}
        </p>
      ) : null}
      <Field
        form="login"
        field="phone"
        label={t('login_phone')}
        type="tel"
        inputMode="numeric"
        autoComplete="username"
        placeholder={t('phone_placeholder')}
        maxLength={13}
        value={phone}
        onInput={setPhone}
        error={errors.phone}
      />
      <Field
        form="login"
        field="password"
        label={t('login_password')}
        type="password"
        autoComplete="current-password"
        value={password}
        onInput={setPassword}
        error={errors.password}
      />
      <FormError problem={problem} testid="login-error" />
      <Button type="submit" busy={busy} busyLabel={t('login_submitting')} data-testid="login-submit">
        {t('login_submit')}
      </Button>
      <p class="switch-form">
        {t('login_no_account')}{' '}
        <button type="button" class="btn-link" onClick={onRegister} data-testid="goto-register">
          {t('login_goto_register')}
        </button>
      </p>
    </form>
  );
}

function Register({ onSession, onLogin }: Pick<AuthProps, 'onSession'> & { onLogin(): void }) {
  const { t } = useI18n();
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const submit = async (e: Event) => {
    e.preventDefault();
    const p = normalizePhone(phone);
    const local: Record<string, string> = {};
    if (!isValidPhone(p)) local.phone = t('validation_phone');
    if ([...password].length < 8) local.password = t('validation_password_length');
    if (!isValidDisplayName(name)) local.display_name = t('validation_display_name');
    setErrors(local);
    setProblem(null);
    if (Object.keys(local).length) return;
    setBusy(true);
    const r = await call(
      api.POST('/api/v1/auth/register', { body: { phone: p, password, display_name: name.trim() } }),
    );
    if (r.ok) {
      await onSession(r.data);
      return;
    }
    setBusy(false);
    setProblem(r.problem);
    setErrors(fieldMessages(r.problem, t));
  };

  return (
    <form class="card form" onSubmit={submit} noValidate data-testid="register-form">
      <h2>{t('register_title')}</h2>
      <Field
        form="register"
        field="phone"
        label={t('login_phone')}
        type="tel"
        inputMode="numeric"
        autoComplete="username"
        placeholder={t('phone_placeholder')}
        maxLength={13}
        value={phone}
        onInput={setPhone}
        error={errors.phone}
      />
      <Field
        form="register"
        field="password"
        label={t('login_password')}
        type="password"
        autoComplete="new-password"
        hint={t('register_password_hint')}
        value={password}
        onInput={setPassword}
        error={errors.password}
      />
      <Field
        form="register"
        field="display_name"
        label={t('register_display_name')}
        type="text"
        autoComplete="nickname"
        maxLength={40}
        value={name}
        onInput={setName}
        error={errors.display_name}
      />
      <FormError problem={problem} testid="register-error" />
      <Button type="submit" busy={busy} busyLabel={t('register_submitting')} data-testid="register-submit">
        {t('register_submit')}
      </Button>
      <p class="switch-form">
        {t('register_have_account')}{' '}
        <button type="button" class="btn-link" onClick={onLogin} data-testid="goto-login">
          {t('register_goto_login')}
        </button>
      </p>
    </form>
  );
}
