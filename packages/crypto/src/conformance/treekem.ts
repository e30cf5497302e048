// RFC 9420 §7.4–7.6 TreeKEM: applying an UpdatePath and recovering the path and commit secrets.
import type { GroupContext } from 'ts-mls';
import { applyUpdatePathSecret } from 'ts-mls/createCommit.js';
import { deriveSecret } from 'ts-mls/crypto/kdf.js';
import { getCommitSecret } from 'ts-mls/pathSecrets.js';
import { toPrivateKeyPath, type PrivateKeyPath } from 'ts-mls/privateKeyPath.js';
import { getHpkePublicKey, type RatchetTree } from 'ts-mls/ratchetTree.js';
import { treeHashRoot } from 'ts-mls/treeHash.js';
import { leafToNodeIndex, toLeafIndex } from 'ts-mls/treemath.js';
import { applyUpdatePath, createUpdatePath, decodeUpdatePath } from 'ts-mls/updatePath.js';
import { loadCipherSuite, type CipherSuiteId } from '../mls/cipher-suites.ts';
import { decodeTree } from './tree.ts';
import { groupContextOf } from './key-schedule.ts';

export interface PrivateLeaf {
  readonly index: number;
  readonly encryptionPrivateKey: Uint8Array;
  readonly signaturePrivateKey: Uint8Array;
  /** Path secrets this leaf knows, by node index. */
  readonly pathSecrets: ReadonlyMap<number, Uint8Array>;
}

export interface TreeKemSetting {
  readonly groupId: Uint8Array;
  readonly epoch: bigint;
  readonly confirmedTranscriptHash: Uint8Array;
  readonly tree: Uint8Array;
}

const privatePaths = new WeakMap<PrivateLeaf, Promise<PrivateKeyPath>>();

/**
 * The leaf's private keys along its path (memoised: deriving HPKE key pairs is the expensive part).
 */
function privatePathOf(suite: CipherSuiteId, leaf: PrivateLeaf): Promise<PrivateKeyPath> {
  let path = privatePaths.get(leaf);
  if (path === undefined) {
    path = derivePrivatePath(suite, leaf);
    privatePaths.set(leaf, path);
  }
  return path;
}

async function derivePrivatePath(suite: CipherSuiteId, leaf: PrivateLeaf): Promise<PrivateKeyPath> {
  const impl = await loadCipherSuite(suite);
  const secrets: Record<number, Uint8Array> = Object.fromEntries(leaf.pathSecrets);
  const path = await toPrivateKeyPath(secrets, leaf.index, impl);
  return {
    ...path,
    privateKeys: {
      ...path.privateKeys,
      [leafToNodeIndex(toLeafIndex(leaf.index))]: leaf.encryptionPrivateKey,
    },
  };
}

/** True when each known path secret derives the public key stored at its node. */
export async function pathSecretsMatchTree(
  suite: CipherSuiteId,
  treeBytes: Uint8Array,
  leaf: PrivateLeaf,
): Promise<boolean> {
  const impl = await loadCipherSuite(suite);
  const tree = decodeTree(treeBytes);
  for (const [nodeIndex, secret] of leaf.pathSecrets) {
    const { publicKey } = await impl.hpke.deriveKeyPair(
      await deriveSecret(secret, 'node', impl.kdf),
    );
    const node = tree[nodeIndex];
    if (node === undefined) return false;
    const expected = getHpkePublicKey(node);
    const actual = await impl.hpke.exportPublicKey(publicKey);
    if (expected.length !== actual.length || expected.some((b, i) => b !== actual[i])) return false;
  }
  return true;
}

export interface UpdatePathResult {
  readonly treeHashAfter: Uint8Array;
  /** For each receiving leaf (by index): the path secret it decrypts and the commit secret. */
  readonly receivers: Map<number, { pathSecret: Uint8Array; commitSecret: Uint8Array }>;
  /**
   * Whether every receiver derives the same commit secret from a fresh UpdatePath by the same
   * sender.
   */
  readonly freshPathAgrees: boolean;
}

export async function processUpdatePath(
  suite: CipherSuiteId,
  setting: TreeKemSetting,
  sender: number,
  updatePathBytes: Uint8Array,
  leaves: readonly PrivateLeaf[],
): Promise<UpdatePathResult> {
  const impl = await loadCipherSuite(suite);
  const tree: RatchetTree = decodeTree(setting.tree);
  const updatePath = decodeUpdatePath(updatePathBytes, 0)?.[0];
  if (updatePath === undefined) throw new Error('UpdatePath does not decode.');
  const updated = await applyUpdatePath(tree, toLeafIndex(sender), updatePath, impl.hash);
  const treeHashAfter = await treeHashRoot(updated, impl.hash);
  const context: GroupContext = groupContextOf(suite, { ...setting, treeHash: treeHashAfter });
  const receivers = new Map<number, { pathSecret: Uint8Array; commitSecret: Uint8Array }>();

  const senderLeaf = leaves.find((l) => l.index === sender);
  if (senderLeaf === undefined) throw new Error('The sender has no private state.');
  const [fresh, freshPath, freshSecrets] = await createUpdatePath(
    updated,
    toLeafIndex(sender),
    context,
    senderLeaf.signaturePrivateKey,
    impl,
  );
  const rootSecret = freshSecrets.at(-1);
  if (rootSecret === undefined) throw new Error('The fresh UpdatePath has no secrets.');
  const expectedFresh = await deriveSecret(rootSecret.secret, 'path', impl.kdf);
  const freshContext = {
    ...context,
    treeHash: await treeHashRoot(fresh, impl.hash),
    epoch: context.epoch + 1n,
  };
  let freshPathAgrees = true;

  for (const leaf of leaves) {
    if (leaf.index === sender) continue;
    const path = await privatePathOf(suite, leaf);
    const got = await applyUpdatePathSecret(
      tree,
      path,
      toLeafIndex(sender),
      context,
      updatePath,
      [],
      impl,
    );
    receivers.set(leaf.index, {
      pathSecret: got.pathSecret,
      commitSecret: await getCommitSecret(tree, got.nodeIndex, got.pathSecret, impl.kdf),
    });
    const again = await applyUpdatePathSecret(
      tree,
      path,
      toLeafIndex(sender),
      freshContext,
      freshPath,
      [],
      impl,
    );
    const commit = await getCommitSecret(tree, again.nodeIndex, again.pathSecret, impl.kdf);
    freshPathAgrees &&=
      commit.length === expectedFresh.length && commit.every((b, i) => b === expectedFresh[i]);
  }
  return { treeHashAfter, receivers, freshPathAgrees };
}
