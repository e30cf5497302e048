import { useEffect, useState } from 'react';

export interface PasswordPolicy {
  passwordMinLength: number;
  registration: 'open' | 'invite' | 'closed';
}

/**
 * The operator's password policy (GET /.well-known/rchat), or null until known or when the server
 * is unreachable.
 */
export function usePasswordPolicy(): PasswordPolicy | null {
  const [policy, setPolicy] = useState<PasswordPolicy | null>(null);
  useEffect(() => {
    const abort = new AbortController();
    fetch('/.well-known/rchat', { signal: abort.signal })
      .then(async (res) => (res.ok ? ((await res.json()) as PasswordPolicy) : null))
      .then(setPolicy, () => undefined);
    return () => abort.abort();
  }, []);
  return policy;
}
