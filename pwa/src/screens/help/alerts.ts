// The operator hears about a new help request wherever they are in the console: a beep and a
// system notification per request created (once each), and a "new" mark until it is opened.
import { useEffect, useRef, useState } from 'preact/hooks';
import { fetchHelpRequest } from '../../api/help';
import { useI18n } from '../../i18n/context';
import { beep, notify, primeAudio } from '../../lib/alarm';
import { useHelpLive } from './live';
import { label } from './parts';

export interface HelpAlerts {
  /** Requests that arrived while the console was open, until opened. */
  fresh: ReadonlySet<string>;
  /** How many times it rang (the console shows it as data-alerts). */
  rings: number;
  seen(id: string): void;
}

export function useHelpAlerts(onOpen: (id: string) => void): HelpAlerts {
  const { t } = useI18n();
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [rings, setRings] = useState(0);
  const rung = useRef(new Set<string>());
  const latest = useRef({ t, onOpen });
  latest.current = { t, onOpen };

  // Sound may only start after a touch: wake the audio on the first one.
  useEffect(() => {
    const prime = () => primeAudio();
    window.addEventListener('pointerdown', prime, { once: true, capture: true });
    window.addEventListener('keydown', prime, { once: true, capture: true });
    return () => {
      window.removeEventListener('pointerdown', prime, { capture: true });
      window.removeEventListener('keydown', prime, { capture: true });
    };
  }, []);

  useHelpLive({
    onEvent: (e) => {
      if (e.kind !== 'created' || rung.current.has(e.request_id)) return;
      rung.current.add(e.request_id);
      setFresh((s) => new Set(s).add(e.request_id));
      setRings((n) => n + 1);
      beep();
      void fetchHelpRequest(e.request_id).then((r) => {
        const { t: tr, onOpen: open } = latest.current;
        const category = r.ok ? label(tr, 'hr_cat_', r.data.category) : '';
        const urgency = r.ok ? label(tr, 'hr_urgency_', r.data.urgency) : '';
        void notify(tr('al_notify_title', { category }), tr('al_notify_body', { urgency }), `help-${e.request_id}`, () => open(e.request_id));
      });
    },
  });

  const seen = (id: string) =>
    setFresh((s) => {
      if (!s.has(id)) return s;
      const next = new Set(s);
      next.delete(id);
      return next;
    });
  return { fresh, rings, seen };
}
