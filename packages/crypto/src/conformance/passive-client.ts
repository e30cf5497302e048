// A member that only joins and follows: RFC 9420 interop "passive client" scenarios.
import {
  bytesToBase64,
  decodeMlsMessage,
  defaultKeyPackageEqualityConfig,
  defaultKeyRetentionConfig,
  defaultLifetimeConfig,
  defaultPaddingConfig,
  joinGroup,
  makePskIndex,
  processPrivateMessage,
  processPublicMessage,
  type AuthenticationService,
  type ClientConfig,
  type ClientState,
} from 'ts-mls';
import { decodeRatchetTree } from 'ts-mls/ratchetTree.js';
import { loadCipherSuite, type CipherSuiteId } from '../mls/cipher-suites.ts';

export interface PassiveClientInput {
  readonly suite: CipherSuiteId;
  readonly keyPackage: Uint8Array;
  readonly initPrivateKey: Uint8Array;
  readonly encryptionPrivateKey: Uint8Array;
  readonly signaturePrivateKey: Uint8Array;
  readonly welcome: Uint8Array;
  readonly ratchetTree?: Uint8Array;
  readonly externalPsks: readonly { id: Uint8Array; psk: Uint8Array }[];
}

export interface PassiveClient {
  epochAuthenticator(): Uint8Array;
  /** Applies a proposal or commit (public or private message). */
  process(message: Uint8Array): Promise<void>;
}

/**
 * Joins with the given keys and follows the group. The caller supplies the
 * Authentication Service: interop vectors carry credentials of their own.
 */
export async function joinPassively(
  input: PassiveClientInput,
  authService: AuthenticationService,
): Promise<PassiveClient> {
  const impl = await loadCipherSuite(input.suite);
  const config: ClientConfig = {
    keyRetentionConfig: defaultKeyRetentionConfig,
    lifetimeConfig: defaultLifetimeConfig,
    keyPackageEqualityConfig: defaultKeyPackageEqualityConfig,
    paddingConfig: defaultPaddingConfig,
    authService,
  };
  const kp = decodeMlsMessage(input.keyPackage, 0)?.[0];
  const welcome = decodeMlsMessage(input.welcome, 0)?.[0];
  if (kp?.wireformat !== 'mls_key_package' || welcome?.wireformat !== 'mls_welcome')
    throw new Error('Expected a KeyPackage and a Welcome.');
  const tree =
    input.ratchetTree === undefined ? undefined : decodeRatchetTree(input.ratchetTree, 0)?.[0];
  const psks: Record<string, Uint8Array> = Object.fromEntries(
    input.externalPsks.map((p) => [bytesToBase64(p.id), p.psk]),
  );
  const keys = {
    initPrivateKey: input.initPrivateKey,
    hpkePrivateKey: input.encryptionPrivateKey,
    signaturePrivateKey: input.signaturePrivateKey,
  };
  let state: ClientState = await joinGroup(
    welcome.welcome,
    kp.keyPackage,
    keys,
    makePskIndex(undefined, psks),
    impl,
    tree,
    undefined,
    config,
  );
  return {
    epochAuthenticator: () => state.keySchedule.epochAuthenticator,
    async process(message) {
      const m = decodeMlsMessage(message, 0)?.[0];
      if (m?.wireformat === 'mls_private_message')
        state = (
          await processPrivateMessage(state, m.privateMessage, makePskIndex(state, psks), impl)
        ).newState;
      else if (m?.wireformat === 'mls_public_message')
        state = (
          await processPublicMessage(state, m.publicMessage, makePskIndex(state, psks), impl)
        ).newState;
      else throw new Error('Expected a proposal or commit.');
    },
  };
}
