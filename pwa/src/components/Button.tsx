import type { ComponentChildren, JSX } from 'preact';

type ButtonProps = Omit<JSX.HTMLAttributes<HTMLButtonElement>, 'busy'> & {
  /** While true the button is disabled and shows `busyLabel` with a spinner. */
  busy?: boolean;
  busyLabel?: string;
  variant?: 'primary' | 'secondary' | 'danger' | 'link';
  type?: 'button' | 'submit';
  disabled?: boolean;
  children: ComponentChildren;
};

export function Button({ busy = false, busyLabel, variant = 'primary', type = 'button', disabled, children, ...rest }: ButtonProps) {
  return (
    <button
      {...rest}
      type={type}
      class={`btn btn-${variant}`}
      disabled={disabled || busy}
      aria-busy={busy}
    >
      {busy ? (
        <>
          <span class="spinner" aria-hidden="true" />
          <span>{busyLabel ?? children}</span>
        </>
      ) : (
        children
      )}
    </button>
  );
}
