// Getting the operator's attention for a new help request: a short beep made with WebAudio (no
// sound file to download) and a system notification, whose permission is asked once: a "no",
// the browser's or ours, is remembered and never asked again.
import type { KeyValueStore } from './storage';

type AudioCtor = typeof AudioContext;
let ctx: AudioContext | null = null;

const audioClass = (): AudioCtor | null =>
  (globalThis as { AudioContext?: AudioCtor; webkitAudioContext?: AudioCtor }).AudioContext ??
  (globalThis as { webkitAudioContext?: AudioCtor }).webkitAudioContext ??
  null;

/** Browsers keep sound off until the person touches the page: make (or wake) the audio then. */
export function primeAudio(): void {
  const A = audioClass();
  if (!A) return;
  try {
    ctx ??= new A();
    if (ctx.state === 'suspended') void ctx.resume().catch(() => {});
  } catch {
    ctx = null;
  }
}

/** Two short tones (880 Hz); false where the browser has no WebAudio. */
export function beep(): boolean {
  primeAudio();
  if (!ctx) return false;
  try {
    const start = ctx.currentTime + 0.01;
    for (const [at, len] of [
      [0, 0.15],
      [0.22, 0.15],
    ] as const) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'sine';
      osc.frequency.value = 880;
      gain.gain.setValueAtTime(0.0001, start + at);
      gain.gain.exponentialRampToValueAtTime(0.4, start + at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, start + at + len);
      osc.connect(gain).connect(ctx.destination);
      osc.start(start + at);
      osc.stop(start + at + len + 0.02);
    }
    return true;
  } catch {
    return false;
  }
}

const NOTIFY_KEY = 'warmnew.notify.answer';

export type NotifyState = 'unsupported' | 'ask' | 'granted' | 'denied';

const notificationClass = (): typeof Notification | null => (typeof Notification === 'undefined' ? null : Notification);

/** Whether to offer notifications: only while neither the browser nor the operator said no. */
export function notifyState(store: KeyValueStore): NotifyState {
  const N = notificationClass();
  if (!N) return 'unsupported';
  if (N.permission === 'granted') return 'granted';
  if (N.permission === 'denied') return 'denied';
  return store.getItem(NOTIFY_KEY) ? 'denied' : 'ask';
}

/** Asks the browser (call from a tap); the answer is kept whatever it is. */
export async function askNotify(store: KeyValueStore): Promise<NotifyState> {
  const N = notificationClass();
  if (!N) return 'unsupported';
  let answer: NotificationPermission = 'denied';
  try {
    answer = await N.requestPermission();
  } catch {
    /* an old browser: treated as no */
  }
  store.setItem(NOTIFY_KEY, answer);
  return answer === 'granted' ? 'granted' : 'denied';
}

/** The operator said "no thanks" here: never ask again on this device. */
export const declineNotify = (store: KeyValueStore): void => store.setItem(NOTIFY_KEY, 'declined');

/**
 * Shows a notification where permitted. Android's Chrome only allows them from the service
 * worker; elsewhere (or without one) the page's own Notification is used.
 */
export async function notify(title: string, body: string, tag: string, onClick: () => void): Promise<boolean> {
  const N = notificationClass();
  if (!N || N.permission !== 'granted') return false;
  const options: NotificationOptions = { body, tag, icon: '/icons/icon-192.png' };
  try {
    const reg = await navigator.serviceWorker?.getRegistration?.();
    if (reg) {
      await reg.showNotification(title, options);
      return true;
    }
  } catch {
    /* fall back to the page's notification */
  }
  try {
    const n = new N(title, options);
    n.onclick = () => {
      window.focus();
      onClick();
      n.close();
    };
    return true;
  } catch {
    return false;
  }
}
