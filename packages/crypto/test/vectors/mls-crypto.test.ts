// RFC 9420 interop vectors (mlswg/mls-implementations) for the key schedule, framing and codecs,
// run through @rchat/crypto's conformance entry points with our suite implementations.
import { describe, expect, it } from 'vitest';
import * as mls from '../../src/conformance/index.ts';
import type { CipherSuiteId } from '../../src/index.ts';
import { dataFolder, hex, readJson, toHexString } from './test-data.ts';

const data = dataFolder('mls-test-vectors');
const load = <T>(file: string): T[] => (data.exists ? readJson<T[]>(data.path, file) : []);
const suiteOf = (v: { cipher_suite: number }) => v.cipher_suite as CipherSuiteId;

interface Labelled {
  label: string;
}

describe.skipIf(!data.exists)(`MLS test vectors: crypto and key schedule${data.skipNote}`, () => {
  it.each(
    load<{
      cipher_suite: number;
      ref_hash: Labelled & { value: string; out: string };
      expand_with_label: Labelled & {
        secret: string;
        context: string;
        length: number;
        out: string;
      };
      derive_secret: Labelled & { secret: string; out: string };
      derive_tree_secret: Labelled & { secret: string; generation: number; out: string };
      sign_with_label: Labelled & { priv: string; pub: string; content: string; signature: string };
      encrypt_with_label: Labelled & {
        priv: string;
        pub: string;
        context: string;
        plaintext: string;
        kem_output: string;
        ciphertext: string;
      };
    }>('crypto-basics.json'),
  )('crypto-basics, suite $cipher_suite', async (v) => {
    const s = suiteOf(v);
    expect(toHexString(await mls.refHash(s, v.ref_hash.label, hex(v.ref_hash.value)))).toBe(
      v.ref_hash.out,
    );
    const e = v.expand_with_label;
    expect(
      toHexString(await mls.expandWithLabel(s, hex(e.secret), e.label, hex(e.context), e.length)),
    ).toBe(e.out);
    expect(
      toHexString(await mls.deriveSecret(s, hex(v.derive_secret.secret), v.derive_secret.label)),
    ).toBe(v.derive_secret.out);
    const t = v.derive_tree_secret;
    expect(toHexString(await mls.deriveTreeSecret(s, hex(t.secret), t.label, t.generation))).toBe(
      t.out,
    );
    const g = v.sign_with_label;
    expect(
      await mls.verifyWithLabel(s, hex(g.pub), g.label, hex(g.content), hex(g.signature)),
    ).toBe(true);
    const ours = await mls.signWithLabel(s, hex(g.priv), g.label, hex(g.content));
    expect(await mls.verifyWithLabel(s, hex(g.pub), g.label, hex(g.content), ours)).toBe(true);
    expect(await mls.verifyWithLabel(s, hex(g.pub), `${g.label}x`, hex(g.content), ours)).toBe(
      false,
    );
    const c = v.encrypt_with_label;
    expect(
      toHexString(
        await mls.decryptWithLabel(
          s,
          hex(c.priv),
          c.label,
          hex(c.context),
          hex(c.kem_output),
          hex(c.ciphertext),
        ),
      ),
    ).toBe(c.plaintext);
    const sealed = await mls.encryptWithLabel(
      s,
      hex(c.pub),
      c.label,
      hex(c.context),
      hex(c.plaintext),
    );
    expect(
      toHexString(
        await mls.decryptWithLabel(
          s,
          hex(c.priv),
          c.label,
          hex(c.context),
          sealed.kemOutput,
          sealed.ciphertext,
        ),
      ),
    ).toBe(c.plaintext);
  });

  it('tree-math, every tree size', () => {
    const vectors = load<{
      n_leaves: number;
      n_nodes: number;
      root: number;
      left: (number | null)[];
      right: (number | null)[];
      parent: (number | null)[];
      sibling: (number | null)[];
    }>('tree-math.json');
    for (const v of vectors) {
      expect(mls.treeMath.nodeCount(v.n_leaves)).toBe(v.n_nodes);
      expect(mls.treeMath.root(v.n_leaves)).toBe(v.root);
      expect(v.left.map((_, i) => mls.treeMath.left(i))).toEqual(v.left);
      expect(v.right.map((_, i) => mls.treeMath.right(i))).toEqual(v.right);
      expect(v.parent.map((_, i) => mls.treeMath.parent(i, v.n_leaves))).toEqual(v.parent);
      expect(v.sibling.map((_, i) => mls.treeMath.sibling(i, v.n_leaves))).toEqual(v.sibling);
    }
    expect(vectors).toHaveLength(10);
  });

  it('deserialization of variable-length headers', () => {
    const vectors = load<{ vlbytes_header: string; length: number }>('deserialization.json');
    for (const v of vectors) expect(mls.variableLengthOf(hex(v.vlbytes_header))).toBe(v.length);
    expect(vectors).toHaveLength(14);
  });

  it('messages: every structure re-encodes to the same bytes', () => {
    const vectors = load<Record<string, string>>('messages.json');
    const structures: [string, mls.StructureKind][] = [
      ['mls_welcome', 'mls_message'],
      ['mls_group_info', 'mls_message'],
      ['mls_key_package', 'mls_message'],
      ['public_message_application', 'mls_message'],
      ['public_message_proposal', 'mls_message'],
      ['public_message_commit', 'mls_message'],
      ['private_message', 'mls_message'],
      ['ratchet_tree', 'ratchet_tree'],
      ['group_secrets', 'group_secrets'],
      ['add_proposal', 'add_proposal'],
      ['update_proposal', 'update_proposal'],
      ['remove_proposal', 'remove_proposal'],
      ['pre_shared_key_proposal', 'pre_shared_key_proposal'],
      ['re_init_proposal', 're_init_proposal'],
      ['external_init_proposal', 'external_init_proposal'],
      ['group_context_extensions_proposal', 'group_context_extensions_proposal'],
      ['commit', 'commit'],
    ];
    let checked = 0;
    for (const v of vectors) {
      for (const [field, kind] of structures) {
        const bytes = hex(v[field] ?? '');
        expect(toHexString(mls.reencode(kind, bytes) ?? new Uint8Array()), `${field}`).toBe(
          v[field],
        );
        checked++;
      }
      expect(mls.describeMlsMessage(hex(v.public_message_commit ?? ''))?.contentType).toBe(
        'commit',
      );
    }
    expect(checked).toBe(300 * 17);
  });

  it.each(
    load<{
      cipher_suite: number;
      group_id: string;
      initial_init_secret: string;
      epochs: Record<string, string & unknown>[];
    }>('key-schedule.json'),
  )('key-schedule, suite $cipher_suite', async (v) => {
    let initSecret = hex(v.initial_init_secret);
    for (const [index, epoch] of v.epochs.entries()) {
      const e = epoch as unknown as Record<string, string> & {
        exporter: { label: string; context: string; length: number; secret: string };
      };
      const got = await mls.epochSecrets(suiteOf(v), {
        groupId: hex(v.group_id),
        epoch: BigInt(index),
        treeHash: hex(e.tree_hash!),
        confirmedTranscriptHash: hex(e.confirmed_transcript_hash!),
        initSecret,
        commitSecret: hex(e.commit_secret!),
        pskSecret: hex(e.psk_secret!),
      });
      const fields: [keyof typeof got, string][] = [
        ['groupContext', 'group_context'],
        ['joinerSecret', 'joiner_secret'],
        ['welcomeSecret', 'welcome_secret'],
        ['initSecret', 'init_secret'],
        ['senderDataSecret', 'sender_data_secret'],
        ['encryptionSecret', 'encryption_secret'],
        ['exporterSecret', 'exporter_secret'],
        ['externalSecret', 'external_secret'],
        ['confirmationKey', 'confirmation_key'],
        ['membershipKey', 'membership_key'],
        ['resumptionPsk', 'resumption_psk'],
        ['epochAuthenticator', 'epoch_authenticator'],
        ['externalPub', 'external_pub'],
      ];
      for (const [ours, theirs] of fields)
        expect(toHexString(got[ours]), `epoch ${index} ${theirs}`).toBe(e[theirs]);
      expect(
        toHexString(
          await mls.exporterSecret(
            suiteOf(v),
            got.exporterSecret,
            e.exporter.label,
            hex(e.exporter.context),
            e.exporter.length,
          ),
        ),
      ).toBe(e.exporter.secret);
      initSecret = got.initSecret;
    }
  });

  it.each(
    load<{
      cipher_suite: number;
      psk_secret: string;
      psks: { psk_id: string; psk: string; psk_nonce: string }[];
    }>('psk_secret.json'),
  )('psk_secret, suite $cipher_suite with $psks.length PSKs', async (v) => {
    const got = await mls.pskSecret(
      suiteOf(v),
      v.psks.map((p) => ({ id: hex(p.psk_id), psk: hex(p.psk), nonce: hex(p.psk_nonce) })),
    );
    expect(toHexString(got)).toBe(v.psk_secret);
  });

  it.each(
    load<{
      cipher_suite: number;
      encryption_secret: string;
      sender_data: { sender_data_secret: string; ciphertext: string; key: string; nonce: string };
      leaves: {
        generation: number;
        handshake_key: string;
        handshake_nonce: string;
        application_key: string;
        application_nonce: string;
      }[][];
    }>('secret-tree.json'),
  )('secret-tree, suite $cipher_suite, $leaves.length leaves', async (v) => {
    const sd = await mls.senderDataKeyAndNonce(
      suiteOf(v),
      hex(v.sender_data.sender_data_secret),
      hex(v.sender_data.ciphertext),
    );
    expect([toHexString(sd.key), toHexString(sd.nonce)]).toEqual([
      v.sender_data.key,
      v.sender_data.nonce,
    ]);
    for (const [leaf, generations] of v.leaves.entries()) {
      const keys = await mls.ratchetKeys(
        suiteOf(v),
        hex(v.encryption_secret),
        v.leaves.length,
        leaf,
        generations.map((g) => g.generation),
      );
      const flat = (k: mls.RatchetKeys) =>
        [k.handshakeKey, k.handshakeNonce, k.applicationKey, k.applicationNonce].map(toHexString);
      expect(keys.map(flat)).toEqual(
        generations.map((g) => [
          g.handshake_key,
          g.handshake_nonce,
          g.application_key,
          g.application_nonce,
        ]),
      );
    }
  });

  it.each(
    load<{
      cipher_suite: number;
      authenticated_content: string;
      confirmation_key: string;
      interim_transcript_hash_before: string;
      confirmed_transcript_hash_after: string;
      interim_transcript_hash_after: string;
    }>('transcript-hashes.json'),
  )('transcript-hashes, suite $cipher_suite', async (v) => {
    const got = await mls.transcriptHashes(
      suiteOf(v),
      hex(v.authenticated_content),
      hex(v.interim_transcript_hash_before),
      hex(v.confirmation_key),
    );
    expect(got.confirmationTagValid).toBe(true);
    expect(toHexString(got.confirmedTranscriptHash)).toBe(v.confirmed_transcript_hash_after);
    expect(toHexString(got.interimTranscriptHash)).toBe(v.interim_transcript_hash_after);
  });

  it.each(
    load<{
      cipher_suite: number;
      init_priv: string;
      key_package: string;
      signer_pub: string;
      welcome: string;
    }>('welcome.json'),
  )('welcome, suite $cipher_suite', async (v) => {
    const got = await mls.openWelcome(
      suiteOf(v),
      hex(v.welcome),
      hex(v.key_package),
      hex(v.init_priv),
      hex(v.signer_pub),
    );
    expect([got.confirmationTagValid, got.signatureValid]).toEqual([true, true]);
    const otherSigner = hex(v.signer_pub);
    otherSigner[otherSigner.length - 1]! ^= 1;
    expect(
      (
        await mls
          .openWelcome(
            suiteOf(v),
            hex(v.welcome),
            hex(v.key_package),
            hex(v.init_priv),
            otherSigner,
          )
          .catch(() => ({ signatureValid: false }))
      ).signatureValid,
    ).toBe(false);
  });

  it.each(
    load<Record<string, string> & { cipher_suite: number; epoch: number }>(
      'message-protection.json',
    ),
  )('message-protection, suite $cipher_suite', async (v) => {
    const s = suiteOf(v);
    const ctx: mls.ProtectionContext = {
      groupId: hex(v.group_id!),
      epoch: BigInt(v.epoch),
      treeHash: hex(v.tree_hash!),
      confirmedTranscriptHash: hex(v.confirmed_transcript_hash!),
      encryptionSecret: hex(v.encryption_secret!),
      senderDataSecret: hex(v.sender_data_secret!),
      membershipKey: hex(v.membership_key!),
      signaturePublicKey: hex(v.signature_pub!),
    };
    const open = async (field: string) => {
      const r = await mls.unprotectMessage(s, ctx, hex(v[field]!));
      return [r.contentType, toHexString(r.content)];
    };
    expect(await open('proposal_pub')).toEqual(['proposal', v.proposal]);
    expect(await open('commit_pub')).toEqual(['commit', v.commit]);
    expect(await open('proposal_priv')).toEqual(['proposal', v.proposal]);
    expect(await open('commit_priv')).toEqual(['commit', v.commit]);
    expect(await open('application_priv')).toEqual(['application', v.application]);
    for (const kind of ['application', 'proposal'] as const) {
      const sealed = await mls.protectMessage(s, ctx, hex(v.signature_priv!), kind, hex(v[kind]!));
      const r = await mls.unprotectMessage(s, ctx, sealed);
      expect([r.contentType, toHexString(r.content)]).toEqual([kind, v[kind]]);
    }
  });
});
