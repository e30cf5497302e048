// RFC 9420 §6 message framing and protection with secrets given by the caller.
import {
  decodeMlsMessage,
  defaultCapabilities,
  defaultKeyRetentionConfig,
  encodeMlsMessage,
} from 'ts-mls';
import { encodeCommit } from 'ts-mls/commit.js';
import {
  protectApplicationData,
  protectProposal,
  unprotectPrivateMessage,
} from 'ts-mls/messageProtection.js';
import { unprotectPublicMessage } from 'ts-mls/messageProtectionPublic.js';
import { decodeProposal, encodeProposal } from 'ts-mls/proposal.js';
import type { RatchetTree } from 'ts-mls/ratchetTree.js';
import { createSecretTree } from 'ts-mls/secretTree.js';
import { loadCipherSuite, type CipherSuiteId } from '../mls/cipher-suites.ts';
import { assertNever } from '@rchat/protocol';
import { groupContextOf } from './key-schedule.ts';

export interface ProtectionContext {
  readonly groupId: Uint8Array;
  readonly epoch: bigint;
  readonly treeHash: Uint8Array;
  readonly confirmedTranscriptHash: Uint8Array;
  readonly encryptionSecret: Uint8Array;
  readonly senderDataSecret: Uint8Array;
  readonly membershipKey: Uint8Array;
  /** The sender's signature key (the sender is leaf 1 of a two-leaf tree). */
  readonly signaturePublicKey: Uint8Array;
}

/** A two-leaf tree whose leaf 1 is non-blank, so sender data pointing at it is accepted. */
const treeWithLeaf1: RatchetTree = [
  undefined,
  undefined,
  {
    nodeType: 'leaf',
    leaf: {
      leafNodeSource: 'commit',
      hpkePublicKey: new Uint8Array(),
      signaturePublicKey: new Uint8Array(),
      capabilities: defaultCapabilities(),
      parentHash: new Uint8Array(),
      extensions: [],
      signature: new Uint8Array(),
      credential: { credentialType: 'basic', identity: new Uint8Array() },
    },
  },
];

export type UnprotectedContent = {
  contentType: 'application' | 'proposal' | 'commit';
  content: Uint8Array;
};

/** Opens a PrivateMessage or verifies a PublicMessage; returns the encoded content it carries. */
export async function unprotectMessage(
  suite: CipherSuiteId,
  ctx: ProtectionContext,
  message: Uint8Array,
): Promise<UnprotectedContent> {
  const impl = await loadCipherSuite(suite);
  const gc = groupContextOf(suite, ctx);
  const decoded = decodeMlsMessage(message, 0)?.[0];
  if (decoded?.wireformat === 'mls_public_message') {
    const content = (
      await unprotectPublicMessage(
        ctx.membershipKey,
        gc,
        [],
        decoded.publicMessage,
        impl,
        ctx.signaturePublicKey,
      )
    ).content;
    return content.contentType === 'commit'
      ? { contentType: 'commit', content: encodeCommit(content.commit) }
      : { contentType: 'proposal', content: encodeProposal(content.proposal) };
  }
  if (decoded?.wireformat !== 'mls_private_message')
    throw new Error('Expected a PublicMessage or PrivateMessage.');
  const secretTree = await createSecretTree(2, ctx.encryptionSecret, impl.kdf);
  const { content } = (
    await unprotectPrivateMessage(
      ctx.senderDataSecret,
      decoded.privateMessage,
      secretTree,
      treeWithLeaf1,
      gc,
      defaultKeyRetentionConfig,
      impl,
      ctx.signaturePublicKey,
    )
  ).content;
  switch (content.contentType) {
    case 'application':
      return { contentType: 'application', content: content.applicationData };
    case 'proposal':
      return { contentType: 'proposal', content: encodeProposal(content.proposal) };
    case 'commit':
      return { contentType: 'commit', content: encodeCommit(content.commit) };
    default:
      return assertNever(content, 'content type');
  }
}

/** Protects application data or a proposal as a PrivateMessage from leaf 1. */
export async function protectMessage(
  suite: CipherSuiteId,
  ctx: ProtectionContext,
  signaturePrivateKey: Uint8Array,
  kind: 'application' | 'proposal',
  content: Uint8Array,
): Promise<Uint8Array> {
  const impl = await loadCipherSuite(suite);
  const gc = groupContextOf(suite, ctx);
  const secretTree = await createSecretTree(2, ctx.encryptionSecret, impl.kdf);
  const padding = { kind: 'padUntilLength' as const, padUntilLength: 0 };
  if (kind === 'application') {
    const r = await protectApplicationData(
      signaturePrivateKey,
      ctx.senderDataSecret,
      content,
      new Uint8Array(),
      gc,
      secretTree,
      1,
      padding,
      impl,
    );
    return encodeMlsMessage({
      version: 'mls10',
      wireformat: 'mls_private_message',
      privateMessage: r.privateMessage,
    });
  }
  const proposal = decodeProposal(content, 0)?.[0];
  if (proposal === undefined) throw new Error('Proposal does not decode.');
  const r = await protectProposal(
    signaturePrivateKey,
    ctx.senderDataSecret,
    proposal,
    new Uint8Array(),
    gc,
    secretTree,
    1,
    padding,
    impl,
  );
  return encodeMlsMessage({
    version: 'mls10',
    wireformat: 'mls_private_message',
    privateMessage: r.privateMessage,
  });
}
