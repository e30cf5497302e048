import { fromBase64, toBase64, type LinkChannel } from '@rchat/crypto';
import type { LinkMessage } from '@rchat/protocol';
import type { RchatApi } from '../api.ts';
import { RchatError } from '../errors.ts';

/**
 * What the two devices say to each other through the server's link relay. `sealed` is end-to-end
 * encrypted.
 */
export type RelayMessage =
  | { t: 'offer'; v: 1; publicKey: string; deviceName: string }
  | { t: 'answer'; enc: string }
  | { t: 'sealed'; data: string }
  | { t: 'abort' };

/**
 * What travels sealed: the new device's `confirmed` (its person saw the same
 * check code on both devices), then the account keys one way, and the new
 * device's `ready` (it is set up) back.
 */
export type SealedMessage =
  | { t: 'confirmed' }
  | { t: 'keys'; identity: string; backupSeed?: string; masterKey?: string }
  | { t: 'ready'; deviceId: string };

export const LINK_POLL_MS = 400;

/** How long a device waits for the other side at each step (the relay itself lasts 10 minutes). */
export const STEP_TIMEOUT_MS = 9 * 60_000;

export function postRelay(
  api: RchatApi,
  sessionId: string,
  message: RelayMessage,
): Promise<{ seq: number }> {
  return api.postLinkMessage(
    sessionId,
    toBase64(new TextEncoder().encode(JSON.stringify(message))),
  );
}

export function decodeRelay(m: LinkMessage): RelayMessage | undefined {
  try {
    const parsed = JSON.parse(
      new TextDecoder().decode(fromBase64(m.ciphertext) ?? new Uint8Array()),
    ) as RelayMessage;
    return typeof parsed === 'object' && parsed !== null && typeof parsed.t === 'string'
      ? parsed
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads the relay from `cursor.after` on until `pick` returns a value (polling;
 * the relay is short-lived), or throws on abort, expiry or timeout. An `abort`
 * read after `signal` fired is this device's own, so it reads as cancelled here.
 */
export async function waitForRelay<T>(
  api: RchatApi,
  sessionId: string,
  cursor: { after: number },
  pick: (m: RelayMessage, raw: LinkMessage) => Promise<T | undefined> | T | undefined,
  options: { signal?: AbortSignal; timeoutMs: number },
): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  const cancelledHere = () => new RchatError('LINK_ABORTED', 'Linking was cancelled.', 0);
  for (;;) {
    if (options.signal?.aborted) throw cancelledHere();
    const page = await api.linkMessages(sessionId, cursor.after);
    for (const raw of page.messages) {
      cursor.after = raw.seq;
      const m = decodeRelay(raw);
      if (!m) continue;
      if (m.t === 'abort')
        throw options.signal?.aborted
          ? cancelledHere()
          : new RchatError(
              'LINK_ABORTED',
              'Linking was cancelled on the other device; nothing was shared.',
              0,
            );
      const picked = await pick(m, raw);
      if (picked !== undefined) return picked;
    }
    if (Date.now() > deadline)
      throw new RchatError(
        'LINK_TIMEOUT',
        'The other device did not answer in time; start linking again.',
        0,
      );
    await new Promise((resolve) => setTimeout(resolve, LINK_POLL_MS));
  }
}

function sealedJson(message: SealedMessage): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(message));
}

/** Posts `message` sealed to the other device over the link channel. */
export async function postSealed(
  api: RchatApi,
  sessionId: string,
  channel: LinkChannel,
  message: SealedMessage,
): Promise<{ seq: number }> {
  return postRelay(api, sessionId, {
    t: 'sealed',
    data: toBase64(await channel.seal(sealedJson(message))),
  });
}

/**
 * Opens a relayed `sealed` message with the channel; undefined for anything else, or anything that
 * does not open (not from the other end of this channel).
 */
export async function openSealed(
  channel: LinkChannel,
  m: RelayMessage,
): Promise<SealedMessage | undefined> {
  return m.t === 'sealed'
    ? parseSealed(await channel.open(fromBase64(m.data) ?? new Uint8Array()))
    : undefined;
}

function parseSealed(bytes: Uint8Array | undefined): SealedMessage | undefined {
  if (!bytes) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as SealedMessage;
  } catch {
    return undefined;
  }
}
