import { useCallback, useRef } from 'react';

/**
 * For loads that can overlap (a reload while the previous one is still
 * running): runs one and applies its answer, or its error, only if no newer
 * load started meanwhile.
 */
export function useNewestAnswer(): <T>(
  load: () => Promise<T>,
  apply: (value: T) => void,
  fail: (error: unknown) => void,
) => Promise<void> {
  const latest = useRef(0);
  return useCallback(async (load, apply, fail) => {
    const request = ++latest.current;
    try {
      const value = await load();
      if (request === latest.current) apply(value);
    } catch (e) {
      if (request === latest.current) fail(e);
    }
  }, []);
}
