import { fromBase64, formatSafetyNumber, safetyNumber as computeSafetyNumber } from '@rchat/crypto';
import { RchatError } from '../errors.ts';
import type { ClientContext } from './context.ts';
import { acceptIdentityChange } from './identity-changes.ts';
import type { SafetyNumberInfo } from './types.ts';

/**
 * The safety number of this account and the peer of a direct conversation, with whether the peer's
 * key changed or was verified.
 */
export async function safetyNumber(
  ctx: ClientContext,
  conversationId: string,
): Promise<SafetyNumberInfo> {
  const conversation = await ctx.api.conversation(conversationId);
  const peer = conversation.members.find((m) => m.userId !== ctx.userId);
  if (!peer) throw new RchatError('NOT_FOUND', 'This conversation has no other member.', 0);
  const keys = await ctx.trust.directory(peer.userId, true);
  const peerKey = keys.identityKey ? fromBase64(keys.identityKey) : undefined;
  if (!peerKey)
    throw new RchatError('PEER_HAS_NO_KEYS', `${peer.username} has not set up encryption yet.`, 0);
  const digits = computeSafetyNumber(
    { stableId: ctx.userId, identityKey: ctx.identity.publicKey },
    { stableId: peer.userId, identityKey: peerKey },
  );
  const pin = await ctx.trust.pinned(peer.userId);
  return {
    digits,
    formatted: formatSafetyNumber(digits),
    identityKeyChanged: !!pin?.pending,
    verified: !pin?.pending && (pin?.verified ?? false),
  };
}

/**
 * The person compared the safety number shown now and it matched: accepts a changed identity, then
 * marks the peer verified.
 */
export async function markVerified(ctx: ClientContext, conversationId: string): Promise<void> {
  await acceptIdentityChange(ctx, conversationId);
  const conversation = await ctx.api.conversation(conversationId);
  const peer = conversation.members.find((m) => m.userId !== ctx.userId);
  if (peer) await ctx.trust.markVerified(peer.userId);
}
