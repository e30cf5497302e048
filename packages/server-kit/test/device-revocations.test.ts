import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceRevokedEvent } from '@rchat/protocol';
import {
  createLogger,
  createMemoryBus,
  DeviceRevocations,
  publishRevocation,
} from '../src/index.ts';

const logger = createLogger({ level: 'silent', name: 'test' });
const open: DeviceRevocations[] = [];
afterEach(() => {
  for (const r of open.splice(0)) r.close();
});

const d1 = '00000000-0000-4000-8000-0000000000d1';
const d2 = '00000000-0000-4000-8000-0000000000d2';
const revocation = (deviceId: string): DeviceRevokedEvent => ({
  userId: '00000000-0000-4000-8000-000000000001',
  deviceId,
  until: Date.now() + 60_000,
  reason: 'device-removed',
});

describe('device revocations known to an instance', () => {
  it('keeps asking users for the recent revocations while it cannot be reached (it may be starting too)', async () => {
    let calls = 0;
    const revocations = new DeviceRevocations(
      createMemoryBus(),
      async () => {
        if (++calls === 1) throw new Error('fetch failed: connect ECONNREFUSED');
        return [revocation(d1)];
      },
      logger,
    );
    open.push(revocations);
    await revocations.start();
    expect(revocations.isRevoked(d1)).toBe(false);
    const deadline = Date.now() + 5_000;
    while (!revocations.isRevoked(d1) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(revocations.isRevoked(d1)).toBe('device-removed');
    expect(calls).toBe(2);
  });

  it('tells its listeners of a revocation once, however often it is read again or heard on the bus', async () => {
    const bus = createMemoryBus();
    const revocations = new DeviceRevocations(bus, async () => [revocation(d1)], logger);
    open.push(revocations);
    const heard: string[] = [];
    revocations.onRevoked((e) => heard.push(e.deviceId));
    await revocations.start();
    publishRevocation(bus, revocation(d1));
    publishRevocation(bus, revocation(d2));
    await new Promise((r) => setTimeout(r, 10));
    expect(heard).toEqual([d1, d2]);
  });
});
