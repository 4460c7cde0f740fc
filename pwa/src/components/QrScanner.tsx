// The camera reading a QR code where the browser can (BarcodeDetector); elsewhere the code is
// typed. Shared by station check-in and points redemption: each screen parses what is read.
import { useEffect, useRef, useState } from 'preact/hooks';
import { Button } from './Button';
import { useI18n } from '../i18n/context';

interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
interface BarcodeDetectorClass {
  new (options?: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats?(): Promise<string[]>;
}

const detectorClass = (): BarcodeDetectorClass | null =>
  (globalThis as unknown as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector ?? null;

/** True where the camera can be used to read a QR code. */
export async function canScanQr(): Promise<boolean> {
  const D = detectorClass();
  if (!D || !navigator.mediaDevices?.getUserMedia) return false;
  try {
    return ((await D.getSupportedFormats?.()) ?? ['qr_code']).includes('qr_code');
  } catch {
    return false;
  }
}

interface QrScannerProps {
  /** What to point the camera at: shown under the view and its accessible name. */
  aim: string;
  /** Shown instead of the view when the camera cannot be used. */
  failText: string;
  /** Called with the first QR read; scanning then stops. */
  onText(text: string): void;
  onClose(): void;
  testid: string;
  errorTestid?: string;
  closeTestid?: string;
}

/** The camera view; calls onText with the first QR it reads. */
export function QrScanner({ aim, failText, onText, onClose, testid, errorTestid, closeTestid }: QrScannerProps) {
  const { t } = useI18n();
  const video = useRef<HTMLVideoElement>(null);
  const [failed, setFailed] = useState(false);
  const [starting, setStarting] = useState(true);

  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    void (async () => {
      try {
        const D = detectorClass();
        if (!D) throw new Error('no detector');
        const detector = new D({ formats: ['qr_code'] });
        stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: { ideal: 'environment' } }, audio: false });
        if (!live || !video.current) return;
        video.current.srcObject = stream;
        await video.current.play();
        setStarting(false);
        const tick = async () => {
          if (!live || !video.current) return;
          try {
            const text = (await detector.detect(video.current))[0]?.rawValue;
            if (text) return onText(text);
          } catch {
            /* an unreadable frame: try the next */
          }
          timer = setTimeout(() => void tick(), 250);
        };
        void tick();
      } catch {
        if (live) {
          setStarting(false);
          setFailed(true);
        }
      }
    })();
    return () => {
      live = false;
      clearTimeout(timer);
      stream?.getTracks().forEach((tr) => tr.stop());
    };
  }, []);

  return (
    <div class="scanner" data-testid={testid}>
      {starting ? (
        <p class="progress-line" role="status" aria-busy="true">
          <span class="spinner" aria-hidden="true" />
          {t('scan_starting')}
        </p>
      ) : null}
      {failed ? (
        <p class="form-error" role="alert" data-testid={errorTestid}>
          {failText}
        </p>
      ) : (
        <video ref={video} class="scanner-video" playsInline muted aria-label={aim} />
      )}
      <p class="muted">{aim}</p>
      <Button variant="secondary" onClick={onClose} data-testid={closeTestid}>
        {t('scan_stop')}
      </Button>
    </div>
  );
}
