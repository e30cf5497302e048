import { answerLinkOffer, createLinkOffer, decodeIdentityKeyPair, encodeIdentityKeyPair, formatLinkCode, fromBase64, linkCodeMatches, parseLinkCode, toBase64, type IdentityKeyPair, type LinkChannel } from '@rchat/crypto';
import type { SessionResponse } from '@rchat/protocol';
import type { RchatApi } from '../api.ts';
import { RchatError } from '../errors.ts';
import type { RecoverySecrets } from './account-store.ts';
import { parseSealed, postRelay, sealedJson, waitForRelay, type RelayMessage } from './link-relay.ts';

/** How long a device waits for the other side at each step (the relay itself lasts 10 minutes). */
const STEP_TIMEOUT_MS = 9 * 60_000;

/** The new device's side of linking: show `code` (and `qrText` as a QR code), compare the check code, then `complete()`. */
export interface NewDeviceLink<Client = unknown> {
  readonly code: string;
  readonly qrText: string;
  readonly expiresAt: string;
  /** Resolves with the check code once a signed-in device typed the code. */
  waitForCheckCode(signal?: AbortSignal): Promise<string>;
  /** Resolves with the signed-in client once the other device confirmed and sent the keys. */
  complete(signal?: AbortSignal): Promise<Client>;
  cancel(): Promise<void>;
}

/** The signed-in device's side, after the code was typed: compare `checkCode`, then `confirm()` or `abort()`. */
export interface ExistingDeviceLink {
  readonly checkCode: string;
  readonly deviceName: string;
  readonly deviceId: string;
  confirm(): Promise<{ deviceId: string; conversations: number }>;
  abort(): Promise<void>;
}

/** What the new device ends up with: the account keys it was sent. */
export interface ReceivedKeys {
  identity: IdentityKeyPair;
  recovery: RecoverySecrets | undefined;
}

/**
 * Opens a link session as a new device already signed in with the password
 * (a device of the account without keys) and posts its ephemeral public key.
 */
export async function offerLink<Client>(
  api: RchatApi,
  session: SessionResponse,
  deviceName: string,
  finish: (keys: ReceivedKeys, channel: LinkChannel, sessionId: string) => Promise<Client>,
  cleanUp: () => Promise<void>,
): Promise<NewDeviceLink<Client>> {
  const link = await api.openLinkSession();
  const offer = await createLinkOffer(link.id);
  await postRelay(api, link.id, { t: 'offer', v: 1, publicKey: toBase64(offer.publicKey), deviceName });
  const code = formatLinkCode(link.id, offer.publicKey);
  const cursor = { after: 0 };
  let channel: Promise<LinkChannel> | null = null;
  const channelFor = (signal?: AbortSignal) =>
    (channel ??= waitForRelay(
      api,
      link.id,
      cursor,
      // The first answer from another device of the account wins; if it was not the device the user is holding, the check codes differ.
      async (m, raw) => (m.t === 'answer' && raw.fromDeviceId !== session.deviceId ? offer.accept(fromBase64(m.enc) ?? new Uint8Array()) : undefined),
      { ...(signal ? { signal } : {}), timeoutMs: STEP_TIMEOUT_MS },
    ));
  return {
    code,
    qrText: `rchat:link:${code.replace(/-/g, '')}`,
    expiresAt: link.expiresAt,
    waitForCheckCode: async (signal) => (await channelFor(signal)).checkCode,
    complete: async (signal) => {
      const ch = await channelFor(signal);
      const keys = await waitForRelay(api, link.id, cursor, async (m) => (m.t === 'sealed' ? receivedKeys(parseSealed(await ch.open(fromBase64(m.data) ?? new Uint8Array()))) : undefined), {
        ...(signal ? { signal } : {}),
        timeoutMs: STEP_TIMEOUT_MS,
      });
      return finish(keys, ch, link.id);
    },
    cancel: async () => {
      await postRelay(api, link.id, { t: 'abort' }).catch(() => undefined);
      await cleanUp();
    },
  };
}

function receivedKeys(m: ReturnType<typeof parseSealed>): ReceivedKeys | undefined {
  if (m?.t !== 'keys') return undefined;
  const identity = decodeIdentityKeyPair(fromBase64(m.identity) ?? new Uint8Array());
  if (identity.kind !== 'ok') return undefined;
  const backupSeed = m.backupSeed ? fromBase64(m.backupSeed) : undefined;
  const masterKey = m.masterKey ? fromBase64(m.masterKey) : undefined;
  return { identity: identity.identity, recovery: backupSeed && masterKey ? { backupSeed, masterKey } : undefined };
}

/** The new device tells the signed-in one it is set up (its KeyPackages are published). */
export async function sendReady(api: RchatApi, sessionId: string, channel: LinkChannel, deviceId: string): Promise<void> {
  await postRelay(api, sessionId, { t: 'sealed', data: toBase64(await channel.seal(sealedJson({ t: 'ready', deviceId }))) });
}

/**
 * The signed-in device answers a typed code: finds the waiting device's
 * link session, checks its public key against the code's commitment, and
 * derives the channel. Nothing secret is sent before `confirm()`.
 */
export async function answerLink(
  api: RchatApi,
  code: string,
  secrets: { identity: IdentityKeyPair; recovery: RecoverySecrets | undefined },
  addDevice: (deviceId: string) => Promise<number>,
): Promise<ExistingDeviceLink> {
  const parsed = parseLinkCode(code);
  if (!parsed) throw new RchatError('LINK_CODE_INVALID', 'This link code has a typo: check it against the code on the new device (24 letters and digits).', 0);
  const { sessions } = await api.linkSessions();
  const session = sessions.find((s) => s.id.replace(/-/g, '').startsWith(parsed.rendezvous));
  if (!session) throw new RchatError('LINK_SESSION_NOT_FOUND', 'No new device of yours is waiting with this code (it may have expired after 10 minutes); start linking again on the new device.', 404);
  const cursor = { after: 0 };
  const offer = await waitForRelay(api, session.id, cursor, (m, raw) => (m.t === 'offer' && raw.fromDeviceId === session.createdBy ? m : undefined), { timeoutMs: 10_000 });
  const publicKey = fromBase64(offer.publicKey) ?? new Uint8Array();
  if (!linkCodeMatches(parsed, session.id, publicKey)) {
    throw new RchatError('LINK_CODE_INVALID', 'This code does not match the device waiting to be linked; nothing was shared. Start linking again.', 0);
  }
  const { enc, channel } = await answerLinkOffer(session.id, publicKey);
  await postRelay(api, session.id, { t: 'answer', enc: toBase64(enc) });
  return {
    checkCode: channel.checkCode,
    deviceName: offer.deviceName.slice(0, 100),
    deviceId: session.createdBy,
    confirm: async () => {
      const keys = sealedJson({
        t: 'keys',
        identity: toBase64(encodeIdentityKeyPair(secrets.identity)),
        ...(secrets.recovery ? { backupSeed: toBase64(secrets.recovery.backupSeed), masterKey: toBase64(secrets.recovery.masterKey) } : {}),
      });
      await postRelay(api, session.id, { t: 'sealed', data: toBase64(await channel.seal(keys)) });
      const deviceId = await waitForRelay(api, session.id, cursor, async (m: RelayMessage, raw) => {
        if (m.t !== 'sealed' || raw.fromDeviceId !== session.createdBy) return undefined;
        const ready = parseSealed(await channel.open(fromBase64(m.data) ?? new Uint8Array()));
        return ready?.t === 'ready' && ready.deviceId === session.createdBy ? ready.deviceId : undefined;
      }, { timeoutMs: STEP_TIMEOUT_MS });
      return { deviceId, conversations: await addDevice(deviceId) };
    },
    abort: async () => {
      await postRelay(api, session.id, { t: 'abort' });
    },
  };
}
