import { fromBase64, toBase64 } from '@rchat/crypto';
import type { LinkMessage } from '@rchat/protocol';
import type { RchatApi } from '../api.ts';
import { RchatError } from '../errors.ts';

/** What the two devices say to each other through the server's link relay. `sealed` is end-to-end encrypted. */
export type RelayMessage =
  | { t: 'offer'; v: 1; publicKey: string; deviceName: string }
  | { t: 'answer'; enc: string }
  | { t: 'sealed'; data: string }
  | { t: 'abort' };

/** What travels sealed: the account keys one way, the new device's confirmation back. */
export type SealedMessage = { t: 'keys'; identity: string; backupSeed?: string; masterKey?: string } | { t: 'ready'; deviceId: string };

export const LINK_POLL_MS = 400;

export function postRelay(api: RchatApi, sessionId: string, message: RelayMessage): Promise<{ seq: number }> {
  return api.postLinkMessage(sessionId, toBase64(new TextEncoder().encode(JSON.stringify(message))));
}

export function decodeRelay(m: LinkMessage): RelayMessage | undefined {
  try {
    const parsed = JSON.parse(new TextDecoder().decode(fromBase64(m.ciphertext) ?? new Uint8Array())) as RelayMessage;
    return typeof parsed === 'object' && parsed !== null && typeof parsed.t === 'string' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the relay from `cursor.after` on until `pick` returns a value (polling;
 * the relay is short-lived), or throws on abort, expiry or timeout.
 */
export async function waitForRelay<T>(
  api: RchatApi,
  sessionId: string,
  cursor: { after: number },
  pick: (m: RelayMessage, raw: LinkMessage) => Promise<T | undefined> | T | undefined,
  options: { signal?: AbortSignal; timeoutMs: number },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    if (options.signal?.aborted) throw new RchatError('LINK_ABORTED', 'Linking was cancelled.', 0);
    const page = await api.linkMessages(sessionId, cursor.after);
    for (const raw of page.messages) {
      cursor.after = raw.seq;
      const m = decodeRelay(raw);
      if (!m) continue;
      if (m.t === 'abort') throw new RchatError('LINK_ABORTED', 'Linking was cancelled on the other device; nothing was shared.', 0);
      const picked = await pick(m, raw);
      if (picked !== undefined) return picked;
    }
    if (Date.now() > deadline) throw new RchatError('LINK_TIMEOUT', 'The other device did not answer in time; start linking again.', 0);
    await new Promise((resolve) => setTimeout(resolve, LINK_POLL_MS));
  }
}

export function sealedJson(message: SealedMessage): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(message));
}

export function parseSealed(bytes: Uint8Array | undefined): SealedMessage | undefined {
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as SealedMessage;
  } catch {
    return undefined;
  }
}
