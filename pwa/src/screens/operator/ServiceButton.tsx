// One big service button: a tap logs one, a long press (~500 ms, or the context-menu key)
// asks for a number. The click that ends a long press is not a tap.
import { useEffect, useRef } from 'preact/hooks';
import { ServiceIcon } from '../../components/ServiceIcon';
import { useI18n } from '../../i18n/context';

const LONG_PRESS_MS = 500;

interface Props {
  code: string;
  icon: string;
  label: string;
  count: number;
  onTap(): void;
  onLongPress(): void;
}

export function ServiceButton({ code, icon, label, count, onTap, onLongPress }: Props) {
  const { t } = useI18n();
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>();
  const long = useRef(false);
  useEffect(() => () => clearTimeout(timer.current), []);

  const fire = () => {
    clearTimeout(timer.current);
    if (long.current) return;
    long.current = true;
    navigator.vibrate?.(15);
    onLongPress();
  };
  const stop = () => clearTimeout(timer.current);

  return (
    <button
      type="button"
      class="svc-btn"
      data-testid={`svc-${code}`}
      data-count={count}
      aria-label={t('sl_button_label', { label, n: count })}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        long.current = false;
        // Keep the pointer's up on this button even when the picker opens on top of it.
        (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
        clearTimeout(timer.current);
        timer.current = setTimeout(fire, LONG_PRESS_MS);
      }}
      onPointerUp={stop}
      onPointerCancel={stop}
      onContextMenu={(e) => {
        e.preventDefault();
        fire();
      }}
      onClick={() => {
        if (long.current) {
          long.current = false;
          return;
        }
        onTap();
      }}
    >
      <ServiceIcon icon={icon} size={34} />
      <span class="svc-label">{label}</span>
      <span class={count > 0 ? 'svc-count svc-count-on' : 'svc-count'} data-testid="svc-count" aria-hidden="true">
        {count}
      </span>
    </button>
  );
}
