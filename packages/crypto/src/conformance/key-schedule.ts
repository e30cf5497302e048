// RFC 9420 §8 key schedule, §8.4 PSKs, §9 secret tree and §8.2 transcript hashes.
import { defaultKeyRetentionConfig } from 'ts-mls';
import { decodeAuthenticatedContent } from 'ts-mls/authenticatedContent.js';
import { encodeGroupContext, type GroupContext } from 'ts-mls/groupContext.js';
import { initializeEpoch, mlsExporter } from 'ts-mls/keySchedule.js';
import { computePskSecret } from 'ts-mls/presharedkey.js';
import { createSecretTree, deriveKey, deriveNonce, ratchetUntil } from 'ts-mls/secretTree.js';
import { expandSenderDataKey, expandSenderDataNonce } from 'ts-mls/sender.js';
import { createConfirmedHash, createInterimHash } from 'ts-mls/transcriptHash.js';
import { leafToNodeIndex, toLeafIndex } from 'ts-mls/treemath.js';
import { cipherSuiteName, loadCipherSuite, type CipherSuiteId } from '../mls/cipher-suites.ts';

export interface EpochInput {
  readonly groupId: Uint8Array;
  readonly epoch: bigint;
  readonly treeHash: Uint8Array;
  readonly confirmedTranscriptHash: Uint8Array;
  readonly initSecret: Uint8Array;
  readonly commitSecret: Uint8Array;
  readonly pskSecret: Uint8Array;
}

export function groupContextOf(
  suite: CipherSuiteId,
  e: Pick<EpochInput, 'groupId' | 'epoch' | 'treeHash' | 'confirmedTranscriptHash'>,
): GroupContext {
  return {
    version: 'mls10',
    cipherSuite: cipherSuiteName(suite),
    groupId: e.groupId,
    epoch: e.epoch,
    treeHash: e.treeHash,
    confirmedTranscriptHash: e.confirmedTranscriptHash,
    extensions: [],
  };
}

/** Every secret of one epoch, plus the encoded GroupContext and external_pub. */
export async function epochSecrets(suite: CipherSuiteId, e: EpochInput) {
  const impl = await loadCipherSuite(suite);
  const context = groupContextOf(suite, e);
  const {
    keySchedule: k,
    joinerSecret,
    welcomeSecret,
    encryptionSecret,
  } = await initializeEpoch(e.initSecret, e.commitSecret, context, e.pskSecret, impl.kdf);
  const { publicKey } = await impl.hpke.deriveKeyPair(k.externalSecret);
  return {
    groupContext: encodeGroupContext(context),
    joinerSecret,
    welcomeSecret,
    encryptionSecret,
    initSecret: k.initSecret,
    senderDataSecret: k.senderDataSecret,
    exporterSecret: k.exporterSecret,
    externalSecret: k.externalSecret,
    confirmationKey: k.confirmationKey,
    membershipKey: k.membershipKey,
    resumptionPsk: k.resumptionPsk,
    epochAuthenticator: k.epochAuthenticator,
    externalPub: await impl.hpke.exportPublicKey(publicKey),
  };
}

export async function exporterSecret(
  suite: CipherSuiteId,
  exporter: Uint8Array,
  label: string,
  context: Uint8Array,
  length: number,
): Promise<Uint8Array> {
  return mlsExporter(exporter, label, context, length, await loadCipherSuite(suite));
}

export interface ExternalPsk {
  readonly id: Uint8Array;
  readonly psk: Uint8Array;
  readonly nonce: Uint8Array;
}

export async function pskSecret(
  suite: CipherSuiteId,
  psks: readonly ExternalPsk[],
): Promise<Uint8Array> {
  return computePskSecret(
    psks.map((p) => [{ psktype: 'external', pskId: p.id, pskNonce: p.nonce }, p.psk]),
    await loadCipherSuite(suite),
  );
}

export async function senderDataKeyAndNonce(
  suite: CipherSuiteId,
  senderDataSecret: Uint8Array,
  ciphertext: Uint8Array,
): Promise<{ key: Uint8Array; nonce: Uint8Array }> {
  const impl = await loadCipherSuite(suite);
  return {
    key: await expandSenderDataKey(impl, senderDataSecret, ciphertext),
    nonce: await expandSenderDataNonce(impl, senderDataSecret, ciphertext),
  };
}

export interface RatchetKeys {
  readonly handshakeKey: Uint8Array;
  readonly handshakeNonce: Uint8Array;
  readonly applicationKey: Uint8Array;
  readonly applicationNonce: Uint8Array;
}

/** Keys and nonces of one leaf's handshake and application ratchets at each of `generations`. */
export async function ratchetKeys(
  suite: CipherSuiteId,
  encryptionSecret: Uint8Array,
  leafCount: number,
  leaf: number,
  generations: readonly number[],
): Promise<RatchetKeys[]> {
  const impl = await loadCipherSuite(suite);
  const tree = await createSecretTree(leafCount, encryptionSecret, impl.kdf);
  const node = tree[leafToNodeIndex(toLeafIndex(leaf))];
  if (node === undefined) throw new Error(`No leaf ${leaf} in a tree of ${leafCount}.`);
  const out: RatchetKeys[] = [];
  for (const generation of generations) {
    const config = {
      ...defaultKeyRetentionConfig,
      maximumForwardRatchetSteps: Math.max(
        generation + 1,
        defaultKeyRetentionConfig.maximumForwardRatchetSteps,
      ),
    };
    const [hs] = await ratchetUntil(node.handshake, generation, config, impl.kdf);
    const [app] = await ratchetUntil(node.application, generation, config, impl.kdf);
    out.push({
      handshakeKey: await deriveKey(hs.secret, generation, impl),
      handshakeNonce: await deriveNonce(hs.secret, generation, impl),
      applicationKey: await deriveKey(app.secret, generation, impl),
      applicationNonce: await deriveNonce(app.secret, generation, impl),
    });
  }
  return out;
}

/** Transcript hashes after a commit, and whether its confirmation tag verifies. */
export async function transcriptHashes(
  suite: CipherSuiteId,
  authenticatedContent: Uint8Array,
  interimBefore: Uint8Array,
  confirmationKey: Uint8Array,
) {
  const impl = await loadCipherSuite(suite);
  const decoded = decodeAuthenticatedContent(authenticatedContent, 0);
  if (decoded === undefined) throw new Error('AuthenticatedContent does not decode.');
  const auth = decoded[0];
  if (auth.content.contentType !== 'commit' || auth.auth.contentType !== 'commit')
    throw new Error('Not a commit.');
  const confirmed = await createConfirmedHash(
    interimBefore,
    { wireformat: auth.wireformat, content: auth.content, signature: auth.auth.signature },
    impl.hash,
  );
  return {
    confirmedTranscriptHash: confirmed,
    interimTranscriptHash: await createInterimHash(confirmed, auth.auth.confirmationTag, impl.hash),
    confirmationTagValid: await impl.hash.verifyMac(
      confirmationKey,
      auth.auth.confirmationTag,
      confirmed,
    ),
  };
}
