// RFC 9420 interop vectors for ratchet-tree operations and validation (tree-validation sampled:
// all vectors of suites 1-3, the first two of suites 4-7), through @rchat/crypto's conformance
// entry points.
import { describe, expect, it } from 'vitest';
import * as mls from '../../src/conformance/index.ts';
import type { CipherSuiteId } from '../../src/index.ts';
import { dataFolder, hex, readJson, sampleBySuite, toHexString } from './test-data.ts';

const data = dataFolder('mls-test-vectors');
const load = <T>(file: string): T[] => (data.exists ? readJson<T[]>(data.path, file) : []);
const suiteOf = (v: { cipher_suite: number }) => v.cipher_suite as CipherSuiteId;

describe.skipIf(!data.exists)(`MLS test vectors: ratchet tree${data.skipNote}`, () => {
  it.each(
    load<{
      cipher_suite: number;
      tree_before: string;
      proposal: string;
      proposal_sender: number;
      tree_after: string;
      tree_hash_before: string;
      tree_hash_after: string;
    }>('tree-operations.json'),
  )('tree-operations, suite $cipher_suite, sender $proposal_sender', async (v) => {
    const got = await mls.applyProposalToTree(
      suiteOf(v),
      hex(v.tree_before),
      hex(v.proposal),
      v.proposal_sender,
    );
    expect(toHexString(got.treeHashBefore)).toBe(v.tree_hash_before);
    expect(toHexString(got.tree)).toBe(v.tree_after);
    expect(toHexString(got.treeHashAfter)).toBe(v.tree_hash_after);
  });

  it.each(
    sampleBySuite(
      load<{
        cipher_suite: number;
        tree: string;
        group_id: string;
        tree_hashes: string[];
        resolutions: number[][];
      }>('tree-validation.json'),
      [1, 2, 3],
    ),
  )('tree-validation, suite $cipher_suite, $tree_hashes.length nodes', async (v) => {
    const got = await mls.inspectTree(suiteOf(v), hex(v.tree), hex(v.group_id));
    expect(got.treeHashes.map(toHexString)).toEqual(v.tree_hashes);
    expect(got.resolutions).toEqual(v.resolutions);
    expect(got.parentHashesValid).toBe(true);
    expect(got.leafSignaturesValid).toBe(true);
    // The same checks fail once the group id (signed into every leaf) differs.
    const other = hex(v.group_id);
    other[0] = (other[0] ?? 0) ^ 1;
    if (v.cipher_suite === 1)
      expect((await mls.inspectTree(suiteOf(v), hex(v.tree), other)).leafSignaturesValid).toBe(
        false,
      );
  });
});
