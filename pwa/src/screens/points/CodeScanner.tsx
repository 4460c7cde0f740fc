// The camera reading a QR code where the browser can (BarcodeDetector); elsewhere the
// code is typed. Calls onText with the first code it reads.
import { useEffect, useRef, useState } from 'preact/hooks';
import { Button } from '../../components/Button';
import { useI18n } from '../../i18n/context';

interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
interface BarcodeDetectorClass {
  new (options?: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats?(): Promise<string[]>;
}

const detectorClass = (): BarcodeDetectorClass | null =>
  (globalThis as unknown as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector ?? null;

export async function canScanQr(): Promise<boolean> {
  const D = detectorClass();
  if (!D || !navigator.mediaDevices?.getUserMedia) return false;
  try {
    return ((await D.getSupportedFormats?.()) ?? ['qr_code']).includes('qr_code');
  } catch {
    return false;
  }
}

export function CodeScanner({ aim, onText, onClose }: { aim: string; onText(text: string): void; onClose(): void }) {
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
    <div class="scanner" data-testid="redeem-scanner">
      {starting ? (
        <p class="progress-line" role="status" aria-busy="true">
          <span class="spinner" aria-hidden="true" />
          {t('scan_starting')}
        </p>
      ) : null}
      {failed ? (
        <p class="form-error" role="alert">
          {t('pt_scan_failed')}
        </p>
      ) : (
        <video ref={video} class="scanner-video" playsInline muted aria-label={aim} />
      )}
      <p class="muted">{aim}</p>
      <Button variant="secondary" onClick={onClose}>
        {t('scan_stop')}
      </Button>
    </div>
  );
}
