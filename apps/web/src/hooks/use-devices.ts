import { useCallback, useEffect, useState } from 'react';
import type { AccountDevice, ChatClient } from '../client/chat-client.ts';

export interface Devices {
  /** This device first, then the others by when they were added; null while loading. */
  list: AccountDevice[] | null;
  /** Why the list could not be loaded. */
  error: unknown;
  reload(): void;
  remove(deviceId: string): Promise<void>;
}

const byCurrentThenAge = (a: AccountDevice, b: AccountDevice) =>
  Number(b.current) - Number(a.current) || Date.parse(a.createdAt) - Date.parse(b.createdAt);

/** The signed-in account's devices, loaded again after each change made here. */
export function useDevices(client: ChatClient): Devices {
  const [list, setList] = useState<AccountDevice[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let current = true;
    client.devices().then(
      (devices) => {
        if (!current) return;
        setList([...devices].sort(byCurrentThenAge));
        setError(null);
      },
      (e: unknown) => current && setError(e),
    );
    return () => {
      current = false;
    };
  }, [client, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const remove = useCallback(
    async (deviceId: string) => {
      await client.removeDevice(deviceId);
      setList((prev) => prev?.filter((d) => d.id !== deviceId) ?? null);
      reload();
    },
    [client, reload],
  );
  return { list, error, reload, remove };
}
