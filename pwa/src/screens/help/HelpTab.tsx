// The rider's 求助 tab: `#/help` (SOS, the outbox, my requests), `#/help/new` (the form) and
// `#/help/{id}` (one request). Lists and details follow the live event stream.
import { useEffect, useRef } from 'preact/hooks';
import type { TabProps } from '../tabs';
import { HelpHome } from './HelpHome';
import { NewRequest } from './NewRequest';
import { RequestDetail } from './RequestDetail';

export function HelpTab({ user, sub, navigate }: TabProps) {
  const top = useRef(0);
  useEffect(() => {
    if (sub === null) window.scrollTo(0, top.current);
    else window.scrollTo(0, 0);
  }, [sub]);
  const open = (hash: string) => {
    top.current = window.scrollY;
    navigate(hash);
  };
  if (sub === 'new') return <NewRequest user={user} navigate={navigate} />;
  if (sub) return <RequestDetail user={user} id={sub} navigate={navigate} />;
  return <HelpHome user={user} open={open} navigate={navigate} />;
}
