/**
 * What the Authentication Service asks the application: which identity key it
 * trusts for a user (pinned after verification, or from the server's device
 * list on first use) and whether a device was revoked. Both may be async.
 */
export interface TrustSource {
  /** The trusted identity public key of `userId`, or undefined when the user is unknown. */
  identityKeyOf(userId: string): Promise<Uint8Array | undefined> | Uint8Array | undefined;
  /** True when the device is revoked (for example, removed from the user's device list). */
  isDeviceRevoked(userId: string, deviceId: string): Promise<boolean> | boolean;
}

export interface StaticTrustEntry {
  readonly identityKey: Uint8Array;
  readonly revokedDevices?: readonly string[];
}

/** A TrustSource over a fixed table: for tests, bots and tools. */
export function staticTrustSource(
  entries: Readonly<Record<string, StaticTrustEntry>>,
): TrustSource {
  const table = new Map(Object.entries(entries));
  return {
    identityKeyOf: (userId) => table.get(userId)?.identityKey,
    isDeviceRevoked: (userId, deviceId) =>
      table.get(userId)?.revokedDevices?.includes(deviceId) ?? false,
  };
}
