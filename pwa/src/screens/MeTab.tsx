// The rider's 我的 tab (a chunk of its own): points, rewards, history and the account when
// logged in; without an account, the star-rider list and a login button.
import '../i18n/help';
import '../i18n/learn';
import '../i18n/operator';
import type { User } from '../api/types';
import { Button } from '../components/Button';
import { LangSwitch } from '../components/LangSwitch';
import { MeIcon } from '../components/Icons';
import { useI18n } from '../i18n/context';
import { loginGate } from '../lib/loginGate';
import { MyPoints } from './points/MyPoints';
import { StarRiders } from './points/StarRiders';
import { Profile } from './Profile';
import type { TabProps } from './tabs';

export function MeTab({ user, sub, navigate, onLogout }: Omit<TabProps, 'user'> & { user: User | null; onLogout(): Promise<void> }) {
  if (!user) return <GuestMe />;
  return (
    <>
      <MyPoints user={user} sub={sub} navigate={navigate} />
      <Profile user={user} onLogout={onLogout} />
    </>
  );
}

function GuestMe() {
  const { t } = useI18n();
  return (
    <section class="profile" data-testid="me-guest">
      <div class="card center stack">
        <div class="placeholder-icon">
          <MeIcon size={40} />
        </div>
        <h2>{t('me_guest_title')}</h2>
        <p class="muted">{t('me_guest_body')}</p>
        <Button data-testid="me-login" onClick={() => loginGate.ask('login', {})}>
          {t('me_login')}
        </Button>
      </div>
      <StarRiders guest />
      <div class="card">
        <LangSwitch />
      </div>
    </section>
  );
}
