import { readInternal } from '@rchat/server-kit';
import type { ActiveDevicesSource } from '../app/deps.ts';

/** Reads users' devices from the users service's internal endpoint (scaled-out mode). */
export function remoteActiveDevices(usersUrl: string, internalToken: string): ActiveDevicesSource {
  return async (userIds) => {
    if (userIds.length === 0) return [];
    const query = { users: userIds.join(',') };
    return (await readInternal(usersUrl, 'GET /internal/active-devices', internalToken, { query }))
      .devices;
  };
}
