// RFC 9420 interop "passive client" vectors: join from a Welcome, follow every commit, and
// match each epoch authenticator, through @rchat/crypto's conformance entry point.
import type { AuthenticationService } from 'ts-mls';
import { describe, expect, it } from 'vitest';
import { joinPassively } from '../../src/conformance/index.ts';
import type { CipherSuiteId } from '../../src/index.ts';
import { dataFolder, hex, readJson, sampleBySuite, toHexString } from './test-data.ts';

const data = dataFolder('mls-test-vectors');

interface PassiveVector {
  cipher_suite: number;
  key_package: string;
  init_priv: string;
  encryption_priv: string;
  signature_priv: string;
  welcome: string;
  ratchet_tree: string | null;
  external_psks: { psk_id: string; psk: string }[];
  initial_epoch_authenticator: string;
  epochs: { proposals: string[]; commit: string; epoch_authenticator: string }[];
}

/** Interop vectors carry arbitrary basic credentials: this test, and only it, accepts them. */
const vectorCredentialsAccepted: AuthenticationService = {
  validateCredential: (credential) => Promise.resolve(credential.credentialType === 'basic'),
};

async function follow(v: PassiveVector, maxEpochs = Infinity): Promise<void> {
  const client = await joinPassively(
    {
      suite: v.cipher_suite as CipherSuiteId,
      keyPackage: hex(v.key_package),
      initPrivateKey: hex(v.init_priv),
      encryptionPrivateKey: hex(v.encryption_priv),
      signaturePrivateKey: hex(v.signature_priv),
      welcome: hex(v.welcome),
      ...(v.ratchet_tree === null ? {} : { ratchetTree: hex(v.ratchet_tree) }),
      externalPsks: v.external_psks.map((p) => ({ id: hex(p.psk_id), psk: hex(p.psk) })),
    },
    vectorCredentialsAccepted,
  );
  expect(toHexString(client.epochAuthenticator())).toBe(v.initial_epoch_authenticator);
  for (const [i, epoch] of v.epochs.slice(0, maxEpochs).entries()) {
    for (const p of epoch.proposals) await client.process(hex(p));
    await client.process(hex(epoch.commit));
    expect(toHexString(client.epochAuthenticator()), `epoch ${i + 1}`).toBe(
      epoch.epoch_authenticator,
    );
  }
}

/**
 * Sampled to keep the crypto run near a minute: welcome and handling-commit run every vector of
 * suite 1 and the first two of every other suite; passive-client-random's one 200-epoch history
 * (about 30 s here) is followed for its first 30 epochs.
 */
const randomEpochs = 30;

describe.skipIf(!data.exists)(`MLS test vectors: passive client${data.skipNote}`, () => {
  for (const file of [
    'passive-client-welcome.json',
    'passive-client-handling-commit.json',
  ] as const) {
    const vectors = data.exists
      ? sampleBySuite(readJson<PassiveVector[]>(data.path, file), [1])
      : [];
    it.each(vectors.map((v, i) => ({ ...v, i })))(
      `${file} #$i, suite $cipher_suite, $epochs.length epochs`,
      (v) => follow(v),
    );
  }
  const random = data.exists
    ? readJson<PassiveVector[]>(data.path, 'passive-client-random.json')
    : [];
  it.each(random.map((v, i) => ({ ...v, i })))(
    `passive-client-random.json #$i, suite $cipher_suite, first ${randomEpochs} of $epochs.length epochs`,
    (v) => follow(v, randomEpochs),
  );
});
