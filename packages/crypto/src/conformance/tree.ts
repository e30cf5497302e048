// RFC 9420 §7 ratchet tree: hashes, resolutions, validation, proposals and TreeKEM.
import { decodeProposal } from 'ts-mls/proposal.js';
import {
  addLeafNode,
  decodeRatchetTree,
  encodeRatchetTree,
  removeLeafNode,
  resolution,
  updateLeafNode,
  type RatchetTree,
} from 'ts-mls/ratchetTree.js';
import { verifyLeafNodeSignature } from 'ts-mls/leafNode.js';
import { verifyParentHashes } from 'ts-mls/parentHash.js';
import { treeHash, treeHashRoot } from 'ts-mls/treeHash.js';
import { nodeToLeafIndex, toLeafIndex, toNodeIndex } from 'ts-mls/treemath.js';
import { loadCipherSuite, type CipherSuiteId } from '../mls/cipher-suites.ts';

export function decodeTree(bytes: Uint8Array): RatchetTree {
  const decoded = decodeRatchetTree(bytes, 0);
  if (decoded === undefined || decoded[1] !== bytes.length)
    throw new Error('Ratchet tree does not decode.');
  return decoded[0];
}

export interface TreeReport {
  readonly treeHashes: Uint8Array[];
  readonly resolutions: number[][];
  readonly parentHashesValid: boolean;
  readonly leafSignaturesValid: boolean;
}

/** Everything a joiner checks about a received tree. */
export async function inspectTree(
  suite: CipherSuiteId,
  treeBytes: Uint8Array,
  groupId: Uint8Array,
): Promise<TreeReport> {
  const impl = await loadCipherSuite(suite);
  const tree = decodeTree(treeBytes);
  const treeHashes: Uint8Array[] = [];
  const resolutions: number[][] = [];
  let leafSignaturesValid = true;
  for (let i = 0; i < tree.length; i++) {
    treeHashes.push(await treeHash(tree, toNodeIndex(i), impl.hash));
    resolutions.push(resolution(tree, toNodeIndex(i)));
    const node = tree[i];
    if (node?.nodeType === 'leaf')
      leafSignaturesValid &&= await verifyLeafNodeSignature(
        node.leaf,
        groupId,
        nodeToLeafIndex(toNodeIndex(i)),
        impl.signature,
      );
  }
  return {
    treeHashes,
    resolutions,
    parentHashesValid: await verifyParentHashes(tree, impl.hash),
    leafSignaturesValid,
  };
}

/** Applies one Add, Update or Remove proposal to a tree. */
export async function applyProposalToTree(
  suite: CipherSuiteId,
  treeBytes: Uint8Array,
  proposalBytes: Uint8Array,
  sender: number,
) {
  const impl = await loadCipherSuite(suite);
  const tree = decodeTree(treeBytes);
  const proposal = decodeProposal(proposalBytes, 0)?.[0];
  let after: RatchetTree;
  switch (proposal?.proposalType) {
    case 'add':
      after = addLeafNode(tree, proposal.add.keyPackage.leafNode)[0];
      break;
    case 'update':
      after = updateLeafNode(tree, proposal.update.leafNode, toLeafIndex(sender));
      break;
    case 'remove':
      after = removeLeafNode(tree, toLeafIndex(proposal.remove.removed));
      break;
    default:
      throw new Error('Only add, update and remove change the tree.');
  }
  return {
    treeHashBefore: await treeHashRoot(tree, impl.hash),
    tree: encodeRatchetTree(after),
    treeHashAfter: await treeHashRoot(after, impl.hash),
  };
}
