import { useEffect, useState } from 'preact/hooks';
import { api, call, session } from '../api/client';
import { fieldMessages, problemMessage, type Problem } from '../api/problem';
import type { Region, User } from '../api/types';
import { Button } from '../components/Button';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Field } from '../components/Field';
import { LangSwitch } from '../components/LangSwitch';
import { useI18n } from '../i18n/context';
import { downloadText } from '../lib/download';
import { exportFileName, formatDate, isValidDisplayName, maskPhone, roleKey } from '../lib/format';

/** The region's name in the current language (regions are cached by the service worker);
 * the bare code when the list cannot be had, null while it loads. */
function useRegionName(code: string | null | undefined): string | null {
  const { locale } = useI18n();
  const [region, setRegion] = useState<Region | 'unknown' | null>(null);
  useEffect(() => {
    setRegion(null);
    if (!code) return;
    let live = true;
    void call(api.GET('/api/v1/regions')).then((r) => {
      if (live) setRegion((r.ok && r.data.items.find((i) => i.code === code)) || 'unknown');
    });
    return () => {
      live = false;
    };
  }, [code]);
  if (!code || region === null) return null;
  if (region === 'unknown') return code;
  return locale === 'en' && region.name_en ? region.name_en : region.name_zh;
}

function DisplayName({ user }: { user: User }) {
  const { t } = useI18n();
  const [editing, setEditing] = useState(false);
  const [value, setValue] = useState(user.display_name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);

  const save = async (e: Event) => {
    e.preventDefault();
    if (!isValidDisplayName(value)) {
      setError(t('validation_display_name'));
      return;
    }
    setBusy(true);
    setError(undefined);
    const r = await call(api.PATCH('/api/v1/me', { body: { display_name: value.trim() } }));
    setBusy(false);
    if (r.ok) {
      session.setUser(r.data);
      setEditing(false);
      setSaved(true);
    } else {
      setError(fieldMessages(r.problem, t).display_name ?? problemMessage(r.problem, t));
    }
  };

  if (!editing) {
    return (
      <div class="row">
        <dt>{t('profile_display_name')}</dt>
        <dd>
          <span data-testid="profile-display-name">{user.display_name}</span>
          {saved ? (
            <span class="saved" role="status">
              {' '}
              ✓ {t('profile_saved')}
            </span>
          ) : null}
        </dd>
        <button
          type="button"
          class="btn btn-secondary btn-small"
          data-testid="edit-name"
          onClick={() => {
            setValue(user.display_name);
            setSaved(false);
            setEditing(true);
          }}
        >
          {t('profile_edit')}
        </button>
      </div>
    );
  }
  return (
    <form class="row-edit" onSubmit={save} noValidate data-testid="name-form">
      <Field
        form="profile"
        field="display_name"
        label={t('profile_display_name')}
        type="text"
        maxLength={40}
        autoComplete="nickname"
        value={value}
        onInput={setValue}
        error={error}
      />
      <div class="actions">
        <button type="button" class="btn btn-secondary" disabled={busy} onClick={() => setEditing(false)}>
          {t('profile_cancel')}
        </button>
        <Button type="submit" busy={busy} busyLabel={t('profile_saving')} data-testid="save-name">
          {t('profile_save')}
        </Button>
      </div>
    </form>
  );
}

export function Profile({ user, onLogout }: { user: User; onLogout(): Promise<void> }) {
  const { t, locale } = useI18n();
  const region = useRegionName(user.region_code);
  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState(false);
  const [loggingOut, setLoggingOut] = useState(false);
  const [endingAll, setEndingAll] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [deleteProblem, setDeleteProblem] = useState<Problem | null>(null);

  const exportData = async () => {
    setExporting(true);
    setProblem(null);
    const r = await call(api.GET('/api/v1/me/export', { parseAs: 'text' }));
    setExporting(false);
    if (!r.ok) return setProblem(r.problem);
    downloadText(r.data as string, exportFileName(new Date()));
    setExported(true);
  };

  // Ends every session, this one included; only a failure keeps the rider here.
  const logoutAll = async () => {
    setEndingAll(true);
    setProblem(null);
    const r = await call(api.POST('/api/v1/auth/logout-all'));
    if (r.ok) {
      history.replaceState(null, '', '/');
      session.end('logout');
      return;
    }
    setEndingAll(false);
    setProblem(r.problem);
  };

  const deleteAccount = async () => {
    setDeleting(true);
    setDeleteProblem(null);
    const r = await call(api.DELETE('/api/v1/me'));
    if (r.ok) {
      session.end('deleted');
      return;
    }
    setDeleting(false);
    setDeleteProblem(r.problem);
  };

  return (
    <section class="profile" data-testid="profile">
      <dl class="card rows">
        <DisplayName user={user} />
        <div class="row">
          <dt>{t('profile_phone')}</dt>
          <dd data-testid="profile-phone">{user.phone_masked || maskPhone(user.phone)}</dd>
        </div>
        <div class="row">
          <dt>{t('profile_role')}</dt>
          <dd data-testid="profile-role" data-role={user.role}>
            {t(roleKey(user.role))}
          </dd>
        </div>
        {user.region_code ? (
          <div class="row">
            <dt>{t('profile_region')}</dt>
            <dd data-testid="profile-region" aria-busy={region === null}>
              {region ?? t('loading')}
            </dd>
          </div>
        ) : null}
        <div class="row">
          <dt>{t('profile_since')}</dt>
          <dd>{formatDate(user.created_at, locale)}</dd>
        </div>
      </dl>

      <div class="card">
        <LangSwitch />
      </div>

      <div class="card stack">
        <Button variant="secondary" busy={exporting} busyLabel={t('exporting')} data-testid="export-data" onClick={exportData}>
          {t('export_data')}
        </Button>
        {exported ? (
          <p class="muted small" role="status" data-testid="export-done">
            {t('export_done')}
          </p>
        ) : null}
        {problem ? (
          <p class="form-error" role="alert" data-code={problem.code}>
            {problemMessage(problem, t)}
          </p>
        ) : null}
        <Button
          variant="secondary"
          busy={loggingOut}
          busyLabel={t('logging_out')}
          data-testid="logout"
          onClick={async () => {
            setLoggingOut(true);
            await onLogout();
          }}
        >
          {t('logout')}
        </Button>
        <Button
          variant="secondary"
          busy={endingAll}
          busyLabel={t('logging_out')}
          data-testid="logout-all"
          onClick={logoutAll}
        >
          {t('logout_all')}
        </Button>
        <p class="muted small">{t('logout_all_hint')}</p>
        <Button variant="danger" data-testid="delete-account" onClick={() => setConfirming(true)}>
          {t('delete_account')}
        </Button>
      </div>

      {confirming ? (
        <ConfirmDialog
          testid="delete-dialog"
          title={t('delete_confirm_title')}
          body={t('delete_confirm_body')}
          confirmLabel={t('delete_confirm')}
          busyLabel={t('deleting')}
          cancelLabel={t('cancel')}
          busy={deleting}
          error={deleteProblem ? problemMessage(deleteProblem, t) : undefined}
          onConfirm={deleteAccount}
          onCancel={() => {
            setConfirming(false);
            setDeleteProblem(null);
          }}
        />
      ) : null}
    </section>
  );
}
