import { groupMembers } from '@rchat/crypto';
import type { ClientContext } from './context.ts';
import { addMemberDevices, removeGroupDevices } from './conversation-keys.ts';

/** Removes one of the account's devices from every conversation's group this device is in. */
export async function removeDeviceEverywhere(ctx: ClientContext, deviceId: string): Promise<void> {
  for (const c of await ctx.api.conversations()) {
    await ctx.lock.run(async () => {
      const group = await ctx.groups.get(c.id);
      if (!group || !groupMembers(group).some((m) => m.deviceId === deviceId)) return;
      await removeGroupDevices(ctx, c.id, [{ userId: ctx.userId, deviceId }]);
    });
  }
}

/** Adds another device of the account to every conversation this device is in; returns how many. */
export async function addDeviceEverywhere(ctx: ClientContext, deviceId: string): Promise<number> {
  let added = 0;
  for (const c of await ctx.api.conversations()) {
    const ok = await ctx.lock.run(async () => {
      const group = await ctx.groups.get(c.id);
      if (!group || groupMembers(group).some((m) => m.deviceId === deviceId)) return false;
      return addMemberDevices(ctx, c.id, ctx.userId, [deviceId]);
    });
    if (ok) added++;
  }
  return added;
}

/**
 * Removes one of the account's devices: revoked by the server at once, then taken out of every
 * conversation's group.
 */
export async function removeDevice(ctx: ClientContext, deviceId: string): Promise<void> {
  await ctx.api.removeDevice(deviceId);
  await removeDeviceEverywhere(ctx, deviceId);
}
