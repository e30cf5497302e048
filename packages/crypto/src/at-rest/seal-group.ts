import { exportGroup, importGroup, type GroupImport } from '../mls/group-codec.ts';
import type { Group } from '../mls/group.ts';
import type { MlsClient } from '../mls/mls-client.ts';
import { toHex } from '../util/bytes.ts';
import { openAtRest, sealAtRest, type StorageKey } from './seal.ts';

const purposeOf = (groupId: Uint8Array) => `group:${toHex(groupId)}`;

/** exportGroup + sealAtRest, bound to the group id. */
export function sealGroup(key: StorageKey, group: Group): Promise<Uint8Array> {
  return sealAtRest(key, exportGroup(group), purposeOf(group.groupId));
}

export type OpenGroupResult = GroupImport | { kind: 'tampered'; message: string };

/** Opens what sealGroup stored for `groupId`. */
export async function openGroup(
  client: MlsClient,
  key: StorageKey,
  groupId: Uint8Array,
  sealed: Uint8Array,
): Promise<OpenGroupResult> {
  const opened = await openAtRest(key, sealed, purposeOf(groupId));
  if (opened.kind !== 'ok') return opened;
  return importGroup(client, opened.plaintext);
}
