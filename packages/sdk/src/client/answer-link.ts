import {
  answerLinkOffer,
  encodeIdentityKeyPair,
  fromBase64,
  linkCodeMatches,
  parseLinkCode,
  toBase64,
  type IdentityKeyPair,
} from '@rchat/crypto';
import type { LinkMessage } from '@rchat/protocol';
import type { RchatApi } from '../api.ts';
import { RchatError } from '../errors.ts';
import type { RecoverySecrets } from './account-store.ts';
import type { ExistingDeviceLink } from './device-link.ts';
import {
  openSealed,
  postRelay,
  postSealed,
  STEP_TIMEOUT_MS,
  waitForRelay,
  type RelayMessage,
  type SealedMessage,
} from './link-relay.ts';

/**
 * The signed-in device answers a typed code: finds the waiting device's
 * link session, checks its public key against the code's commitment, and
 * derives the channel. Nothing secret is sent before both people confirmed.
 */
export async function answerLink(
  api: RchatApi,
  code: string,
  secrets: { identity: IdentityKeyPair; recovery: RecoverySecrets | undefined },
  addDevice: (deviceId: string) => Promise<number>,
): Promise<ExistingDeviceLink> {
  const parsed = parseLinkCode(code);
  if (!parsed)
    throw new RchatError(
      'LINK_CODE_INVALID',
      'This link code has a typo: check it against the code on the new device (24 letters and digits).',
      0,
    );
  const { sessions } = await api.linkSessions();
  const session = sessions.find((s) => s.id.replace(/-/g, '').startsWith(parsed.rendezvous));
  if (!session)
    throw new RchatError(
      'LINK_SESSION_NOT_FOUND',
      'No new device of yours is waiting with this code (it may have expired after 10 minutes); start linking again on the new device.',
      0,
    );
  const cursor = { after: 0 };
  const offer = await waitForRelay(
    api,
    session.id,
    cursor,
    (m, raw) => (m.t === 'offer' && raw.fromDeviceId === session.createdBy ? m : undefined),
    { timeoutMs: 10_000 },
  );
  const publicKey = fromBase64(offer.publicKey) ?? new Uint8Array();
  if (!linkCodeMatches(parsed, session.id, publicKey)) {
    throw new RchatError(
      'LINK_CODE_INVALID',
      'This code does not match the device waiting to be linked; nothing was shared. Start linking again.',
      0,
    );
  }
  const { enc, channel } = await answerLinkOffer(session.id, publicKey);
  await postRelay(api, session.id, { t: 'answer', enc: toBase64(enc) });
  /** Fires on abort(): a waiting confirm() stops. */
  const stopped = new AbortController();
  // Only the new device can seal to this channel, and only its messages are read.
  const fromNewDevice =
    <T>(want: (m: SealedMessage) => T | undefined) =>
    async (m: RelayMessage, raw: LinkMessage) => {
      if (raw.fromDeviceId !== session.createdBy) return undefined;
      const sealed = await openSealed(channel, m);
      return sealed ? want(sealed) : undefined;
    };
  const step = { signal: stopped.signal, timeoutMs: STEP_TIMEOUT_MS };
  return {
    checkCode: channel.checkCode,
    deviceName: offer.deviceName.slice(0, 100),
    deviceId: session.createdBy,
    confirm: async (options) => {
      await waitForRelay(
        api,
        session.id,
        cursor,
        fromNewDevice((m) => (m.t === 'confirmed' ? true : undefined)),
        step,
      );
      options?.onNewDeviceConfirmed?.();
      await postSealed(api, session.id, channel, {
        t: 'keys',
        identity: toBase64(encodeIdentityKeyPair(secrets.identity)),
        ...(secrets.recovery
          ? {
              backupSeed: toBase64(secrets.recovery.backupSeed),
              masterKey: toBase64(secrets.recovery.masterKey),
            }
          : {}),
      });
      const deviceId = await waitForRelay(
        api,
        session.id,
        cursor,
        fromNewDevice((m) =>
          m.t === 'ready' && m.deviceId === session.createdBy ? m.deviceId : undefined,
        ),
        step,
      );
      return { deviceId, conversations: await addDevice(deviceId) };
    },
    abort: async () => {
      stopped.abort();
      await postRelay(api, session.id, { t: 'abort' });
    },
  };
}
