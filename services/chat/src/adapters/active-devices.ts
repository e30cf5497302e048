import { activeDevicesResponseSchema } from '@rchat/protocol';
import { readInternal } from '@rchat/server-kit';
import type { ActiveDevicesSource } from '../app/deps.ts';

/** Reads users' devices from the users service's internal endpoint (scaled-out mode). */
export function remoteActiveDevices(usersUrl: string, internalToken: string): ActiveDevicesSource {
  return async (userIds) => {
    if (userIds.length === 0) return [];
    const path = `/internal/active-devices?users=${userIds.map(encodeURIComponent).join(',')}`;
    return (await readInternal(usersUrl, path, internalToken, activeDevicesResponseSchema)).devices;
  };
}
