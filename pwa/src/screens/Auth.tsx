import { useEffect, useRef, useState } from 'preact/hooks';
import { api, call, type Result } from '../api/client';
import { fieldMessages, problemMessage, type Problem } from '../api/problem';
import type { TokenResponse } from '../api/types';
import { Button } from '../components/Button';
import { Field } from '../components/Field';
import { LangSwitch } from '../components/LangSwitch';
import { useI18n } from '../i18n/context';
import { isValidDisplayName, isValidPhone, maskPhone, normalizePhone } from '../lib/format';
import type { EndReason } from '../state/session';

interface AuthProps {
  onSession(tokens: TokenResponse): Promise<void> | void;
  /** Why the last session ended, to say so above the form. */
  ended: EndReason | null;
  /** A station's check-in link was opened: it completes after login. */
  checkinPending?: boolean;
}

export function AuthScreens(props: AuthProps) {
  const [view, setView] = useState<'login' | 'register' | 'reset'>('login');
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
        <Login {...props} onRegister={() => setView('register')} onReset={() => setView('reset')} />
      ) : view === 'reset' ? (
        <Reset onSession={props.onSession} onLogin={() => setView('login')} />
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

/** State of a form that ends in a token pair: busy, the server's problem and per-field
 * messages, and `submit(local, send)` — local checks first, then the request; a success hands
 * the tokens on (this screen then goes away), a failure shows the server's words. */
function useTokenForm(onSession: AuthProps['onSession']) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = async (local: Record<string, string>, send: () => Promise<Result<TokenResponse>>) => {
    setErrors(local);
    setProblem(null);
    if (Object.keys(local).length) return;
    setBusy(true);
    const r = await send();
    if (r.ok) {
      await onSession(r.data);
      return;
    }
    setBusy(false);
    setProblem(r.problem);
    setErrors(fieldMessages(r.problem, t));
  };
  return { busy, problem, errors, setProblem, setErrors, submit };
}

function PhoneField(props: { form: string; value: string; onInput(v: string): void; error?: string }) {
  const { t } = useI18n();
  return (
    <Field
      form={props.form}
      field="phone"
      label={t('login_phone')}
      type="tel"
      inputMode="numeric"
      autoComplete="username"
      placeholder={t('phone_placeholder')}
      maxLength={13}
      value={props.value}
      onInput={props.onInput}
      error={props.error}
    />
  );
}

type Purpose = 'login' | 'reset_password';

/** Asks the server to text a code; counts down until another may be asked (the server's
 * `resend_after`, or its Retry-After when it refused). */
function useCodeSender(purpose: Purpose) {
  const [left, setLeft] = useState(0);
  const [sending, setSending] = useState(false);
  const [sentTo, setSentTo] = useState<string | null>(null);
  useEffect(() => {
    if (left <= 0) return;
    const id = setTimeout(() => setLeft((s) => s - 1), 1000);
    return () => clearTimeout(id);
  }, [left]);
  const send = async (phone: string): Promise<Problem | null> => {
    setSending(true);
    const r = await call(api.POST('/api/v1/auth/codes', { body: { phone, purpose } }));
    setSending(false);
    if (r.ok) {
      setSentTo(phone);
      setLeft(r.data.resend_after);
      return null;
    }
    if (r.problem.retryAfter && (r.problem.code === 'rate_limited' || r.problem.code === 'sms_unavailable')) {
      setLeft(Math.min(r.problem.retryAfter, 3600));
    }
    return r.problem;
  };
  return { left, sending, sentTo, send };
}

const isCode = (code: string) => /^\d{6}$/.test(code.trim());

/** Phone, 获取验证码 with its countdown, and the 6-digit code: shared by code login and reset. */
function CodeFields(props: {
  form: string;
  purpose: Purpose;
  phone: string;
  setPhone(v: string): void;
  code: string;
  setCode(v: string): void;
  errors: Record<string, string>;
  setErrors(e: Record<string, string>): void;
  setProblem(p: Problem | null): void;
}) {
  const { t } = useI18n();
  const { form, phone, setPhone, code, setCode, errors, setErrors, setProblem } = props;
  const sender = useCodeSender(props.purpose);
  const codeInput = useRef<HTMLDivElement>(null);
  const ask = async () => {
    const p = normalizePhone(phone);
    setProblem(null);
    if (!isValidPhone(p)) {
      setErrors({ phone: t('validation_phone') });
      return;
    }
    setErrors({});
    const problem = await sender.send(p);
    if (problem) {
      setProblem(problem);
      setErrors(fieldMessages(problem, t));
      return;
    }
    codeInput.current?.querySelector('input')?.focus();
  };
  return (
    <>
      <PhoneField form={form} value={phone} onInput={setPhone} error={errors.phone} />
      <Button
        variant="secondary"
        busy={sender.sending}
        busyLabel={t('code_sending')}
        disabled={sender.left > 0}
        onClick={ask}
        data-testid={`${form}-send-code`}
        style={{ width: '100%', marginBottom: '0.6rem' }}
      >
        {sender.left > 0
          ? t('code_resend_in', { seconds: sender.left })
          : sender.sentTo
            ? t('code_resend')
            : t('code_send')}
      </Button>
      {sender.sentTo ? (
        <p class="notice" role="status" data-testid={`${form}-code-sent`}>
          {t('code_sent_to', { phone: maskPhone(sender.sentTo) })}
        </p>
      ) : null}
      <div ref={codeInput}>
        <Field
          form={form}
          field="code"
          label={t('code_label')}
          type="text"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9]*"
          maxLength={6}
          placeholder={t('code_placeholder')}
          value={code}
          onInput={(v) => setCode(v.replace(/\D/g, '').slice(0, 6))}
          error={errors.code}
        />
      </div>
    </>
  );
}

function Login({ onSession, ended, onRegister, onReset }: AuthProps & { onRegister(): void; onReset(): void }) {
  const { t } = useI18n();
  const [mode, setMode] = useState<'code' | 'password'>('code');
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const { busy, problem, errors, setProblem, setErrors, submit } = useTokenForm(onSession);

  const submitPassword = (e: Event) => {
    e.preventDefault();
    const p = normalizePhone(phone);
    const local: Record<string, string> = {};
    if (!isValidPhone(p)) local.phone = t('validation_phone');
    if (!password) local.password = t('validation_required');
    return submit(local, () => call(api.POST('/api/v1/auth/login', { body: { phone: p, password } })));
  };

  const submitCode = (e: Event) => {
    e.preventDefault();
    const p = normalizePhone(phone);
    const local: Record<string, string> = {};
    if (!isValidPhone(p)) local.phone = t('validation_phone');
    if (!isCode(code)) local.code = t('validation_code');
    return submit(local, () => call(api.POST('/api/v1/auth/login/code', { body: { phone: p, code: code.trim() } })));
  };

  const switchTo = (next: 'code' | 'password') => {
    setMode(next);
    setProblem(null);
    setErrors({});
  };

  const notices =
    ended === 'deleted' ? (
      <p class="notice" role="status" data-testid="notice-deleted">
        {t('login_account_deleted')}
      </p>
    ) : ended === 'expired' ? (
      <p class="notice" role="status" data-testid="notice-expired">
        {t('login_session_expired')}
      </p>
    ) : null;

  const links = (
    <>
      <p class="switch-form">
        {mode === 'code' ? (
          <button type="button" class="btn-link" onClick={() => switchTo('password')} data-testid="login-use-password">
            {t('login_use_password')}
          </button>
        ) : (
          <button type="button" class="btn-link" onClick={() => switchTo('code')} data-testid="login-use-code">
            {t('login_use_code')}
          </button>
        )}
        {' · '}
        <button type="button" class="btn-link" onClick={onReset} data-testid="goto-reset">
          {t('login_forgot_password')}
        </button>
      </p>
      <p class="switch-form">
        {t('login_no_account')}{' '}
        <button type="button" class="btn-link" onClick={onRegister} data-testid="goto-register">
          {t('login_goto_register')}
        </button>
      </p>
    </>
  );

  if (mode === 'code') {
    return (
      <form class="card form" onSubmit={submitCode} noValidate data-testid="login-form" data-mode="code">
        <h2>{t('login_title')}</h2>
        {notices}
        <CodeFields
          form="login"
          purpose="login"
          phone={phone}
          setPhone={setPhone}
          code={code}
          setCode={setCode}
          errors={errors}
          setErrors={setErrors}
          setProblem={setProblem}
        />
        <p class="field-hint">{t('login_code_hint')}</p>
        <FormError problem={problem} testid="login-error" />
        <Button type="submit" busy={busy} busyLabel={t('login_submitting')} data-testid="login-submit">
          {t('login_submit')}
        </Button>
        {links}
      </form>
    );
  }

  return (
    <form class="card form" onSubmit={submitPassword} noValidate data-testid="login-form" data-mode="password">
      <h2>{t('login_title')}</h2>
      {notices}
      <PhoneField form="login" value={phone} onInput={setPhone} error={errors.phone} />
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
      {links}
    </form>
  );
}

/** Forgot password: a code by SMS, then a new password; signs in (other sessions end). */
function Reset({ onSession, onLogin }: Pick<AuthProps, 'onSession'> & { onLogin(): void }) {
  const { t } = useI18n();
  const [phone, setPhone] = useState('');
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const { busy, problem, errors, setProblem, setErrors, submit: send } = useTokenForm(onSession);

  const submit = (e: Event) => {
    e.preventDefault();
    const p = normalizePhone(phone);
    const local: Record<string, string> = {};
    if (!isValidPhone(p)) local.phone = t('validation_phone');
    if (!isCode(code)) local.code = t('validation_code');
    if ([...password].length < 8) local.new_password = t('validation_password_length');
    return send(local, () =>
      call(api.POST('/api/v1/auth/password-reset', { body: { phone: p, code: code.trim(), new_password: password } })),
    );
  };

  return (
    <form class="card form" onSubmit={submit} noValidate data-testid="reset-form">
      <h2>{t('reset_title')}</h2>
      <p class="muted">{t('reset_intro')}</p>
      <CodeFields
        form="reset"
        purpose="reset_password"
        phone={phone}
        setPhone={setPhone}
        code={code}
        setCode={setCode}
        errors={errors}
        setErrors={setErrors}
        setProblem={setProblem}
      />
      <Field
        form="reset"
        field="new_password"
        label={t('reset_new_password')}
        type="password"
        autoComplete="new-password"
        hint={t('register_password_hint')}
        value={password}
        onInput={setPassword}
        error={errors.new_password}
      />
      <FormError problem={problem} testid="reset-error" />
      <Button type="submit" busy={busy} busyLabel={t('reset_submitting')} data-testid="reset-submit">
        {t('reset_submit')}
      </Button>
      <p class="switch-form">
        <button type="button" class="btn-link" onClick={onLogin} data-testid="reset-goto-login">
          {t('reset_back_to_login')}
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
  const { busy, problem, errors, submit: send } = useTokenForm(onSession);

  const submit = (e: Event) => {
    e.preventDefault();
    const p = normalizePhone(phone);
    const local: Record<string, string> = {};
    if (!isValidPhone(p)) local.phone = t('validation_phone');
    if ([...password].length < 8) local.password = t('validation_password_length');
    if (!isValidDisplayName(name)) local.display_name = t('validation_display_name');
    return send(local, () =>
      call(api.POST('/api/v1/auth/register', { body: { phone: p, password, display_name: name.trim() } })),
    );
  };

  return (
    <form class="card form" onSubmit={submit} noValidate data-testid="register-form">
      <h2>{t('register_title')}</h2>
      <PhoneField form="register" value={phone} onInput={setPhone} error={errors.phone} />
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
