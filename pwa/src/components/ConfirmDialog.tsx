import { useEffect, useRef } from 'preact/hooks';
import { Button } from './Button';

interface Props {
  title: string;
  body: string;
  confirmLabel: string;
  busyLabel: string;
  cancelLabel: string;
  busy: boolean;
  error?: string;
  onConfirm(): void;
  onCancel(): void;
  testid: string;
}

/** A modal question with a dangerous "yes" and a safe, focused "no". */
export function ConfirmDialog(p: Props) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    cancelRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !p.busy) p.onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [p.busy]);
  return (
    <div class="dialog-backdrop">
      <div class="dialog" role="alertdialog" aria-modal="true" aria-labelledby={`${p.testid}-title`} data-testid={p.testid}>
        <h2 id={`${p.testid}-title`}>{p.title}</h2>
        <p>{p.body}</p>
        {p.error ? (
          <p class="form-error" role="alert">
            {p.error}
          </p>
        ) : null}
        <div class="dialog-actions">
          <button
            ref={cancelRef}
            type="button"
            class="btn btn-secondary"
            disabled={p.busy}
            data-testid={`${p.testid}-cancel`}
            onClick={p.onCancel}
          >
            {p.cancelLabel}
          </button>
          <Button variant="danger" busy={p.busy} busyLabel={p.busyLabel} data-testid={`${p.testid}-confirm`} onClick={p.onConfirm}>
            {p.confirmLabel}
          </Button>
        </div>
      </div>
    </div>
  );
}
