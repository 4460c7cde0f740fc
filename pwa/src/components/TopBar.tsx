import { useI18n } from '../i18n/context';
import { ToastHost } from './Toast';

/** The app bar: the app's name and the screen's title; toasts appear inside it (Toast.tsx). */
export function TopBar({ title }: { title: string }) {
  const { t } = useI18n();
  return (
    <header class="topbar">
      <img src="/icons/favicon-64.png" width={32} height={32} alt="" />
      <div>
        <div class="topbar-app">{t('app_name')}</div>
        <h1 class="topbar-title" data-testid="page-title">
          {title}
        </h1>
      </div>
      <ToastHost />
    </header>
  );
}
