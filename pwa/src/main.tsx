import { render } from 'preact';
import { App } from './app';
import './styles.css';

/** The built page preloads the app's stylesheet instead of blocking on it (vite.config.ts):
 * apply it, and render once it is in, so the splash gives way to a styled screen. */
function applyStyles(): Promise<void> {
  const preloads = [...document.querySelectorAll<HTMLLinkElement>('link[rel="preload"][as="style"]')];
  return Promise.all(
    preloads.map(
      (p) =>
        new Promise<void>((done) => {
          const link = document.createElement('link');
          link.rel = 'stylesheet';
          link.href = p.href;
          if (p.crossOrigin !== null) link.crossOrigin = p.crossOrigin;
          link.onload = link.onerror = () => done();
          document.head.appendChild(link);
        }),
    ),
  ).then(() => undefined);
}

const root = document.getElementById('app');
if (root) {
  void applyStyles().then(() => {
    root.textContent = ''; // the splash
    render(<App />, root);
  });
}
