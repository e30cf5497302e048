import {
  createApplicationMessage,
  encodeMlsMessage,
  getCiphersuiteFromName,
  zeroOutUint8Array,
} from 'ts-mls';
import { cipherSuiteName, loadCipherSuite } from './cipher-suites.ts';
import { clientConfigFor } from './client-config.ts';
import { groupData, makeGroup, markSpent, type Group } from './group.ts';
import type { MlsClient } from './mls-client.ts';
import { applicationPadTarget } from './padding.ts';

export interface EncryptOptions {
  /** Sent in clear but authenticated (RFC 9420 authenticated_data). */
  readonly authenticatedData?: Uint8Array;
}

export interface EncryptedMessage {
  /** The next Group state; the one passed in is spent. */
  readonly group: Group;
  /** MLSMessage (PrivateMessage) for the server to store and fan out. */
  readonly message: Uint8Array;
}

/** Encrypts application data (an encoded envelope) for the group, padded to a length bucket. */
export async function encryptMessage(
  client: MlsClient,
  group: Group,
  plaintext: Uint8Array,
  options: EncryptOptions = {},
): Promise<EncryptedMessage> {
  const data = groupData(group);
  if (data.state.groupActiveState.kind !== 'active')
    throw new Error('This device is no longer a member of the group and cannot send to it.');
  const impl = await loadCipherSuite(data.cipherSuite);
  const alg = getCiphersuiteFromName(cipherSuiteName(data.cipherSuite)).signature;
  const { config } = clientConfigFor(client, data.cipherSuite);
  const state = {
    ...data.state,
    clientConfig: {
      ...config,
      paddingConfig: {
        kind: 'padUntilLength' as const,
        padUntilLength: applicationPadTarget(plaintext.length, alg),
      },
    },
  };
  const result = await createApplicationMessage(state, plaintext, impl, options.authenticatedData);
  const message = encodeMlsMessage({
    version: 'mls10',
    wireformat: 'mls_private_message',
    privateMessage: result.privateMessage,
  });
  markSpent(group);
  result.consumed.forEach(zeroOutUint8Array);
  return { group: makeGroup({ ...data, state: result.newState }), message };
}
