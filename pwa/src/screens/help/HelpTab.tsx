// The rider's 求助 tab: `#/help` (SOS, the outbox, my requests), `#/help/sos` (emergency calls
// first, then the SOS request), `#/help/new` (the form) and
// `#/help/{id}` (one request). Lists and details follow the live event stream. Without an
// account the form can be filled; sending asks for login and files it right after.
import '../../i18n/help';
import '../../i18n/operator';
import { useEffect, useRef } from 'preact/hooks';
import type { NewHelpRequest } from '../../api/help';
import { Button } from '../../components/Button';
import { useI18n } from '../../i18n/context';
import { loginGate, useResume } from '../../lib/loginGate';
import type { GuestTabProps } from '../tabs';
import { HelpHome } from './HelpHome';
import { NewRequest } from './NewRequest';
import { RequestDetail } from './RequestDetail';
import { HelpActionBar, SosScreen } from './SosScreen';
import { helpOutbox } from './store';

export function HelpTab({ user, sub, navigate }: GuestTabProps) {
  const top = useRef(0);
  useEffect(() => {
    if (sub === null) window.scrollTo(0, top.current);
    else window.scrollTo(0, 0);
  }, [sub]);
  // A request sent before logging in goes into this rider's outbox now.
  useResume('help', user?.role === 'rider', ({ key, body }) => {
    if (!user) return;
    const box = helpOutbox(user.id);
    box.add(key, body as NewHelpRequest);
    void box.flush();
    navigate('#/help', true);
  });
  const open = (hash: string) => {
    top.current = window.scrollY;
    navigate(hash);
  };
  if (sub === 'new') return <NewRequest user={user} navigate={navigate} />;
  if (sub === 'sos') return <SosScreen user={user} navigate={navigate} />;
  if (!user) return <GuestHelpHome open={open} />;
  if (sub) return <RequestDetail user={user} id={sub} navigate={navigate} />;
  return <HelpHome user={user} open={open} />;
}

/** No account yet: SOS and "ask for help" work (they ask for login when sent); the list of
 * my requests needs one. */
function GuestHelpHome({ open }: { open(hash: string): void }) {
  const { t } = useI18n();
  return (
    <section class="hr" data-testid="help-home" data-guest="true">
      <HelpActionBar open={open} />
      <div class="card center stack" data-testid="hr-guest-mine">
        <h2>{t('hr_mine')}</h2>
        <p class="muted">{t('help_guest_mine')}</p>
        <Button variant="secondary" data-testid="hr-guest-login" onClick={() => loginGate.ask('login', {})}>
          {t('help_guest_login')}
        </Button>
      </div>
    </section>
  );
}
