import { deviceKeyFingerprint, groupMembers } from '@rchat/crypto';
import type { ClientContext } from './context.ts';
import type { ConversationDevice } from './types.ts';

const joinsKey = (conversationId: string) => `device-joins/${conversationId}`;

/**
 * Remembers when this device saw devices join a conversation (for "added" dates in the details).
 */
export async function recordDeviceJoins(
  ctx: ClientContext,
  conversationId: string,
  deviceIds: string[],
): Promise<void> {
  if (deviceIds.length === 0) return;
  const joins =
    (await ctx.account.sealed.getJson<Record<string, string>>(joinsKey(conversationId))) ?? {};
  const at = new Date().toISOString();
  for (const id of deviceIds) joins[id] ??= at;
  await ctx.account.sealed.putJson(joinsKey(conversationId), joins);
}

/**
 * Every device that can read the conversation — the leaves of this device's
 * MLS group, not the server's word — with its owner, name, when it was added
 * and its key fingerprint (compare it with the device's own screen).
 */
export async function conversationDevices(
  ctx: ClientContext,
  conversationId: string,
): Promise<ConversationDevice[]> {
  const group = await ctx.groups.get(conversationId);
  if (!group) return [];
  const conversation = await ctx.api.conversation(conversationId);
  const usernames = new Map(conversation.members.map((m) => [m.userId, m.username]));
  const joins =
    (await ctx.account.sealed.getJson<Record<string, string>>(joinsKey(conversationId))) ?? {};
  const members = groupMembers(group);
  const listed = new Map<string, { name: string; createdAt: string }>();
  for (const userId of new Set(members.map((m) => m.userId))) {
    const directory = await ctx.trust.directory(userId).catch(() => null);
    for (const d of directory?.devices ?? [])
      listed.set(d.deviceId, { name: d.name, createdAt: d.createdAt });
  }
  return members.map((m) => ({
    userId: m.userId,
    username: usernames.get(m.userId) ?? m.userId,
    deviceId: m.deviceId,
    name: listed.get(m.deviceId)?.name ?? null,
    addedAt: joins[m.deviceId] ?? listed.get(m.deviceId)?.createdAt ?? null,
    fingerprint: deviceKeyFingerprint(m.signatureKey),
    current: m.deviceId === ctx.deviceId,
  }));
}
