/**
 * The highest inbox seq every device has passed: the lowest cursor; 0 when a
 * certified device has none yet. Devices without a say (uncertified, no
 * cursor) and users without devices put no bound on it.
 */
export function passedByAll(
  devices: readonly { certified: boolean; cursor: number | undefined }[],
): number {
  let passed = Number.MAX_SAFE_INTEGER;
  for (const d of devices) {
    if (d.cursor !== undefined) passed = Math.min(passed, d.cursor);
    else if (d.certified) return 0;
  }
  return passed;
}
