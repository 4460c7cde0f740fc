import type { JSX } from 'preact';

type FieldProps = {
  /** Form name, used in ids: `${form}-${field}`. */
  form: string;
  /** The field's name as the server calls it (matches problem+json `errors[].field`). */
  field: string;
  label: string;
  value: string;
  onInput: (value: string) => void;
  error?: string;
  hint?: string;
} & Omit<JSX.IntrinsicElements['input'], 'onInput' | 'value' | 'id' | 'form'>;

/** A labelled input with its hint and its error underneath. */
export function Field({ form, field, label, value, onInput, error, hint, ...input }: FieldProps) {
  const id = `${form}-${field}`;
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ');
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={id}>{label}</label>
      <input
        {...input}
        id={id}
        name={field}
        value={value}
        data-testid={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={described || undefined}
        onInput={(e) => onInput((e.currentTarget as HTMLInputElement).value)}
      />
      {hint && !error ? (
        <p class="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p class="field-error" id={`${id}-error`} data-testid={`field-error-${field}`}>
          {error}
        </p>
      ) : null}
    </div>
  );
}
