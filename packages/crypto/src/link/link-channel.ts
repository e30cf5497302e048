import { aesGcmOpen, aesGcmSeal } from '../primitives/aes-gcm.ts';
import { hkdfSha256 } from '../primitives/hkdf.ts';
import { hpke, hpkeKeyPairFromSeed } from '../backup/hpke-suite.ts';
import { concatBytes, randomBytes, utf8 } from '../util/bytes.ts';

/**
 * The end-to-end channel of device linking. The new device makes an
 * ephemeral HPKE (X25519) key pair and shows a commitment to its public key
 * in the link code; the signed-in device encapsulates to that key and sends
 * `enc`; both derive the same secret with the HPKE exporter and from it the
 * check code the user compares and one AES-256-GCM key per direction. The
 * server relays only `enc`, public keys and ciphertext.
 */
export interface LinkChannel {
  /** Six digits, "123 456": equal on both devices unless someone answered in between. */
  checkCode: string;
  seal(plaintext: Uint8Array): Promise<Uint8Array>;
  open(sealed: Uint8Array): Promise<Uint8Array | undefined>;
}

export interface LinkOffer {
  publicKey: Uint8Array;
  /** Derives the channel from the signed-in device's answer; undefined for a malformed `enc`. */
  accept(enc: Uint8Array): Promise<LinkChannel | undefined>;
}

type Role = 'new' | 'existing';

const info = (sessionId: string, publicKey: Uint8Array) =>
  concatBytes(utf8(`rchat device link v1\u0000${sessionId}\u0000`), publicKey);
const exporterContext = utf8('rchat link channel');

/** The new device's side. */
export async function createLinkOffer(sessionId: string): Promise<LinkOffer> {
  const pair = await hpkeKeyPairFromSeed(randomBytes(32));
  return {
    publicKey: pair.publicKey,
    accept: async (enc) => {
      try {
        const ctx = await hpke.createRecipientContext({
          recipientKey: pair.privateKey,
          enc,
          info: info(sessionId, pair.publicKey),
        });
        return channel(new Uint8Array(await ctx.export(exporterContext, 32)), 'new', sessionId);
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * The signed-in device's side: answers the offer's public key (checked against the typed code
 * first).
 */
export async function answerLinkOffer(
  sessionId: string,
  offerPublicKey: Uint8Array,
): Promise<{ enc: Uint8Array; channel: LinkChannel }> {
  const recipientPublicKey = await hpke.kem.deserializePublicKey(offerPublicKey);
  const ctx = await hpke.createSenderContext({
    recipientPublicKey,
    info: info(sessionId, offerPublicKey),
  });
  return {
    enc: new Uint8Array(ctx.enc),
    channel: channel(new Uint8Array(await ctx.export(exporterContext, 32)), 'existing', sessionId),
  };
}

function channel(secret: Uint8Array, role: Role, sessionId: string): LinkChannel {
  const derive = (label: string, length: number) =>
    hkdfSha256(secret, new Uint8Array(0), utf8(`${label}\u0000${sessionId}`), length);
  const check = derive('check code', 4);
  const n =
    (((check[0] ?? 0) << 24) |
      ((check[1] ?? 0) << 16) |
      ((check[2] ?? 0) << 8) |
      (check[3] ?? 0)) >>>
    0;
  const digits = String(n % 1_000_000).padStart(6, '0');
  const keyOf = (from: Role) => derive(`key from ${from}`, 32);
  const aad = (from: Role) => utf8(`rchat link message from ${from}`);
  const other: Role = role === 'new' ? 'existing' : 'new';
  return {
    checkCode: `${digits.slice(0, 3)} ${digits.slice(3)}`,
    seal: async (plaintext) => {
      const nonce = randomBytes(12);
      return concatBytes(nonce, await aesGcmSeal(keyOf(role), nonce, plaintext, aad(role)));
    },
    open: async (sealed) =>
      sealed.length < 28
        ? undefined
        : aesGcmOpen(keyOf(other), sealed.subarray(0, 12), sealed.subarray(12), aad(other)),
  };
}
