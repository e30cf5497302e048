import type { InputHTMLAttributes } from 'react';

interface Props extends InputHTMLAttributes<HTMLInputElement> {
  label: string;
}

/** A labelled input in the forms' style: the label above, the input full width. */
export function TextField({ label, ...input }: Props) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input {...input} />
    </label>
  );
}

/**
 * For a code a person types from another screen: no autocorrection or capitalisation by the
 * keyboard, monospace.
 */
export const codeInputProps = {
  className: 'code-input',
  autoComplete: 'off',
  autoCapitalize: 'characters',
  autoCorrect: 'off',
  spellCheck: false,
} as const;
