// How many of one service at once (1–50): − / + and a few common numbers, for a long press.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useI18n } from '../../i18n/context';

const MAX_QUANTITY = 50;
const QUICK = [2, 3, 5, 10, 20, 50];

const clamp = (n: number) => Math.min(MAX_QUANTITY, Math.max(1, Math.round(n)));

export function QuantityPicker({ label, onPick, onCancel }: { label: string; onPick(n: number): void; onCancel(): void }) {
  const { t } = useI18n();
  const [n, setN] = useState(2);
  const confirm = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    confirm.current?.focus();
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onCancel();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <div class="dialog-backdrop" onClick={(e) => e.target === e.currentTarget && onCancel()}>
      <div class="dialog qty" role="dialog" aria-modal="true" aria-labelledby="qty-title" data-testid="qty-picker">
        <h2 id="qty-title">{t('sl_qty_title', { label })}</h2>
        <div class="stepper">
          <button type="button" class="step-btn" aria-label={t('sl_qty_minus')} data-testid="qty-minus" disabled={n <= 1} onClick={() => setN(clamp(n - 1))}>
            −
          </button>
          <input
            class="step-value qty-input"
            type="number"
            inputMode="numeric"
            min={1}
            max={MAX_QUANTITY}
            aria-label={t('sl_qty_value')}
            aria-describedby="qty-range"
            data-testid="qty-value"
            value={n}
            onInput={(e) => {
              const v = Number((e.currentTarget as HTMLInputElement).value);
              if (Number.isFinite(v) && v > 0) setN(clamp(v));
            }}
          />
          <button type="button" class="step-btn" aria-label={t('sl_qty_plus')} data-testid="qty-plus" disabled={n >= MAX_QUANTITY} onClick={() => setN(clamp(n + 1))}>
            +
          </button>
        </div>
        <p class="muted small center" id="qty-range">
          {t('sl_qty_range')}
        </p>
        <div class="qty-quick" role="group">
          {QUICK.map((q) => (
            <button key={q} type="button" class={q === n ? 'chip chip-on' : 'chip'} aria-pressed={q === n} data-testid={`qty-chip-${q}`} onClick={() => setN(q)}>
              {q}
            </button>
          ))}
        </div>
        <div class="dialog-actions">
          <button type="button" class="btn btn-secondary" data-testid="qty-cancel" onClick={onCancel}>
            {t('cancel')}
          </button>
          <button ref={confirm} type="button" class="btn btn-primary" data-testid="qty-confirm" onClick={() => onPick(n)}>
            {t('sl_qty_confirm', { n })}
          </button>
        </div>
      </div>
    </div>
  );
}
