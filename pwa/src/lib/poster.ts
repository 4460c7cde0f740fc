// The station's printable poster: fetched with the operator's token (a plain link could not
// send it), shown from a blob URL in a new tab, and printed there. Where the browser blocks
// the tab, it is printed from a hidden frame on this page instead.
import type { Problem } from '../api/problem';
import { fetchPoster } from '../api/serviceLogs';

const READY_POLL_MS = 100;
const READY_GIVE_UP_MS = 15_000;
/** The blob is kept a while so the tab can be reloaded or printed again. */
const URL_KEEP_MS = 10 * 60 * 1000;

/** Calls print() once `win` shows `url` fully loaded (its load event is not ours to listen to). */
function printWhenLoaded(win: Window, url: string): void {
  const started = Date.now();
  const check = () => {
    let ready = false;
    try {
      ready = win.location.href === url && win.document.readyState === 'complete';
    } catch {
      return; // closed or no longer ours
    }
    if (ready) {
      win.focus();
      win.print();
    } else if (!win.closed && Date.now() - started < READY_GIVE_UP_MS) setTimeout(check, READY_POLL_MS);
  };
  check();
}

function printInFrame(url: string): void {
  const frame = document.createElement('iframe');
  frame.setAttribute('aria-hidden', 'true');
  frame.style.cssText = 'position:fixed;right:0;bottom:0;width:0;height:0;border:0;';
  frame.onload = () => frame.contentWindow?.print();
  frame.src = url;
  document.body.appendChild(frame);
  setTimeout(() => frame.remove(), URL_KEEP_MS);
}

/**
 * Opens and prints the poster. Call it from the click itself: the tab is opened at once (a
 * tab opened after an await is blocked as a pop-up). `blocked` when it printed in a frame.
 */
export async function openPoster(stationId: string): Promise<{ ok: true; blocked: boolean } | { ok: false; problem: Problem }> {
  const win = window.open('', '_blank');
  const r = await fetchPoster(stationId);
  if (!r.ok) {
    win?.close();
    return r;
  }
  const url = URL.createObjectURL(new Blob([r.html], { type: 'text/html;charset=utf-8' }));
  setTimeout(() => URL.revokeObjectURL(url), URL_KEEP_MS);
  if (win && !win.closed) {
    win.location.href = url;
    printWhenLoaded(win, url);
    return { ok: true, blocked: false };
  }
  printInFrame(url);
  return { ok: true, blocked: true };
}
