// RFC 9420 interop TreeKEM vectors through @rchat/crypto's conformance entry points.
// Sampled to keep the crypto run near a minute on two cores: all 11 vectors of suite 1, the first
// vector of every other suite (X448, P-521 and P-384 are slow in pure JS); every suite in the file
// runs.
import { describe, expect, it } from 'vitest';
import * as mls from '../../src/conformance/index.ts';
import type { CipherSuiteId } from '../../src/index.ts';
import { dataFolder, hex, readJson, sampleBySuite, toHexString } from './test-data.ts';

const data = dataFolder('mls-test-vectors');
const load = <T>(file: string): T[] => (data.exists ? readJson<T[]>(data.path, file) : []);
const suiteOf = (v: { cipher_suite: number }) => v.cipher_suite as CipherSuiteId;

interface TreeKemVector {
  cipher_suite: number;
  group_id: string;
  epoch: number;
  confirmed_transcript_hash: string;
  ratchet_tree: string;
  leaves_private: {
    index: number;
    encryption_priv: string;
    signature_priv: string;
    path_secrets: { node: number; path_secret: string }[];
  }[];
  update_paths: {
    sender: number;
    update_path: string;
    path_secrets: (string | null)[];
    commit_secret: string;
    tree_hash_after: string;
  }[];
}

describe.skipIf(!data.exists)(`MLS test vectors: TreeKEM${data.skipNote}`, () => {
  it.each(sampleBySuite(load<TreeKemVector>('treekem.json'), [1], 1))(
    'treekem, suite $cipher_suite, $leaves_private.length private leaves',
    async (v) => {
      const s = suiteOf(v);
      const leaves: mls.PrivateLeaf[] = v.leaves_private.map((l) => ({
        index: l.index,
        encryptionPrivateKey: hex(l.encryption_priv),
        signaturePrivateKey: hex(l.signature_priv),
        pathSecrets: new Map(l.path_secrets.map((p) => [p.node, hex(p.path_secret)])),
      }));
      for (const leaf of leaves)
        expect(await mls.pathSecretsMatchTree(s, hex(v.ratchet_tree), leaf)).toBe(true);
      const setting = {
        groupId: hex(v.group_id),
        epoch: BigInt(v.epoch),
        confirmedTranscriptHash: hex(v.confirmed_transcript_hash),
        tree: hex(v.ratchet_tree),
      };
      for (const path of v.update_paths) {
        const got = await mls.processUpdatePath(
          s,
          setting,
          path.sender,
          hex(path.update_path),
          leaves,
        );
        expect(toHexString(got.treeHashAfter)).toBe(path.tree_hash_after);
        for (const [index, r] of got.receivers) {
          expect(toHexString(r.pathSecret)).toBe(path.path_secrets[index]);
          expect(toHexString(r.commitSecret)).toBe(path.commit_secret);
        }
        expect(got.receivers.size).toBe(leaves.length - 1);
        expect(got.freshPathAgrees).toBe(true);
      }
    },
  );
});
