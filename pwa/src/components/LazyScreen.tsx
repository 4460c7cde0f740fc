// Screens loaded on demand (route-level code splitting): the rider's first load carries only
// the stations tab; the other tabs, the operator console and the dashboard come as chunks the
// service worker has precached, so they open offline too.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/context';
import { Button } from './Button';

export interface Lazy<P> {
  (props: P): preact.JSX.Element;
  /** Starts loading the chunk (e.g. when the screen is about to be needed). */
  preload(): Promise<ComponentType<P>>;
}

export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>, testid = 'screen-loading'): Lazy<P> {
  let loaded: ComponentType<P> | null = null;
  let loading: Promise<ComponentType<P>> | null = null;
  const preload = () =>
    (loading ??= load().then(
      (c) => (loaded = c),
      (e: unknown) => {
        loading = null; // a later attempt may succeed (the network came back)
        throw e;
      },
    ));

  function LazyScreen(props: P) {
    const { t } = useI18n();
    const [Screen, setScreen] = useState<ComponentType<P> | null>(() => loaded);
    const [failed, setFailed] = useState(false);
    const [attempt, setAttempt] = useState(0);
    useEffect(() => {
      if (Screen) return;
      let live = true;
      setFailed(false);
      preload().then(
        (c) => live && setScreen(() => c),
        () => live && setFailed(true),
      );
      return () => {
        live = false;
      };
    }, [attempt]);
    if (Screen) return <Screen {...props} />;
    if (failed) {
      return (
        <section class="card center stack" role="alert" data-testid="screen-failed">
          <p>{t('screen_failed')}</p>
          <Button variant="secondary" onClick={() => setAttempt((n) => n + 1)}>
            {t('retry')}
          </Button>
        </section>
      );
    }
    return (
      <p class="card center" role="status" aria-busy="true" data-testid={testid}>
        <span class="spinner spinner-big" aria-hidden="true" />
        <br />
        {t('loading')}
      </p>
    );
  }
  LazyScreen.preload = preload;
  return LazyScreen;
}
