import { fromBase64, keyPackageCertificate, type GroupMember } from '@rchat/crypto';
import { raiseAlert, type ClientContext } from './context.ts';

/** A KeyPackage offered for a device of a user (from a claim answer). */
export interface Candidate {
  userId: string;
  deviceId: string;
  keyPackage: string;
}

interface Roster {
  userIds: string[];
}

/**
 * The users of a conversation, pinned by this device the first time it
 * learns them. A direct conversation's members never change, so a server
 * that later claims someone else is a member is not believed: every add,
 * commit and Welcome is checked against this roster.
 */
export async function rosterOf(ctx: ClientContext, conversationId: string): Promise<Set<string>> {
  const key = `roster/${conversationId}`;
  const pinned = await ctx.account.sealed.getJson<Roster>(key);
  if (pinned) return new Set(pinned.userIds);
  const conversation = await ctx.api.conversation(conversationId);
  const userIds = conversation.members.map((m) => m.userId);
  if (
    !userIds.includes(ctx.userId) ||
    (conversation.kind === 'direct' && new Set(userIds).size !== 2)
  ) {
    throw new Error('The server described this conversation with members it cannot have.');
  }
  await ctx.account.sealed.putJson(key, { userIds } satisfies Roster);
  return new Set(userIds);
}

/**
 * Keeps only the KeyPackages whose certificate names exactly the user and
 * device they were offered for: a server cannot slip another user's device
 * (or a device under another name) into a claim answer. Each refusal is
 * raised as an alert naming whom the package claimed to be.
 */
export function keepGenuine(
  ctx: ClientContext,
  conversationId: string,
  candidates: Candidate[],
): Candidate[] {
  return candidates.filter((c) => {
    const cert = keyPackageCertificate(fromBase64(c.keyPackage) ?? new Uint8Array());
    if (
      cert.kind === 'ok' &&
      cert.certificate.userId === c.userId &&
      cert.certificate.deviceId === c.deviceId
    )
      return true;
    const claimed =
      cert.kind === 'ok'
        ? `device ${cert.certificate.deviceId} of user ${cert.certificate.userId}`
        : 'no valid device';
    raiseAlert(ctx, {
      kind: 'device-refused',
      conversationId,
      userId: c.userId,
      message: `The server offered keys for device ${c.deviceId} of user ${c.userId} that belong to ${claimed}; they were not added.`,
    });
    return false;
  });
}

/**
 * Refuses a change whose devices include a user outside the conversation's
 * roster: a commit adding them, or a Welcome whose tree holds them. Returns
 * true when every device belongs to a member; otherwise raises the alert.
 */
export async function membersOnly(
  ctx: ClientContext,
  conversationId: string,
  devices: readonly Pick<GroupMember, 'userId' | 'deviceId'>[],
  what: string,
): Promise<boolean> {
  const roster = await rosterOf(ctx, conversationId);
  const outsiders = devices.filter((d) => !roster.has(d.userId));
  if (outsiders.length === 0) return true;
  raiseAlert(ctx, {
    kind: 'membership-refused',
    conversationId,
    message: `${what} would let ${outsiders.map((d) => `device ${d.deviceId} of user ${d.userId}`).join(', ')} read this conversation, but that user is not a member. It was refused; this device keeps its keys as they were.`,
  });
  return false;
}
