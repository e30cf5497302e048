import type { CiphersuiteImpl, ClientState, PrivateMessage } from 'ts-mls';
import { decryptSenderData } from 'ts-mls/privateMessage.js';
import { memberAtLeaf, type GroupMember } from './group-view.ts';

export type SenderLookup =
  | { kind: 'ok'; sender: GroupMember; generation: number }
  | { kind: 'wrong-epoch'; message: string }
  | { kind: 'tampered'; message: string };

/**
 * Reads the sender of a PrivateMessage from its encrypted sender data (the
 * same AEAD check ts-mls makes), so results can name the sending device.
 */
export async function lookupSender(
  state: ClientState,
  pm: PrivateMessage,
  impl: CiphersuiteImpl,
): Promise<SenderLookup> {
  const current = state.groupContext.epoch;
  let secret = state.keySchedule.senderDataSecret;
  let tree = state.ratchetTree;
  if (pm.epoch > current)
    return {
      kind: 'wrong-epoch',
      message: `The message is for epoch ${pm.epoch}; this device is at epoch ${current} (commits are missing).`,
    };
  if (pm.epoch < current) {
    const past = state.historicalReceiverData.get(pm.epoch);
    if (past === undefined)
      return {
        kind: 'wrong-epoch',
        message: `The message is for epoch ${pm.epoch}, whose keys this device no longer keeps (now at ${current}).`,
      };
    if (pm.contentType !== 'application')
      return {
        kind: 'wrong-epoch',
        message: `A ${pm.contentType} for past epoch ${pm.epoch} cannot be applied (now at ${current}).`,
      };
    secret = past.senderDataSecret;
    tree = past.ratchetTree;
  }
  let senderData;
  try {
    senderData = await decryptSenderData(pm, secret, impl);
  } catch {
    senderData = undefined;
  }
  if (senderData === undefined)
    return {
      kind: 'tampered',
      message:
        'The sender data does not decrypt: the message was altered or is not for this group.',
    };
  const sender = memberAtLeaf({ ...state, ratchetTree: tree }, senderData.leafIndex);
  if (sender === undefined)
    return { kind: 'tampered', message: 'The sender data points at an empty leaf.' };
  return { kind: 'ok', sender, generation: senderData.generation };
}
