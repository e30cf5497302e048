import { createGroup as createMlsGroup } from 'ts-mls';
import { randomBytes } from '../util/bytes.ts';
import { loadCipherSuite } from './cipher-suites.ts';
import { clientConfigFor } from './client-config.ts';
import type { DeviceKeys } from './device-keys.ts';
import { makeGroup, type Group } from './group.ts';
import { decodeKeyPackage, generateKeyPackage } from './key-packages.ts';
import { assertSuiteAllowed, type MlsClient } from './mls-client.ts';

export interface CreateGroupOptions {
  /** The MLS group id; 32 random bytes when omitted. The server never needs to read it. */
  readonly groupId?: Uint8Array;
}

/** A new group whose only member is this device, at epoch 0, in the device's cipher suite. */
export async function createGroup(
  client: MlsClient,
  device: DeviceKeys,
  options: CreateGroupOptions = {},
): Promise<Group> {
  const suite = device.certificate.cipherSuite;
  assertSuiteAllowed(client, suite);
  const impl = await loadCipherSuite(suite);
  const own = await generateKeyPackage(device, { now: client.now() });
  const decoded = decodeKeyPackage(own.keyPackage);
  if (decoded.kind !== 'ok') throw new Error(decoded.message);
  const { config } = clientConfigFor(client, suite);
  const state = await createMlsGroup(
    options.groupId ?? randomBytes(32),
    decoded.keyPackage,
    own.privateKeys,
    [],
    impl,
    config,
  );
  return makeGroup({ state, cipherSuite: suite, seen: [] });
}
