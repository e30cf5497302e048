import { commonPasswords } from './common-passwords.ts';

export type PasswordVerdict = { ok: true } | { ok: false; reason: string };

/**
 * NIST 800-63B style: a minimum length, not a known-common password, not the username. No
 * composition rules.
 */
export function checkPassword(
  password: string,
  username: string,
  minLength: number,
): PasswordVerdict {
  if ([...password].length < minLength)
    return { ok: false, reason: `Use at least ${minLength} characters.` };
  const folded = password.toLowerCase();
  if (folded === username || folded.includes(username))
    return { ok: false, reason: 'The password must not contain the username.' };
  if (commonPasswords.has(folded))
    return { ok: false, reason: 'This password is among the most common ones; choose another.' };
  if (new Set(folded).size < 4)
    return { ok: false, reason: 'The password repeats too few distinct characters.' };
  return { ok: true };
}
