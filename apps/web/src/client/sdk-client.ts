// The SDK with its MLS crypto: loaded as its own chunk (see session.ts).
import { RchatClient, type RchatClientOptions } from '@rchat/sdk';
import { openIndexedDbStorage } from '@rchat/sdk/browser';
import type { BackupSecret, ChatClient, NewDeviceLink } from './chat-client.ts';
import { browserDeviceName } from './device-name.ts';

// Keys, group state and messages live in IndexedDB, sealed under a non-extractable WebCrypto key.
async function options(): Promise<RchatClientOptions> {
  return { baseUrl: location.origin, storage: await openIndexedDbStorage(), deviceName: browserDeviceName() };
}

export async function restore(): Promise<ChatClient | null> {
  return RchatClient.restore(await options());
}

export async function login(username: string, password: string): Promise<ChatClient> {
  return RchatClient.login(await options(), username, password);
}

export async function register(username: string, password: string, inviteCode?: string): Promise<ChatClient> {
  return RchatClient.register(await options(), username, password, inviteCode ? { inviteCode } : {});
}

export async function startLink(username: string, password: string): Promise<NewDeviceLink> {
  return RchatClient.startLink(await options(), username, password);
}

export async function restoreFromBackup(username: string, password: string, secret: BackupSecret): Promise<ChatClient> {
  return RchatClient.restoreFromRecoveryKey(await options(), username, password, secret);
}

export async function resetIdentity(username: string, password: string): Promise<ChatClient> {
  return RchatClient.resetIdentity(await options(), username, password);
}
