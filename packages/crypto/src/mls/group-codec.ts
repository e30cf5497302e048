import { decodeGroupState, encodeGroupState } from 'ts-mls';
import { ByteReader, ByteWriter, DecodeError } from '../util/codec.ts';
import { isSupportedCipherSuite } from './cipher-suites.ts';
import { clientConfigFor } from './client-config.ts';
import { groupData, makeGroup, type Group } from './group.ts';
import type { MlsClient } from './mls-client.ts';
import { replayWindow } from './replay-guard.ts';

const formatVersion = 1;

/**
 * Serialises a Group, secrets included: seal the result (sealAtRest) before
 * storing it. Format: u8 version ‖ u16 suite ‖ bytes(ts-mls GroupState) ‖
 * u32 n ‖ n × string(replay digest).
 */
export function exportGroup(group: Group): Uint8Array {
  const data = groupData(group);
  const w = new ByteWriter()
    .u8(formatVersion)
    .u16(data.cipherSuite)
    .bytes(encodeGroupState(data.state))
    .u32(data.seen.length);
  for (const d of data.seen) w.string(d);
  return w.finish();
}

export type GroupImport =
  | { kind: 'ok'; group: Group }
  | { kind: 'malformed'; message: string }
  | { kind: 'suite-not-allowed'; message: string };

/** Restores an exported Group; the rchat Authentication Service is attached again. */
export function importGroup(client: MlsClient, bytes: Uint8Array): GroupImport {
  try {
    const r = new ByteReader(bytes);
    const version = r.u8();
    if (version !== formatVersion)
      return { kind: 'malformed', message: `Unknown group state format ${version}.` };
    const suite = r.u16();
    const encoded = r.bytes();
    const count = r.u32();
    if (count > replayWindow) return { kind: 'malformed', message: 'Replay window is too large.' };
    const seen: string[] = [];
    for (let i = 0; i < count; i++) seen.push(r.string(64));
    r.end();
    if (!isSupportedCipherSuite(suite))
      return { kind: 'malformed', message: `Unknown cipher suite ${suite}.` };
    if (!client.allowedCipherSuites.includes(suite))
      return {
        kind: 'suite-not-allowed',
        message: `The stored group uses cipher suite ${suite}, which the operator policy no longer allows.`,
      };
    const decoded = decodeGroupState(encoded, 0);
    if (decoded === undefined || decoded[1] !== encoded.length)
      return { kind: 'malformed', message: 'The MLS group state does not decode.' };
    const state = { ...decoded[0], clientConfig: clientConfigFor(client, suite).config };
    return { kind: 'ok', group: makeGroup({ state, cipherSuite: suite, seen }) };
  } catch (e) {
    if (e instanceof DecodeError)
      return { kind: 'malformed', message: `Group state is malformed: ${e.message}` };
    throw e;
  }
}
