import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { ClientStorage, RchatClientOptions } from '@rchat/sdk';
import { openFileStorage } from '@rchat/sdk/node';
import { lockHome } from './home-lock.ts';
import { DEFAULT_SERVER, serverUrl, type Settings } from './settings.ts';

/**
 * This device's rchat directory: sealed keys and state (the SDK's file storage), and the server it
 * signed in to.
 */
export interface Home {
  dir: string;
  storage: ClientStorage;
  /**
   * The server to talk to: `--server`/`RCHAT_SERVER`, else the one this home last signed in to,
   * else the default.
   */
  server: string;
  /** What RchatClient needs to register, log in or restore here. */
  clientOptions: RchatClientOptions;
  /** Remembers `server` as this home's server (after a successful sign-in). */
  rememberServer(): Promise<void>;
}

/**
 * Opens the home (created 0700). Unless `lock` is false, holds it for this process (see
 * `lockHome`).
 */
export async function openHome(
  settings: Settings,
  options: { lock: boolean } = { lock: true },
): Promise<Home> {
  await mkdir(settings.home, { recursive: true, mode: 0o700 });
  if (options.lock) lockHome(settings.home);
  const serverFile = join(settings.home, 'server');
  const server = settings.server ?? (await savedServer(serverFile)) ?? DEFAULT_SERVER;
  const storage = await openFileStorage(settings.home);
  return {
    dir: settings.home,
    storage,
    server,
    clientOptions: {
      baseUrl: server,
      storage,
      deviceName: `rchat CLI on ${hostname()}`.slice(0, 64),
    },
    rememberServer: () => writeFile(serverFile, `${server}\n`, { mode: 0o600 }),
  };
}

async function savedServer(path: string): Promise<string | undefined> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.trim() ? serverUrl(text.trim()) : undefined;
}
