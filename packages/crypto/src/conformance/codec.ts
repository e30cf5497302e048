// Wire-format round trips of RFC 9420 structures, through the decoders this package relies on.
import { decodeMlsMessage, encodeMlsMessage } from 'ts-mls';
import { determineLength } from 'ts-mls/codec/variableLength.js';
import { decodeCommit, encodeCommit } from 'ts-mls/commit.js';
import { decodeGroupSecrets, encodeGroupSecrets } from 'ts-mls/groupSecrets.js';
import {
  decodeAdd,
  decodeExternalInit,
  decodeGroupContextExtensions,
  decodePSK,
  decodeReinit,
  decodeRemove,
  decodeUpdate,
  encodeAdd,
  encodeExternalInit,
  encodeGroupContextExtensions,
  encodePSK,
  encodeReinit,
  encodeRemove,
  encodeUpdate,
} from 'ts-mls/proposal.js';
import { decodeRatchetTree, encodeRatchetTree } from 'ts-mls/ratchetTree.js';

/** The length announced by a QUIC-style variable-length vector header (RFC 9420 §2.1.2). */
export function variableLengthOf(header: Uint8Array): number {
  return determineLength(header).length;
}

export type StructureKind =
  | 'mls_message'
  | 'ratchet_tree'
  | 'group_secrets'
  | 'add_proposal'
  | 'update_proposal'
  | 'remove_proposal'
  | 'pre_shared_key_proposal'
  | 're_init_proposal'
  | 'external_init_proposal'
  | 'group_context_extensions_proposal'
  | 'commit';

type Codec = {
  decode: (b: Uint8Array, offset: number) => [unknown, number] | undefined;
  encode: (v: never) => Uint8Array;
};

const codecs: Record<StructureKind, Codec> = {
  mls_message: { decode: decodeMlsMessage, encode: encodeMlsMessage },
  ratchet_tree: { decode: decodeRatchetTree, encode: encodeRatchetTree },
  group_secrets: { decode: decodeGroupSecrets, encode: encodeGroupSecrets },
  add_proposal: { decode: decodeAdd, encode: encodeAdd },
  update_proposal: { decode: decodeUpdate, encode: encodeUpdate },
  remove_proposal: { decode: decodeRemove, encode: encodeRemove },
  pre_shared_key_proposal: { decode: decodePSK, encode: encodePSK },
  re_init_proposal: { decode: decodeReinit, encode: encodeReinit },
  external_init_proposal: { decode: decodeExternalInit, encode: encodeExternalInit },
  group_context_extensions_proposal: {
    decode: decodeGroupContextExtensions,
    encode: encodeGroupContextExtensions,
  },
  commit: { decode: decodeCommit, encode: encodeCommit },
};

/** Decodes then re-encodes; undefined when the bytes do not decode completely. */
export function reencode(kind: StructureKind, bytes: Uint8Array): Uint8Array | undefined {
  const codec = codecs[kind];
  const decoded = codec.decode(bytes, 0);
  if (decoded === undefined || decoded[1] !== bytes.length) return undefined;
  return codec.encode(decoded[0] as never);
}

/** The wire format and content type of an MLSMessage (for checking what a vector holds). */
export function describeMlsMessage(
  bytes: Uint8Array,
): { wireformat: string; contentType?: string } | undefined {
  const decoded = decodeMlsMessage(bytes, 0);
  if (decoded === undefined) return undefined;
  const m = decoded[0];
  return m.wireformat === 'mls_public_message'
    ? { wireformat: m.wireformat, contentType: m.publicMessage.content.contentType }
    : { wireformat: m.wireformat };
}
