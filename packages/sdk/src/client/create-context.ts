import { createMlsClient, type DeviceKeys, type IdentityKeyPair } from '@rchat/crypto';
import type { SessionResponse } from '@rchat/protocol';
import type { RchatApi } from '../api.ts';
import type { AccountStore } from './account-store.ts';
import type { RchatClientOptions } from './client-options.ts';
import { raiseAlert, type ClientContext } from './context.ts';
import { ownIdentityResetAlert, peerIdentityChanged } from './identity-changes.ts';
import { recordDeviceJoins } from './conversation-devices.ts';
import { Emitter, Mutex } from './emitter.ts';
import { GroupStore } from './group-store.ts';
import { MessageBackup } from './message-backup.ts';
import { MessageStore } from './message-store.ts';
import { Outbox } from './outbox.ts';
import { OutboxDrain } from './outbox-drain.ts';
import { KEY_ROTATION_INTERVAL_MS } from './send-queued.ts';
import { DirectoryTrust } from './trust.ts';

/**
 * Everything a signed-in device with keys works with: trust, MLS policy, stores, backup and events.
 */
export async function createClientContext(
  options: RchatClientOptions,
  api: RchatApi,
  account: AccountStore,
  session: SessionResponse,
  identity: IdentityKeyPair,
  device: DeviceKeys,
): Promise<ClientContext> {
  const trust = new DirectoryTrust(api, account.sealed, {
    userId: session.user.id,
    identityKey: identity.publicKey,
  });
  const policy = await api
    .wellKnown()
    .catch(() => ({ cipherSuites: [device.certificate.cipherSuite] }));
  const mls = createMlsClient({ trust, allowedCipherSuites: policy.cipherSuites });
  const events = new Emitter();
  const recovery = await account.recoverySecrets();
  const backup = recovery
    ? new MessageBackup({
        api,
        store: account.sealed,
        userId: session.user.id,
        deviceId: session.deviceId,
        identity,
        secrets: recovery,
        onError: (message) => events.emit('warning', { message }),
      })
    : null;
  const ctx: ClientContext = {
    api,
    account,
    identity,
    device,
    mls,
    groups: new GroupStore(options.storage, `acct/${session.user.id}/`, mls),
    messages: new MessageStore(account.sealed),
    outbox: new Outbox(account.sealed),
    drain: new OutboxDrain(() => ctx),
    backup,
    trust,
    events,
    lock: new Mutex(),
    userId: session.user.id,
    username: session.user.username,
    deviceId: session.deviceId,
    keyRotationIntervalMs: options.keyRotationIntervalMs ?? KEY_ROTATION_INTERVAL_MS,
  };
  trust.onIdentityChange = (userId, pending) => void peerIdentityChanged(ctx, userId, pending);
  trust.onOwnMismatch = () => raiseAlert(ctx, ownIdentityResetAlert);
  events.on(
    'devices',
    (change) =>
      void recordDeviceJoins(
        ctx,
        change.conversationId,
        change.added.map((d) => d.deviceId),
      ).catch(() => undefined),
  );
  return ctx;
}
