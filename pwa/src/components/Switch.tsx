import type { ComponentChildren } from 'preact';

interface SwitchProps {
  on: boolean;
  onToggle(): void;
  children: ComponentChildren;
  busy?: boolean;
  disabled?: boolean;
  testid?: string;
}

/** A whole-row on/off switch (role="switch"), its label on the left. */
export function Switch({ on, onToggle, children, busy = false, disabled = false, testid }: SwitchProps) {
  return (
    <button type="button" role="switch" class="switch-row" aria-checked={on} aria-busy={busy} disabled={disabled || busy} data-testid={testid} data-on={on ? 'true' : 'false'} onClick={onToggle}>
      <span class="switch-label">{children}</span>
      {busy ? <span class="spinner" aria-hidden="true" /> : null}
      <span class={on ? 'switch switch-on' : 'switch'} aria-hidden="true">
        <span />
      </span>
    </button>
  );
}
