import {
  createLinkOffer,
  decodeIdentityKeyPair,
  formatLinkCode,
  fromBase64,
  toBase64,
  type LinkChannel,
} from '@rchat/crypto';
import type { LinkMessage, SessionResponse } from '@rchat/protocol';
import type { RchatApi } from '../api.ts';
import { RchatError } from '../errors.ts';
import type { NewDeviceLink, ReceivedKeys } from './device-link.ts';
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
  await postRelay(api, link.id, {
    t: 'offer',
    v: 1,
    publicKey: toBase64(offer.publicKey),
    deviceName,
  });
  const code = formatLinkCode(link.id, offer.publicKey);
  const cursor = { after: 0 };
  /** Fires on reject() or cancel(): every wait of this side stops. */
  const stopped = new AbortController();
  let channel: Promise<LinkChannel> | null = null;
  /** The channel whose check code the person was shown. */
  let shown: LinkChannel | undefined;
  /** The relay position of this device's confirmation, once it is being sent. */
  let confirmation: Promise<number> | undefined;
  let ending: Promise<void> | undefined;
  const channelFor = (signal?: AbortSignal) =>
    (channel ??= waitForRelay(
      api,
      link.id,
      cursor,
      // The first answer from another device of the account wins; if it was not the device the user
      // is holding, the check codes differ.
      async (m, raw) =>
        m.t === 'answer' && raw.fromDeviceId !== session.deviceId
          ? offer.accept(fromBase64(m.enc) ?? new Uint8Array())
          : undefined,
      { signal: either(signal, stopped.signal), timeoutMs: STEP_TIMEOUT_MS },
    ));
  // Keys count only if sealed after this device's confirmation, which the signed-in device waits
  // for: anything earlier is dropped.
  const keysAfterConfirmation = async (ch: LinkChannel, m: RelayMessage, raw: LinkMessage) => {
    if (m.t !== 'sealed' || raw.fromDeviceId === session.deviceId) return undefined;
    const confirmedAt = await confirmation?.catch(() => undefined);
    if (confirmedAt === undefined || raw.seq < confirmedAt) return undefined;
    return receivedKeys(await openSealed(ch, m));
  };
  const end = () =>
    (ending ??= (async () => {
      stopped.abort();
      await postRelay(api, link.id, { t: 'abort' }).catch(() => undefined);
      await cleanUp();
    })());
  return {
    code,
    qrText: `rchat:link:${code.replace(/-/g, '')}`,
    expiresAt: link.expiresAt,
    waitForCheckCode: async (signal) => {
      shown = await channelFor(signal);
      return shown.checkCode;
    },
    confirmCheckCode: async () => {
      if (stopped.signal.aborted) throw new RchatError('LINK_ABORTED', 'Linking was cancelled.', 0);
      if (!shown)
        throw new Error(
          'confirmCheckCode() comes after waitForCheckCode(): the person confirms the check code they were shown.',
        );
      const ch = shown;
      confirmation ??= postSealed(api, link.id, ch, { t: 'confirmed' }).then(
        (posted) => posted.seq,
        (err: unknown) => {
          confirmation = undefined;
          throw err;
        },
      );
      await confirmation;
    },
    complete: async (signal) => {
      try {
        const ch = await channelFor(signal);
        const keys = await waitForRelay(
          api,
          link.id,
          cursor,
          (m, raw) => keysAfterConfirmation(ch, m, raw),
          { signal: either(signal, stopped.signal), timeoutMs: STEP_TIMEOUT_MS },
        );
        return await finish(keys, ch, link.id);
      } catch (err) {
        // Whatever stopped it (the other side, a timeout, a failed setup), no half-set-up device
        // stays behind.
        await end();
        throw err;
      }
    },
    reject: end,
    cancel: end,
  };
}

/** A signal that fires when either does. */
function either(a: AbortSignal | undefined, b: AbortSignal): AbortSignal {
  return a ? AbortSignal.any([a, b]) : b;
}

function receivedKeys(m: SealedMessage | undefined): ReceivedKeys | undefined {
  if (m?.t !== 'keys') return undefined;
  const identity = decodeIdentityKeyPair(fromBase64(m.identity) ?? new Uint8Array());
  if (identity.kind !== 'ok') return undefined;
  const backupSeed = m.backupSeed ? fromBase64(m.backupSeed) : undefined;
  const masterKey = m.masterKey ? fromBase64(m.masterKey) : undefined;
  return {
    identity: identity.identity,
    recovery: backupSeed && masterKey ? { backupSeed, masterKey } : undefined,
  };
}

/** The new device tells the signed-in one it is set up (its KeyPackages are published). */
export async function sendReady(
  api: RchatApi,
  sessionId: string,
  channel: LinkChannel,
  deviceId: string,
): Promise<void> {
  await postSealed(api, sessionId, channel, { t: 'ready', deviceId });
}
